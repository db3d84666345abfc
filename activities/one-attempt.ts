// One attempt at a time: a short engine activity whose heartbeat timed out is retried by the server
// while its first attempt may still be running in this worker (the worker was only slow: a busy
// machine delayed the beat). Both attempts would then work on the same sandbox folder, clone or
// branch at once (two clones into one folder fail with "hardlink different from source"; a landing
// could read a half-written branch). Here a later attempt of the same activity waits until the
// earlier one in this process has ended, then runs as a retry always does: from a clean start.
// Attempts that land on another worker process are not covered: a worker that was killed runs
// nothing any more, and one that is alive but slow is what this guards against.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { LIVENESS_ONLY } from './liveness.js';

/** Attempts running in this process, by workflow run and activity id. */
const running = new Map<string, Promise<unknown>>();

export const oneAttemptAtATime: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const { activityType, activityId, attempt, workflowExecution } = ctx.info;
      // (an activity started outside a workflow has no run to key by)
      if (!LIVENESS_ONLY.has(activityType) || !workflowExecution) return next(input);
      const key = `${workflowExecution.workflowId}/${workflowExecution.runId}/${activityId}`;
      const earlier = running.get(key);
      if (earlier) ctx.log.warn(`${activityType} attempt ${attempt} waits for an earlier attempt still running here`);
      // Registered before it waits, so a third attempt queues behind this one, not beside it.
      const mine = (async () => {
        await earlier?.catch(() => undefined);
        return next(input);
      })();
      running.set(key, mine);
      try {
        return await mine;
      } finally {
        if (running.get(key) === mine) running.delete(key);
      }
    },
  },
});
