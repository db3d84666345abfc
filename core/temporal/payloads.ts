// Small payloads that cross process boundaries outside activity inputs and results: the heartbeat
// cursor of a running agent or script, the run memo, and what a lost sandbox had spent. Each has
// one type and one write/read pair, so a field renamed on one side is a compile error on the
// other, and a payload written by an older version reads back as "unknown" instead of garbage.
// No Node built-ins: workflow code uses these too.
import type { LostWork } from '../failures/types.js';
import type { RunStatus, TaskState } from '../engine/run-types.js';

function record(raw: unknown): Record<string, unknown> | undefined {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

// ---- heartbeat cursor --------------------------------------------------------------------------

/** What runAgentTask / runScriptTask heartbeat: enough to resume copying and to show progress. */
export interface HeartbeatCursor {
  /** Task slot id. */
  task: string;
  /** Bytes of the process's stdout already copied to the run folder. */
  copied: number;
  turns: number;
  costUsd: number;
  /** A short, redacted description of the latest event. */
  last?: string;
}

export function writeHeartbeatCursor(cursor: HeartbeatCursor): HeartbeatCursor {
  const { task, copied, turns, costUsd, last } = cursor;
  return { task, copied, turns, costUsd, ...(last ? { last } : {}) };
}

/** The cursor in heartbeat details (ctx.info.heartbeatDetails, a pending activity, a timeout). */
export function readHeartbeatCursor(raw: unknown): HeartbeatCursor | undefined {
  const r = record(raw);
  if (!r) return undefined;
  const last = str(r.last);
  return {
    task: str(r.task) ?? '',
    copied: num(r.copied),
    turns: num(r.turns),
    costUsd: num(r.costUsd),
    ...(last ? { last } : {}),
  };
}

// ---- lost sandbox ------------------------------------------------------------------------------

export function writeLostWork(spent: LostWork): LostWork {
  return { turns: spent.turns, costUsd: spent.costUsd };
}

/** SandboxLost details or a heartbeat cursor: both carry turns and cost. Nothing spent → undefined. */
export function readLostWork(raw: unknown): LostWork | undefined {
  const r = record(raw);
  if (!r) return undefined;
  const spent = { turns: num(r.turns), costUsd: num(r.costUsd) };
  return spent.turns || spent.costUsd ? spent : undefined;
}

// ---- run memo ----------------------------------------------------------------------------------

/** Memo key of the run summary. */
export const RUN_MEMO_KEY = 'dkmv';

export type MemoTask = Pick<TaskState, 'id' | 'name' | 'status' | 'costUsd' | 'turns' | 'error'>;

/** The run summary kept in the memo, so `dkmv show` and `runs` work without a worker. */
export interface RunMemo {
  status: RunStatus;
  costUsd: number;
  tasks: MemoTask[];
  error?: string;
}

/** The memo fields to upsert (`upsertMemo(writeRunMemo(view))`). */
export function writeRunMemo(view: RunMemo): Record<string, RunMemo> {
  return {
    [RUN_MEMO_KEY]: {
      status: view.status,
      costUsd: view.costUsd,
      tasks: view.tasks.map((t) => ({
        id: t.id,
        name: t.name,
        status: t.status,
        costUsd: t.costUsd,
        turns: t.turns,
        error: t.error,
      })),
      error: view.error,
    },
  };
}

/** The run summary from a workflow's memo, when it has one. */
export function readRunMemo(memo: Record<string, unknown> | undefined): RunMemo | undefined {
  const r = record(memo?.[RUN_MEMO_KEY]);
  if (!r) return undefined;
  const error = str(r.error);
  return {
    status: (str(r.status) ?? 'running') as RunStatus,
    costUsd: num(r.costUsd),
    tasks: Array.isArray(r.tasks) ? (r.tasks as MemoTask[]) : [],
    ...(error ? { error } : {}),
  };
}
