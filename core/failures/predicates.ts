// Reading failures back: which type an error is, what a lost sandbox had spent, and the message a
// user should see. Works on what workflow code catches (ActivityFailure wrapping the cause).
import { ActivityFailure, ApplicationFailure, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { readLostWork } from '../temporal/payloads.js';
import { FailureType, type FailureTypeName, type LostWork } from './types.js';

/** The ApplicationFailure behind an error (itself, or the cause of an activity failure). */
function applicationFailure(err: unknown): ApplicationFailure | undefined {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause;
  return undefined;
}

/** The failure type of an error (`SandboxLost`, …), or undefined for anything else. */
export function failureTypeOf(err: unknown): string | undefined {
  return applicationFailure(err)?.type ?? undefined;
}

export function isFailureType(err: unknown, type: FailureTypeName): boolean {
  return failureTypeOf(err) === type;
}

export function isSandboxLost(err: unknown): boolean {
  return isFailureType(err, FailureType.SandboxLost);
}

/**
 * An activity routed to a host's queue that no worker picked up in time: the worker that owns
 * that Docker host is gone. Its sandbox is as good as lost.
 */
export function isHostLost(err: unknown): boolean {
  return (
    err instanceof ActivityFailure &&
    err.cause instanceof TimeoutFailure &&
    err.cause.timeoutType === TimeoutType.SCHEDULE_TO_START
  );
}

/** Lost container or lost host: both are answered with a new sandbox from the pushed branch. */
export function isSandboxGone(err: unknown): boolean {
  return isSandboxLost(err) || isHostLost(err);
}

export function isUserInputFailure(err: unknown): boolean {
  const type = failureTypeOf(err);
  return type === FailureType.UserInput || type === FailureType.TaskInvalid;
}

/**
 * What a lost attempt had spent: the SandboxLost details, or (lost host) the last heartbeat
 * cursor the agent reported before its worker went away.
 */
export function lostWorkOf(err: unknown): LostWork | undefined {
  const app = applicationFailure(err);
  if (app?.type === FailureType.SandboxLost) return readLostWork(app.details?.[0]);
  if (err instanceof ActivityFailure && err.cause instanceof TimeoutFailure) {
    return readLostWork(err.cause.lastHeartbeatDetails);
  }
  return undefined;
}

/** The message of an activity's failure (its cause), or of any other error. */
export function failureMessage(err: unknown): string {
  if (isHostLost(err)) return 'the worker that owns the sandbox host did not pick up its work in time';
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
