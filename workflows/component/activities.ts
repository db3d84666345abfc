// Activity stubs for componentWorkflow, with the timeouts and retry rules each one needs.
// Sandbox activities run on the task queue of the worker that owns the sandbox's Docker host.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../../activities/index.js';
import type { PreparedTask } from '../../core/engine/activity-types.js';

type Activities = typeof activities;

/** Errors that retrying the same activity cannot fix. */
const NON_RETRYABLE = ['SandboxLost', 'CloneFailed', 'TaskInvalid', 'AgentStartFailed'];

export function sandboxSetup(): Pick<Activities, 'createSandbox'> {
  return proxyActivities<Activities>({
    startToCloseTimeout: '20 minutes',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

export function onHost(hostTaskQueue: string) {
  return proxyActivities<Activities>({
    taskQueue: hostTaskQueue,
    startToCloseTimeout: '10 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

/** Removing a sandbox at the end: bounded, so a host that never comes back cannot hold the run open. */
export function cleaner(hostTaskQueue: string) {
  return proxyActivities<Activities>({
    taskQueue: hostTaskQueue,
    startToCloseTimeout: '5 minutes',
    scheduleToCloseTimeout: '15 minutes',
    retry: { maximumAttempts: 5 },
  });
}

/** Commit and push: long timeout for large pushes, heartbeats while git makes progress. */
export function committer(hostTaskQueue: string) {
  return proxyActivities<Activities>({
    taskQueue: hostTaskQueue,
    startToCloseTimeout: '90 minutes',
    heartbeatTimeout: '5 minutes',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

/**
 * The agent/script run: heartbeats its stream cursor; a retry after a worker crash re-attaches to
 * the agent still running in the container instead of starting it again.
 */
export function runner(hostTaskQueue: string, task: PreparedTask, heartbeatTimeoutSeconds: number) {
  return proxyActivities<Activities>({
    taskQueue: hostTaskQueue,
    startToCloseTimeout: `${task.timeoutMinutes + 10} minutes`,
    heartbeatTimeout: `${heartbeatTimeoutSeconds} seconds`,
    retry: {
      maximumAttempts: 20,
      initialInterval: '1 second',
      maximumInterval: '10 seconds',
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
  });
}

/** Run records are best effort: a full disk must not fail a run whose work is pushed. */
export function recorder() {
  return proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } });
}
