// A trivial workflow that round-trips through a worker: used by smoke tests and `dkmv up` checks.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities/index.js';

const { ping } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

export async function pingWorkflow(message: string): Promise<string> {
  return await ping(message);
}
