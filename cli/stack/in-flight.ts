// What the local stack is doing: the runs in flight on its server (any workflow still running:
// component runs, harnesses, ...) and the workers polling its task queue.
// Both go through the connection module: over the HTTP API where it is known (no gRPC loaded).
import type { TemporalTarget } from '../../core/temporal/connection-options.js';
import { openTemporal, type TemporalSession } from '../temporal/connection.js';
import { classifyTemporalError } from '../temporal-errors.js';
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

async function withSession<T>(target: TemporalTarget, fn: (session: TemporalSession) => Promise<T>): Promise<T> {
  const session = await openTemporal(target);
  try {
    return await fn(session);
  } catch (err) {
    throw classifyTemporalError(err, target) ?? err;
  } finally {
    await session.close();
  }
}

export async function runsInFlight(target: TemporalTarget): Promise<RunInFlight[]> {
  return withSession(target, async ({ client }) => {
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
  return withSession(target, async (session) => {
    const cutoff = Date.now() - 60_000;
    return (await session.pollers(target.taskQueue))
      .filter((p) => p.at >= cutoff)
      .map((p) => ({ identity: p.identity, lastSeen: new Date(p.at).toISOString() }));
  });
}
