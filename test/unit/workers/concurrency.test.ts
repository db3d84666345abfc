// The worker's concurrency limits: deliberate defaults, overridable by environment, bad values refused.
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../../core/errors.js';
import { CONCURRENCY_DEFAULTS, workerConcurrency } from '../../../workers/concurrency.js';

describe('workerConcurrency', () => {
  it('uses the defaults when nothing is set', () => {
    expect(workerConcurrency({})).toEqual(CONCURRENCY_DEFAULTS);
  });

  it('reads each limit from its variable', () => {
    expect(
      workerConcurrency({
        DKMV_WORKER_MAX_ACTIVITIES: '20',
        DKMV_WORKER_MAX_WORKFLOW_TASKS: '4',
        DKMV_WORKER_MAX_CACHED_WORKFLOWS: '64',
      }),
    ).toEqual({
      maxConcurrentActivityTaskExecutions: 20,
      maxConcurrentWorkflowTaskExecutions: 4,
      maxCachedWorkflows: 64,
    });
  });

  it('refuses a value that is not a whole number of at least 1, naming the variable', () => {
    for (const bad of ['0', '-3', '2.5', 'many']) {
      let error: unknown;
      try {
        workerConcurrency({ DKMV_WORKER_MAX_ACTIVITIES: bad });
      } catch (err) {
        error = err;
      }
      expect(isUserError(error), bad).toBe(true);
      expect((error as Error).message).toContain(`DKMV_WORKER_MAX_ACTIVITIES=${bad}`);
    }
  });
});
