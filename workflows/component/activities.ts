// Activity stubs for componentWorkflow, with the timeouts and retry rules each one needs.
// Sandbox activities run on the task queue of the worker that owns the sandbox's Docker host; they
// must be picked up within `hostStartTimeoutSeconds`, or the host counts as lost (see task-runner).
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../../activities/index.js';
import type { PreparedTask } from '../../core/engine/activity-types.js';
import { DEFAULT_HEARTBEAT_TIMEOUT_SECONDS, DEFAULT_HOST_START_TIMEOUT_SECONDS } from '../../core/engine/run-types.js';
import { NON_RETRYABLE_TYPES } from '../../core/failures/index.js';
import { summaryOption } from '../metadata/summaries.js';

type Activities = typeof activities;

/** The failure protocol's rule, repeated in the retry policy for failures raised outside the boundary. */
const NON_RETRYABLE = [...NON_RETRYABLE_TYPES];

/** Where a host's activities go, and how long they may wait there for a worker. */
export interface HostRoute {
  hostTaskQueue: string;
  hostStartTimeoutSeconds?: number;
  /** The run's heartbeat timeout (default 30 s), also the liveness bound of the short activities. */
  heartbeatTimeoutSeconds?: number;
}

/**
 * A worker killed in the middle of a short activity is noticed after this long (the worker's
 * liveness interceptor heartbeats for them), not after the start-to-close timeout.
 */
function liveness(seconds: number | undefined) {
  return { heartbeatTimeout: `${seconds ?? DEFAULT_HEARTBEAT_TIMEOUT_SECONDS} seconds` };
}

function hostOptions(route: HostRoute) {
  return {
    taskQueue: route.hostTaskQueue,
    scheduleToStartTimeout: `${route.hostStartTimeoutSeconds ?? DEFAULT_HOST_START_TIMEOUT_SECONDS} seconds`,
    ...liveness(route.heartbeatTimeoutSeconds),
  };
}

// Every factory takes the one-line `summary` the Web UI shows for the activity call (user metadata).

export function sandboxSetup(heartbeatTimeoutSeconds?: number, summary?: string): Pick<Activities, 'createSandbox'> {
  return proxyActivities<Activities>({
    ...summaryOption(summary),
    ...liveness(heartbeatTimeoutSeconds),
    startToCloseTimeout: '20 minutes',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

export function onHost(route: HostRoute, summary?: string) {
  return proxyActivities<Activities>({
    ...summaryOption(summary),
    ...hostOptions(route),
    startToCloseTimeout: '10 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

/** Removing a sandbox at the end: bounded, so a host that never comes back cannot hold the run open. */
export function cleaner(route: HostRoute, summary?: string) {
  return proxyActivities<Activities>({
    ...summaryOption(summary),
    ...hostOptions(route),
    startToCloseTimeout: '5 minutes',
    scheduleToCloseTimeout: '15 minutes',
    retry: { maximumAttempts: 5 },
  });
}

/** Commit and push: long timeout for large pushes, heartbeats while git works (liveness, as above). */
export function committer(route: HostRoute, summary?: string) {
  return proxyActivities<Activities>({
    ...summaryOption(summary),
    ...hostOptions(route),
    startToCloseTimeout: '90 minutes',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

/**
 * The agent/script run: heartbeats its stream cursor; a retry after a worker crash re-attaches to
 * the agent still running in the container instead of starting it again.
 */
export function runner(route: HostRoute, task: PreparedTask, heartbeatTimeoutSeconds: number, summary?: string) {
  return proxyActivities<Activities>({
    ...summaryOption(summary),
    ...hostOptions(route),
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

/**
 * Run records are best effort: a full disk must not fail a run whose work is pushed. Once the run
 * has a sandbox they are written on its host, beside its agent events and saved outputs, so a
 * worker on another machine keeps one whole run folder (read back through its host queue);
 * bounded like every host activity. Only the task queue differs: the command sequence is unchanged.
 */
export function recorder(route: HostRoute | undefined, heartbeatTimeoutSeconds?: number, summary?: string) {
  return proxyActivities<Activities>({
    ...summaryOption(summary),
    ...(route ? hostOptions({ heartbeatTimeoutSeconds, ...route }) : liveness(heartbeatTimeoutSeconds)),
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 3 },
  });
}
