// Liveness heartbeats for the short engine activities (sandbox creation, task preparation, output
// checks, run records, …). They report no progress of their own, but the workflow gives them a
// heartbeat timeout so that a worker killed mid-activity is noticed in seconds and the activity is
// retried on another worker, instead of only after its start-to-close timeout (10–20 minutes).
// The agent and script activities are not here: they heartbeat their own stream cursor, which an
// empty heartbeat would overwrite.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** Activities that get only these liveness beats (exported for the test that every harness activity is here). */
export const LIVENESS_ONLY: ReadonlySet<string> = new Set([
  'createSandbox',
  'destroySandbox',
  'prepareTask',
  'checkOutputs',
  'commitTask',
  'finishTask',
  'checkDeliverables',
  'deliverAnswers',
  'writeRunRecord',
  // the harness's own activities (landing clone, smoke test, Gate 4, report, pull request)
  'openIntegration',
  'createBranchAt',
  'fetchUnitBranch',
  'syncIntegration',
  'pushIntegration',
  'removeLandingRepo',
  'readPlan',
  'commitPlan',
  'commitToIntegration',
  'planHarnessRole',
  'writeHarnessRecord',
  'checkBranchOwnership',
  'mergeBranches',
  'runSmoke',
  'gateEvalBranch',
  'allocateAppPorts',
  'openPullRequest',
  // CHECK and the lockfile step run commands that can be silent for minutes; the review gate reads a diff
  'runCheck',
  'regenerateLockfiles',
  'gateReviewBranch',
]);

/** Heartbeats a third of the heartbeat timeout apart (at most every 5 s) while the activity runs. */
export const livenessHeartbeat: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const timeoutMs = ctx.info.heartbeatTimeoutMs;
      if (!timeoutMs || !LIVENESS_ONLY.has(ctx.info.activityType)) return next(input);
      const beat = setInterval(() => ctx.heartbeat(), Math.min(5_000, Math.max(250, timeoutMs / 3)));
      try {
        return await next(input);
      } finally {
        clearInterval(beat);
      }
    },
  },
});
