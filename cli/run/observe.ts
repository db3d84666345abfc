// Reading a run's state the way `dkmv show`, `runs` and the follower need it: the `status` query
// when a worker answers, else the memo and search attributes (no worker needed), plus the
// heartbeat of the running agent activity for live turns, cost and last event.
import { lastWorkflowTaskFailure, workflowTaskRetrying } from './workflow-task-failure.js';
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { TemporalClientLike } from '../temporal/client-like.js';
import type { RunStatus, RunStatusView } from '../../core/engine/run-types.js';
import { readHeartbeatCursor, readRunMemo } from '../../core/temporal/payloads.js';
import { STATUS_QUERY } from '../../core/engine/workflow-names.js';

export interface LiveActivity {
  task?: string;
  turns: number;
  costUsd: number;
  last?: string;
  attempt: number;
  activityType: string;
}

export interface RunObservation {
  /** Temporal's own status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT, ... */
  temporalStatus: string;
  view?: RunStatusView;
  live?: LiveActivity;
  description: WorkflowExecutionDescription;
  /** Set while the run's workflow task keeps failing: the last failure (cause: message). */
  stuck?: string;
}

function liveActivity(desc: WorkflowExecutionDescription): LiveActivity | undefined {
  for (const pending of desc.raw.pendingActivities ?? []) {
    const payload = pending.heartbeatDetails?.payloads?.[0];
    const type = pending.activityType?.name ?? '';
    if (!payload) {
      if (type === 'runAgentTask' || type === 'runScriptTask')
        return { turns: 0, costUsd: 0, attempt: pending.attempt ?? 1, activityType: type };
      continue;
    }
    const details = readHeartbeatCursor(defaultPayloadConverter.fromPayload(payload));
    return {
      turns: details?.turns ?? 0,
      costUsd: details?.costUsd ?? 0,
      attempt: pending.attempt ?? 1,
      activityType: type,
      ...(details?.task ? { task: details.task } : {}),
      ...(details?.last ? { last: details.last } : {}),
    };
  }
  return undefined;
}

const CLOSED_STATUS: Record<string, RunStatus> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'cancelled',
  TIMED_OUT: 'timed_out',
};

/** The final view of a closed run: its result, or the view carried by its failure. */
async function closedView(
  client: TemporalClientLike,
  runId: string,
  status: string,
): Promise<RunStatusView | undefined> {
  try {
    return (await client.workflow.getHandle(runId).result()) as RunStatusView;
  } catch (err) {
    // By name: the HTTP path's errors carry the SDK's names without loading the SDK's classes.
    const e = err as { name?: string; cause?: unknown } | undefined;
    if (e?.name === 'WorkflowFailedError') {
      const details = (e.cause as { details?: unknown[] } | undefined)?.details;
      if (details?.[0]) return details[0] as RunStatusView;
    }
    void status;
    return undefined;
  }
}

/** A view built from the memo (kept up to date by the workflow) when nothing better answers. */
function memoView(desc: WorkflowExecutionDescription, runId: string): RunStatusView | undefined {
  const memo = readRunMemo(desc.memo);
  if (!memo) return undefined;
  const attrs = desc.typedSearchAttributes;
  const get = (name: string) => attrs.getAll().find((p) => p.key.name === name)?.value as string | undefined;
  return {
    runId,
    component: get('DkmvComponent') ?? '',
    repo: get('DkmvRepo') ?? '',
    branch: get('DkmvBranch') ?? '',
    status: memo.status,
    costUsd: memo.costUsd,
    startedAt: desc.startTime.toISOString(),
    ...(desc.closeTime ? { endedAt: desc.closeTime.toISOString() } : {}),
    tasks: memo.tasks,
    ...(memo.error ? { error: memo.error } : {}),
  };
}

/**
 * Between history events: only the running activity's latest heartbeat (live turns, cost, last
 * event) and Temporal's status, from one describe call (no query, so no work for the worker).
 */
export async function refreshLive(
  client: TemporalClientLike,
  runId: string,
  previous: RunObservation,
): Promise<RunObservation> {
  const description = await client.workflow.getHandle(runId).describe();
  const temporalStatus = description.status.name;
  const live = temporalStatus === 'RUNNING' ? liveActivity(description) : undefined;
  const { live: _old, ...rest } = previous;
  return { ...rest, temporalStatus, description, ...(live ? { live } : {}) };
}

export async function observeRun(
  client: TemporalClientLike,
  runId: string,
  options: { queryTimeoutMs?: number } = {},
): Promise<RunObservation> {
  const handle = client.workflow.getHandle(runId);
  const description = await handle.describe();
  const temporalStatus = description.status.name;
  let view: RunStatusView | undefined;
  if (temporalStatus === 'RUNNING') {
    // Aborted (not just abandoned) at the timeout: with no worker, a pending query would otherwise
    // keep retrying after the CLI closed its connection.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), options.queryTimeoutMs ?? 3000);
    view = await client
      .withAbortSignal(abort.signal, () => handle.query<RunStatusView>(STATUS_QUERY))
      .catch(() => undefined)
      .finally(() => clearTimeout(timer));
  } else {
    view = await closedView(client, runId, temporalStatus);
    if (view && CLOSED_STATUS[temporalStatus] === 'cancelled') view.status = 'cancelled';
  }
  view ??= memoView(description, runId);
  if (view && temporalStatus !== 'RUNNING' && CLOSED_STATUS[temporalStatus] && view.status === 'running') {
    view.status = CLOSED_STATUS[temporalStatus];
  }
  const live = temporalStatus === 'RUNNING' ? liveActivity(description) : undefined;
  const stuck =
    temporalStatus === 'RUNNING' && workflowTaskRetrying(description)
      ? await lastWorkflowTaskFailure(handle)
      : undefined;
  return {
    temporalStatus,
    description,
    ...(view ? { view } : {}),
    ...(live ? { live } : {}),
    ...(stuck ? { stuck } : {}),
  };
}
