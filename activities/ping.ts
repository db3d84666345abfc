// Answers a ping with the worker host name, proving the activity ran on a real worker.
import os from 'node:os';

export async function ping(message: string): Promise<string> {
  return `pong: ${message} (from ${os.hostname()})`;
}
