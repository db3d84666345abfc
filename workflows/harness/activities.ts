// Activity stubs for harnessWorkflow. Planning a role and the run record go to the shared queue;
// everything that touches the landing clone goes to the host queue of the worker that holds it.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../../activities/index.js';

type Activities = typeof activities;

const NON_RETRYABLE = ['LandingLost', 'UserError'];

/** Shared queue: clone and open the integration branch, plan role components, write the run record. */
export function shared() {
  return proxyActivities<Activities>({
    startToCloseTimeout: '10 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

/** The landing clone's host: branches, plan file, ownership check, merge, push. */
export function landing(hostTaskQueue: string) {
  return proxyActivities<Activities>({
    taskQueue: hostTaskQueue,
    startToCloseTimeout: '15 minutes',
    // A host that never comes back must not hold the run forever.
    scheduleToCloseTimeout: '45 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}
