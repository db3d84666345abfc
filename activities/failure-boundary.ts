// The one boundary every activity's error crosses on its way to Temporal. By rule:
// - a failure of a known dkmv type keeps its type and message; whether it is retried follows the
//   type (core/failures: a lost sandbox or a bad task is never retried, git is);
// - a UserError (a mistake only the user can fix) becomes a non-retryable `UserInput` failure;
// - cancellation and Temporal's own failures pass through untouched;
// - anything else stays retryable, with secrets redacted from its message (it lands in history).
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { isUserError } from '../core/errors.js';
import { dkmvFailure, FailureType, isNonRetryableType } from '../core/failures/index.js';
import { redactSecrets } from './engine/secrets.js';
import { sandboxesRoot } from '../core/sandbox/paths.js';

export function toActivityError(err: unknown): unknown {
  if (err instanceof ApplicationFailure) {
    if (err.nonRetryable || !isNonRetryableType(err.type)) return err;
    return ApplicationFailure.create({
      message: err.message,
      ...(err.type ? { type: err.type } : {}),
      details: err.details ?? [],
      nonRetryable: true,
      ...(err.cause ? { cause: err.cause } : {}),
    });
  }
  if (err instanceof TemporalFailure) return err; // cancellation, timeouts: Temporal's own
  if (isUserError(err)) {
    return ApplicationFailure.create({ message: err.format(), type: FailureType.UserInput, nonRetryable: true });
  }
  if (err instanceof Error) {
    const failure = ApplicationFailure.create({
      message: redactSecrets(err.message),
      type: err.name || 'Error',
      nonRetryable: false,
    });
    if (err.stack) failure.stack = redactSecrets(err.stack);
    return failure;
  }
  return ApplicationFailure.create({ message: redactSecrets(String(err)), type: 'Error', nonRetryable: false });
}

/** Node's ENOSPC message names no file and no step; say where space ran out and what to do. */
function diskFull(err: unknown, activity: string): unknown {
  if ((err as NodeJS.ErrnoException)?.code !== 'ENOSPC') return err;
  return dkmvFailure(
    FailureType.DiskFull,
    `no space left on device (ENOSPC) during ${activity}: the disk holding the sandbox folder ` +
      `(${sandboxesRoot()}) or the run folder is full; free space there, then run the task again`,
  );
}

/** Registered on every dkmv worker (workers/worker.ts): wraps each activity call. */
export const failureBoundary: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (err) {
        // A cancelled attempt ends the way the SDK expects (CancelledFailure or AbortError).
        if (ctx.cancellationSignal.aborted || (err as Error)?.name === 'CompleteAsyncError') throw err;
        throw toActivityError(diskFull(err, ctx.info.activityType));
      }
    },
  },
});
