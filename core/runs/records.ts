// The run records in DKMV's schema (`result.json`, `tasks_result.json`), built from the workflow's
// status view. DKMV's field names come first and keep DKMV's meaning; ours are added beside them
// (`started_at`, `ended_at`, `task_id`, …), never replacing theirs. Pure: the run-record activity
// writes them, `dkmv runs` / `dkmv show` read them.
import type { NotifyRecord } from '../notify/types.js';
import type { DeliverablesReport, RunStatusView, TaskState } from '../engine/run-types.js';
import { dkmvRunStatus } from './dkmv-status.js';

/** `result.json`. */
export interface RunResultRecord {
  run_id: string;
  component: string;
  status: string;
  repo: string;
  branch: string;
  feature_name: string;
  model: string;
  total_cost_usd: number;
  duration_seconds: number;
  num_turns: number;
  /** When the run started (ISO). */
  timestamp: string;
  /** The last agent session of the run ('' when none). */
  session_id: string;
  error_message: string;
  // ours
  /** dkmv's status (`awaiting_input`, `cancelled`, …); `status` is DKMV's reading of it. */
  run_status: string;
  cost_usd: number;
  started_at: string;
  ended_at?: string;
  duration_ms?: number;
  error?: string;
  container?: string;
  max_budget_usd?: number;
  /** The component's deliverables found (`present`) and not found (`missing`) at the end. */
  deliverables?: DeliverablesReport;
  /** How each webhook notification went (event, endpoint host, ok or the error). */
  notifications?: NotifyRecord[];
}

/** One entry of `tasks_result.json`'s `task_results`. */
export interface TaskResultRecord {
  task_name: string;
  description: string;
  status: string;
  total_cost_usd: number;
  duration_seconds: number;
  num_turns: number;
  session_id: string;
  error_message: string;
  /** Saved outputs: workspace path → content. */
  outputs: Record<string, string>;
  // ours
  task_id: string;
  started_at?: string;
  ended_at?: string;
  saved_outputs?: string[];
  answers?: Record<string, string>;
}

/** `tasks_result.json`. */
export interface TasksResultRecord {
  run_id: string;
  component: string;
  status: string;
  repo: string;
  branch: string;
  feature_name: string;
  total_cost_usd: number;
  duration_seconds: number;
  error_message: string;
  task_results: TaskResultRecord[];
  // ours
  run_status: string;
  started_at: string;
  ended_at?: string;
  max_budget_usd?: number;
}

const seconds = (ms: number): number => Math.max(0, Math.round(ms) / 1000);

function spanMs(start: string | undefined, end: string | undefined, now: number): number {
  if (!start) return 0;
  return (end ? Date.parse(end) : now) - Date.parse(start);
}

/** The session of the last task that had one. */
function lastSession(tasks: TaskState[]): string {
  for (let i = tasks.length - 1; i >= 0; i--) if (tasks[i]!.sessionId) return tasks[i]!.sessionId!;
  return '';
}

export function runResult(view: RunStatusView, now: number): RunResultRecord {
  const durationMs = spanMs(view.startedAt, view.endedAt, now);
  return {
    run_id: view.runId,
    component: view.component,
    status: dkmvRunStatus(view.status),
    repo: view.repo,
    branch: view.branch,
    feature_name: view.featureName ?? '',
    model: view.model ?? '',
    total_cost_usd: view.costUsd,
    duration_seconds: seconds(durationMs),
    num_turns: view.tasks.reduce((n, t) => n + t.turns, 0),
    timestamp: view.startedAt,
    session_id: lastSession(view.tasks),
    error_message: view.error ?? '',
    run_status: view.status,
    cost_usd: view.costUsd,
    started_at: view.startedAt,
    ...(view.endedAt ? { ended_at: view.endedAt, duration_ms: durationMs } : {}),
    ...(view.error ? { error: view.error } : {}),
    ...(view.containerName ? { container: view.containerName } : {}),
    ...(view.maxBudgetUsd !== undefined ? { max_budget_usd: view.maxBudgetUsd } : {}),
    ...(view.deliverables ? { deliverables: view.deliverables } : {}),
    ...(view.notifications?.length ? { notifications: view.notifications } : {}),
  };
}

export function taskResult(task: TaskState, outputs: Record<string, string>, now: number): TaskResultRecord {
  return {
    task_name: task.name,
    description: task.description ?? '',
    status: task.status,
    total_cost_usd: task.costUsd,
    duration_seconds: seconds(spanMs(task.startedAt, task.endedAt, now)),
    num_turns: task.turns,
    session_id: task.sessionId ?? '',
    error_message: task.error ?? '',
    outputs,
    task_id: task.id,
    ...(task.startedAt ? { started_at: task.startedAt } : {}),
    ...(task.endedAt ? { ended_at: task.endedAt } : {}),
    ...(task.savedOutputs?.length ? { saved_outputs: task.savedOutputs } : {}),
    ...(task.answers ? { answers: task.answers } : {}),
  };
}

export function tasksResult(
  view: RunStatusView,
  outputsOf: (task: TaskState) => Record<string, string>,
  now: number,
): TasksResultRecord {
  const run = runResult(view, now);
  return {
    run_id: run.run_id,
    component: run.component,
    status: run.status,
    repo: run.repo,
    branch: run.branch,
    feature_name: run.feature_name,
    total_cost_usd: run.total_cost_usd,
    duration_seconds: run.duration_seconds,
    error_message: run.error_message,
    task_results: view.tasks.map((t) => taskResult(t, outputsOf(t), now)),
    run_status: run.run_status,
    started_at: view.startedAt,
    ...(view.endedAt ? { ended_at: view.endedAt } : {}),
    ...(view.maxBudgetUsd !== undefined ? { max_budget_usd: view.maxBudgetUsd } : {}),
  };
}

/** `prompts_log.md`: every task's instructions and prompt, in run order, in one file. */
export function promptsLog(
  component: string,
  tasks: { name: string; instructions?: string; prompt?: string }[],
): string {
  const parts = [`# Component: ${component} — Prompts & Instructions Log\n`];
  tasks.forEach((t, i) => {
    parts.push(`## Task ${i + 1}: ${t.name}\n`);
    if (t.instructions) parts.push('### CLAUDE.md\n', fence(t.instructions));
    if (t.prompt) parts.push('### Prompt\n', fence(t.prompt));
    parts.push('---\n');
  });
  return parts.join('\n');
}

/** A fenced block that its own content cannot close. */
function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`{3,}/g) ?? []).map((m) => m.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}markdown\n${text}${text.endsWith('\n') ? '' : '\n'}${ticks}\n`;
}
