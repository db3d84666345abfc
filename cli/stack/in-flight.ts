// What the local stack is doing: the runs in flight on its server (any workflow still running:
// component runs, harnesses, ...) and the workers polling its task queue.
import { Client, type Connection } from '@temporalio/client';
import type { TemporalTarget } from '../../core/temporal/connection-options.js';
import { withTemporalConnection } from '../temporal-connect.js';
import { DkmvBranch, DkmvComponent, DkmvStatus } from '../../core/temporal/search-attributes.js';

export interface RunInFlight {
  id: string;
  /** The component (or workflow type when it has none) and branch. */
  what: string;
  /** dkmv's status (running, awaiting_input) or Temporal's. */
  status: string;
  startedAt: string;
}

export interface Poller {
  identity: string;
  lastSeen: string;
}

const LIMIT = 100;

function withConnection<T>(target: TemporalTarget, fn: (connection: Connection) => Promise<T>): Promise<T> {
  return withTemporalConnection(target, fn);
}

export async function runsInFlight(target: TemporalTarget): Promise<RunInFlight[]> {
  return withConnection(target, async (connection) => {
    const client = new Client({ connection, namespace: target.namespace });
    const runs: RunInFlight[] = [];
    for await (const info of client.workflow.list({
      // The budget ledger (one long-lived entity workflow per project) is not a run.
      query: `ExecutionStatus = 'Running' AND WorkflowType != 'budgetLedgerWorkflow'`,
    })) {
      const attrs = info.typedSearchAttributes;
      runs.push({
        id: info.workflowId,
        what: [attrs.get(DkmvComponent) ?? info.type, attrs.get(DkmvBranch)].filter(Boolean).join(' on '),
        status: attrs.get(DkmvStatus) ?? 'running',
        startedAt: info.startTime.toISOString(),
      });
      if (runs.length >= LIMIT) break;
    }
    return runs;
  });
}

/** Workers seen polling the task queue in the last minute (identity = dkmv-worker@host:pid v<version> (<home>)). */
export async function pollers(target: TemporalTarget): Promise<Poller[]> {
  return withConnection(target, async (connection) => {
    const res = await connection.workflowService.describeTaskQueue({
      namespace: target.namespace,
      taskQueue: { name: target.taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    const cutoff = Date.now() - 60_000;
    return (res.pollers ?? [])
      .map((p) => ({ identity: p.identity ?? '?', at: Number(p.lastAccessTime?.seconds ?? 0) * 1000 }))
      .filter((p) => p.at >= cutoff)
      .map((p) => ({ identity: p.identity, lastSeen: new Date(p.at).toISOString() }));
  });
}
