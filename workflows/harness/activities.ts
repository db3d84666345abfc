// Activity stubs for harnessWorkflow. Planning a role and the run record go to the shared queue;
// everything that touches the landing clone goes to the host queue of the worker that holds it.
// Each factory takes the one-line `summary` the Web UI shows for the activity call.
import { proxyActivities } from '@temporalio/workflow';
import { DEFAULT_HEARTBEAT_TIMEOUT_SECONDS } from '../../core/engine/run-types.js';
import type * as activities from '../../activities/index.js';
import { summaryOption } from '../metadata/summaries.js';

type Activities = typeof activities;

const NON_RETRYABLE = ['LandingLost', 'UserError'];

/** Where a harness activity's heartbeat timeout comes from: the run's input. */
export interface LivenessSource {
  /** The run's `heartbeat_timeout_seconds` (config), else the default. */
  heartbeatTimeoutSeconds?: number;
}

/**
 * A worker killed mid-activity is noticed after the run's heartbeat timeout (activities/liveness.ts
 * heartbeats for these activities), so the retry runs on another worker in seconds, not after the
 * start-to-close timeout. Only an activity option: the command sequence is unchanged.
 */
export function liveness(source: LivenessSource): { heartbeatTimeout: string } {
  return { heartbeatTimeout: `${source.heartbeatTimeoutSeconds ?? DEFAULT_HEARTBEAT_TIMEOUT_SECONDS} seconds` };
}

/** Shared queue: clone and open the integration branch, plan role components, write the run record. */
export function shared(source: LivenessSource, summary?: string) {
  return proxyActivities<Activities>({
    ...summaryOption(summary),
    ...liveness(source),
    startToCloseTimeout: '10 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

/** The landing clone's host: branches, plan file, ownership check, merge, push. */
export function landing(source: LivenessSource, hostTaskQueue: string, summary?: string) {
  return proxyActivities<Activities>({
    ...summaryOption(summary),
    taskQueue: hostTaskQueue,
    ...liveness(source),
    startToCloseTimeout: '15 minutes',
    // A host that never comes back must not hold the run forever.
    scheduleToCloseTimeout: '45 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}
