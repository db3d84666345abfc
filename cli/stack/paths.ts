// Files of the embedded local stack. There is one stack per user, shared by all projects: its
// state lives in the user's data dir (`$XDG_DATA_HOME/dkmv/stack`, else `~/.local/share/dkmv/stack`),
// or in DKMV_STACK_DIR (tests use a folder of their own, with DKMV_STACK_PORT, so they never touch
// a user's stack on 7233).
import os from 'node:os';
import path from 'node:path';

export interface StackPaths {
  dir: string;
  serverPid: string;
  serverLog: string;
  serverDb: string;
  workerPid: string;
  workerLog: string;
  /** Held while a CLI brings the stack up or down, so two projects never start two servers. */
  lock: string;
}

export function stackDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DKMV_STACK_DIR) return path.resolve(env.DKMV_STACK_DIR);
  const data = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(data, 'dkmv', 'stack');
}

export function stackPaths(dir: string = stackDir()): StackPaths {
  return {
    dir,
    serverPid: path.join(dir, 'temporal.pid'),
    serverLog: path.join(dir, 'temporal.log'),
    serverDb: path.join(dir, 'temporal.db'),
    workerPid: path.join(dir, 'worker.pid'),
    workerLog: path.join(dir, 'worker.log'),
    lock: path.join(dir, 'lock'),
  };
}

/**
 * The HTTP API's port (Temporal's REST gateway, for answering a paused run with curl):
 * DKMV_STACK_HTTP_PORT, else the server's port + 10 (7243 for 7233).
 */
export function stackHttpPort(serverPort: number, env: NodeJS.ProcessEnv = process.env): number {
  return env.DKMV_STACK_HTTP_PORT ? Number(env.DKMV_STACK_HTTP_PORT) : serverPort + 10;
}

/** The Web UI's port: DKMV_STACK_UI_PORT, else the server's port + 1000 (8233 for 7233). */
export function stackUiPort(serverPort: number, env: NodeJS.ProcessEnv = process.env): number {
  return env.DKMV_STACK_UI_PORT ? Number(env.DKMV_STACK_UI_PORT) : serverPort + 1000;
}
