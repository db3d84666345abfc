// The SDK's failure classes a reader workflow's failure is told apart by. A module of its own so
// the commands that never see such a failure never load @temporalio/client (import it lazily).
import { ActivityFailure, TimeoutFailure, WorkflowFailedError } from '@temporalio/client';
import { TimeoutType } from '@temporalio/common';

export { TimeoutFailure, WorkflowFailedError };

/** The read activity was never picked up: the host's worker is not polling its queue. */
export function notPickedUp(err: WorkflowFailedError): boolean {
  return (
    err.cause instanceof ActivityFailure &&
    err.cause.cause instanceof TimeoutFailure &&
    err.cause.cause.timeoutType === TimeoutType.SCHEDULE_TO_START
  );
}
