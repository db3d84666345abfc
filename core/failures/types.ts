// Every failure type dkmv raises, what each one carries, and whether retrying can fix it. Shared by
// activities (which throw them), the activity boundary (which enforces the retry rule) and workflow
// code (which branches on them). No Node built-ins: workflow code imports this module.
import { ApplicationFailure } from '@temporalio/common';

/** Failure type names as they appear in Temporal (ApplicationFailure.type). */
export const FailureType = {
  /** The sandbox container vanished: make a new one from the pushed branch and re-run the task. */
  SandboxLost: 'SandboxLost',
  /** The sandbox image is not on the worker's Docker host (`dkmv build`). */
  SandboxImageMissing: 'SandboxImageMissing',
  /** The branch could not be cloned (bad repo URL, no access). */
  CloneFailed: 'CloneFailed',
  /** A task cannot be rendered or its inputs are missing: a mistake in the component or its inputs. */
  TaskInvalid: 'TaskInvalid',
  /** The agent cannot start (no credentials for it on the worker). */
  AgentStartFailed: 'AgentStartFailed',
  /** The disk under the sandbox or run folder is full: the run stops at once and says where (a
   *  retry a second later hits the same full disk; the user frees space and runs the task again). */
  DiskFull: 'DiskFull',
  /** Commit or push failed; git is retried (networks recover). */
  GitFailed: 'GitFailed',
  /** Any other mistake a user must fix (a UserError raised inside an activity). */
  UserInput: 'UserInput',
  /** How a run closes when it did not complete. */
  RunFailed: 'RunFailed',
  RunTimedOut: 'RunTimedOut',
  RunAborted: 'RunAborted',
} as const;

export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/** Types that retrying the same activity cannot fix: the boundary marks them non-retryable. */
export const NON_RETRYABLE_TYPES: readonly FailureTypeName[] = [
  FailureType.SandboxLost,
  FailureType.SandboxImageMissing,
  FailureType.CloneFailed,
  FailureType.TaskInvalid,
  FailureType.AgentStartFailed,
  FailureType.DiskFull,
  FailureType.UserInput,
  FailureType.RunFailed,
  FailureType.RunTimedOut,
  FailureType.RunAborted,
];

export function isNonRetryableType(type: string | null | undefined): boolean {
  return (NON_RETRYABLE_TYPES as readonly string[]).includes(type ?? '');
}

/**
 * Details of a SandboxLost failure: what the agent had spent when its container (or its host) was
 * lost. The same shape as the agent's heartbeat cursor fields, so either source can be counted.
 */
export interface LostWork {
  turns: number;
  costUsd: number;
}

/** Builds a failure of a known type; whether it may be retried follows NON_RETRYABLE_TYPES. */
export function dkmvFailure(type: FailureTypeName, message: string, ...details: unknown[]): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: isNonRetryableType(type), details });
}

export function sandboxLost(message: string, spent?: LostWork): ApplicationFailure {
  return spent ? dkmvFailure(FailureType.SandboxLost, message, spent) : dkmvFailure(FailureType.SandboxLost, message);
}
