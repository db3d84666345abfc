// The worker's concurrency limits, chosen on purpose rather than left to SDK defaults, and
// overridable by environment for big or small machines (README "Configuration").
// - Activities: an agent activity mostly waits (it tails a file and heartbeats once a second), so
//   one worker can carry many; the real limit is the Docker host (memory per sandbox), not Node.
// - Workflow tasks: short CPU bursts of deterministic code; a handful in parallel keeps a 2-core
//   machine responsive while 50 runs make progress.
// - Cached workflows: a run that stays cached answers its next task without replaying its history;
//   every run alive on this worker should fit (a run's state is a few hundred kB at most).
import { UserError } from '../core/errors.js';

export interface WorkerConcurrency {
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxCachedWorkflows: number;
}

export const CONCURRENCY_DEFAULTS: WorkerConcurrency = {
  maxConcurrentActivityTaskExecutions: 200,
  maxConcurrentWorkflowTaskExecutions: 10,
  maxCachedWorkflows: 500,
};

const ENV: Record<keyof WorkerConcurrency, string> = {
  maxConcurrentActivityTaskExecutions: 'DKMV_WORKER_MAX_ACTIVITIES',
  maxConcurrentWorkflowTaskExecutions: 'DKMV_WORKER_MAX_WORKFLOW_TASKS',
  maxCachedWorkflows: 'DKMV_WORKER_MAX_CACHED_WORKFLOWS',
};

/** The limits from the environment, else the defaults; a value that is not a whole number ≥ 1 is refused. */
export function workerConcurrency(env: NodeJS.ProcessEnv = process.env): WorkerConcurrency {
  const out = { ...CONCURRENCY_DEFAULTS };
  for (const key of Object.keys(ENV) as (keyof WorkerConcurrency)[]) {
    const raw = env[ENV[key]];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) {
      throw new UserError(`${ENV[key]}=${raw}: expected a whole number of at least 1`, {
        hint: `set ${ENV[key]} to a positive integer (default ${out[key]}) or unset it`,
      });
    }
    out[key] = n;
  }
  return out;
}
