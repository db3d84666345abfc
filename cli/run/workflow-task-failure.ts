// Why a run does not start: a workflow task that keeps failing (a server without dkmv's search
// attributes, a worker of another version) leaves the run "running" with nothing happening. The
// failure is in the run's history; this reads it so the CLI can print it instead of waiting silently.
import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { WorkflowHandleLike } from '../temporal/client-like.js';

/**
 * Names of the WorkflowTaskFailedCause values a user can act on (temporal/api/enums/v1). Numbers,
 * not the proto module: loading @temporalio/proto at run time in the CLI broke its lazy command loading.
 */
const CAUSES: Record<number, string> = {
  14: 'WORKFLOW_WORKER_UNHANDLED_FAILURE',
  23: 'BAD_SEARCH_ATTRIBUTES',
  24: 'NON_DETERMINISTIC_ERROR',
};

/** A cause as a number (gRPC) or as its enum name (the HTTP API's JSON). */
function causeName(cause: unknown): string {
  if (typeof cause === 'string' && Number.isNaN(Number(cause)))
    return cause.replace(/^WORKFLOW_TASK_FAILED_CAUSE_/, '');
  const code = Number(cause ?? 0);
  return CAUSES[code] ?? `cause ${code}`;
}

/** True when the run's current workflow task has failed before (it is being retried). */
export function workflowTaskRetrying(description: WorkflowExecutionDescription): boolean {
  return (description.raw.pendingWorkflowTask?.attempt ?? 0) > 1;
}

/** "BAD_SEARCH_ATTRIBUTES: <message>" of the last failed workflow task, if any. */
export async function lastWorkflowTaskFailure(
  handle: Pick<WorkflowHandleLike, 'fetchHistory'>,
): Promise<string | undefined> {
  let events: temporal.api.history.v1.IHistoryEvent[];
  try {
    events = (await handle.fetchHistory()).events ?? [];
  } catch {
    return undefined;
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const failed = events[i]!.workflowTaskFailedEventAttributes;
    if (!failed) continue;
    const cause = causeName(failed.cause);
    const message = (failed.failure?.message ?? '').split('\n')[0];
    return `${cause}${message ? `: ${message}` : ''}`;
  }
  return undefined;
}

/** What to do about it, for the causes a user can fix. */
export function failureHint(failure: string): string {
  if (failure.startsWith('BAD_SEARCH_ATTRIBUTES'))
    return "the namespace lacks dkmv's search attributes: restart the worker (`dkmv down && dkmv up`, or `dkmv worker`), which registers them or prints the `temporal operator search-attribute create` commands to run";
  return 'see the worker log (`dkmv status` says where it is); the run starts once a worker can run its workflow task';
}
