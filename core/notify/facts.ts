// What a notification says about a run, read from the workflow's own view of it (component run or
// harness build). Pure: the workflows call these.
import type { RunStatusView } from '../engine/run-types.js';
import type { HarnessView } from '../harness/types.js';
import type { NotifyEventName, NotifyFacts } from './types.js';

/** The event a run's status ends with; undefined while it still runs. */
function endEvent(status: string): NotifyEventName | undefined {
  return (['completed', 'failed', 'cancelled', 'timed_out', 'unverified'] as const).find((s) => s === status);
}

/** A component run at a pause point (`awaiting_input`) or at its end. */
export function componentFacts(view: RunStatusView): NotifyFacts | undefined {
  const event = view.status === 'awaiting_input' ? 'awaiting_input' : endEvent(view.status);
  if (!event) return undefined;
  return {
    event,
    runId: view.runId,
    kind: 'component',
    component: view.component,
    branch: view.branch,
    status: view.status,
    costUsd: view.costUsd,
    ...(view.error ? { error: view.error } : {}),
    ...(event === 'awaiting_input' && view.pending ? { pending: view.pending } : {}),
  };
}

/** A harness build at its plan review or at its end; a build shipped with open issues says so. */
export function harnessFacts(view: HarnessView): NotifyFacts | undefined {
  const issues = view.quality?.remainingIssues ?? [];
  const shippedWithIssues = view.status === 'completed' && issues.length > 0;
  const event = view.status === 'awaiting_input' ? 'awaiting_input' : endEvent(view.status);
  if (!event) return undefined;
  return {
    event: shippedWithIssues ? 'shipped_with_issues' : event,
    runId: view.runId,
    kind: 'harness',
    component: 'harness',
    branch: view.branch,
    status: view.status,
    costUsd: view.costUsd,
    ...(view.error ? { error: view.error } : {}),
    ...(event === 'awaiting_input' && view.pending ? { pending: view.pending } : {}),
    ...(issues.length ? { remainingIssues: issues } : {}),
  };
}
