// Activity stubs of the quality loop. Each call gets its own proxy so it carries a summary (Temporal
// user metadata: "smoke round 2", "Gate 4 on r1-b1") that the Web UI shows on the activity.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../../activities/index.js';
import { liveness, type LivenessSource } from './activities.js';

type Activities = typeof activities;

const NON_RETRYABLE = ['LandingLost', 'UserError'];

/** Shared queue: smoke test (a sandbox with Chromium), Gate 4, ports, role planning, the pull request. */
export function qualityShared(source: LivenessSource, summary: string) {
  return proxyActivities<Activities>({
    ...liveness(source),
    startToCloseTimeout: '30 minutes',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
    summary,
  });
}

/** The landing clone's host: branches for evaluators and fixers, landing fixes, the report commit. */
export function qualityLanding(source: LivenessSource, hostTaskQueue: string, summary: string) {
  return proxyActivities<Activities>({
    taskQueue: hostTaskQueue,
    ...liveness(source),
    startToCloseTimeout: '15 minutes',
    scheduleToCloseTimeout: '45 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
    summary,
  });
}
