// Lifecycle events of a run, as DKMV writes them into `stream.jsonl` between the agents' own
// events (`run_started`, `task_start`, `task_completed` / `task_failed`, pause events,
// `run_completed` / `run_failed` / …), each marked `lifecycle: true` with a `_ts` timestamp.
// The workflow collects them (plain data, no I/O); the run-record activity appends them once each.
import type { RunStatus } from '../runs/status.js';

export type LifecycleType =
  | 'run_started'
  | 'task_start'
  | 'task_completed'
  | 'task_failed'
  | 'task_skipped'
  | 'pause_requested'
  | 'pause_resolved'
  | `run_${RunStatus}`;

export interface LifecycleEvent {
  type: LifecycleType;
  lifecycle: true;
  /** ISO time the event happened (workflow time). */
  _ts: string;
  /** Per-run sequence number: the record activity writes each event once, even when retried. */
  seq: number;
  run_id: string;
  [field: string]: unknown;
}

/** The final event of a run with this status (`run_completed`, `run_failed`, …). */
export function runEndType(status: RunStatus): LifecycleType {
  return `run_${status}`;
}

/** The events whose `seq` is not in `seen` (each once, even when given twice). */
export function unseen(events: LifecycleEvent[], seen: Set<number>): LifecycleEvent[] {
  const fresh: LifecycleEvent[] = [];
  for (const e of events) {
    if (seen.has(e.seq)) continue;
    seen.add(e.seq);
    fresh.push(e);
  }
  return fresh;
}

/**
 * Splits fresh events into those to write now — the run of consecutive `seq` numbers that follows
 * the ones written (all of them when `final`) — and those to hold until the gap before them fills.
 */
export function inOrder(
  fresh: LifecycleEvent[],
  written: Set<number>,
  final: boolean,
): { write: LifecycleEvent[]; hold: LifecycleEvent[] } {
  const sorted = [...fresh].sort((a, b) => a.seq - b.seq);
  if (final) return { write: sorted, hold: [] };
  let next = 1;
  while (written.has(next)) next += 1; // the first one missing
  const write: LifecycleEvent[] = [];
  for (const e of sorted) {
    if (e.seq !== next) break;
    write.push(e);
    next += 1;
  }
  return { write, hold: sorted.slice(write.length) };
}
