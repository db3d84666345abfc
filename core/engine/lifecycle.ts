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
  | 'pause_answered'
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

/** Events already written to a run folder: the `seq` of each, one per line of a small host file. */
export function unseen(events: LifecycleEvent[], written: Set<number>): LifecycleEvent[] {
  const fresh: LifecycleEvent[] = [];
  for (const e of events) {
    if (written.has(e.seq)) continue;
    written.add(e.seq);
    fresh.push(e);
  }
  return fresh;
}
