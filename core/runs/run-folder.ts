// Run folders (`<output_dir>/runs/<run_id>/`): config.json, result.json, tasks_result.json, stream.jsonl,
// prompts, instructions, script logs and saved outputs. Readable with no server and no worker.
// Records are in DKMV's schema (core/runs/records.ts); folders written before it (tasks_result.json
// as a plain list) and folders written by DKMV itself read as well.
import type { NotifyRecord } from '../notify/types.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DeliverablesReport, TaskState, TaskStatus } from '../engine/run-types.js';
import type { TaskResultRecord } from './records.js';

/** config.json as `dkmv run` writes it (the fields dkmv reads back). */
export interface RunConfigRecord {
  run_id?: string;
  component?: string;
  component_dir?: string;
  repo?: string;
  branch?: string;
  feature_name?: string;
  vars?: Record<string, string>;
  params?: Record<string, unknown>;
  image?: string;
  memory?: string;
  model_url?: string;
  context?: string[];
  auto?: boolean;
  start_task?: string;
  keep_alive?: boolean;
  max_budget_usd?: number;
  tasks?: { id: string; name: string; kind?: string; pause_after?: boolean }[];
  [key: string]: unknown;
}

/** result.json as the run record activity writes it (DKMV's fields, ours beside them), or as DKMV writes it. */
export interface RunResultRecord {
  run_id?: string;
  component?: string;
  repo?: string;
  branch?: string;
  status?: string;
  /** dkmv's own status (DKMV's `status` reads a pause as running, a cancel as failed). */
  run_status?: string;
  feature_name?: string;
  model?: string;
  total_cost_usd?: number;
  duration_seconds?: number;
  num_turns?: number;
  timestamp?: string;
  session_id?: string;
  error_message?: string;
  cost_usd?: number;
  started_at?: string;
  ended_at?: string;
  duration_ms?: number;
  error?: string;
  container?: string;
  deliverables?: DeliverablesReport;
  notifications?: NotifyRecord[];
}

/** DKMV's field names fill in where ours are missing (a folder written by DKMV itself). */
function withOurNames(r: RunResultRecord): RunResultRecord {
  return {
    ...r,
    ...(r.run_status ? { status: r.run_status } : {}),
    ...(r.cost_usd === undefined && r.total_cost_usd !== undefined ? { cost_usd: r.total_cost_usd } : {}),
    ...(r.started_at === undefined && r.timestamp ? { started_at: r.timestamp } : {}),
    ...(r.duration_ms === undefined && r.duration_seconds !== undefined
      ? { duration_ms: Math.round(r.duration_seconds * 1000) }
      : {}),
    ...(r.error === undefined && r.error_message ? { error: r.error_message } : {}),
  };
}

/** One `task_results` entry of tasks_result.json as a task state. */
function taskFromRecord(t: Partial<TaskResultRecord>): TaskState {
  const outputs = t.saved_outputs ?? Object.keys(t.outputs ?? {});
  return {
    id: t.task_id ?? t.task_name ?? '',
    name: t.task_name ?? t.task_id ?? '',
    status: (t.status ?? 'pending') as TaskStatus,
    costUsd: t.total_cost_usd ?? 0,
    turns: t.num_turns ?? 0,
    ...(t.error_message ? { error: t.error_message } : {}),
    ...(t.session_id ? { sessionId: t.session_id } : {}),
    ...(t.started_at ? { startedAt: t.started_at } : {}),
    ...(t.ended_at ? { endedAt: t.ended_at } : {}),
    ...(outputs.length ? { savedOutputs: outputs } : {}),
    ...(t.answers ? { answers: t.answers } : {}),
    ...(t.description ? { description: t.description } : {}),
  };
}

/** The task states in tasks_result.json: DKMV's `{task_results: [...]}`, or the plain list of earlier dkmv runs. */
export function tasksOf(record: unknown): TaskState[] | undefined {
  if (Array.isArray(record)) return record as TaskState[];
  const list = (record as { task_results?: unknown } | undefined)?.task_results;
  return Array.isArray(list) ? (list as Partial<TaskResultRecord>[]).map(taskFromRecord) : undefined;
}

export interface RunFolder {
  dir: string;
  runId: string;
  config?: RunConfigRecord;
  result?: RunResultRecord;
  tasks?: TaskState[];
}

/** Files of a run folder that are dkmv's own records, not saved task outputs. */
const RECORD_FILE =
  /^(config\.json|result\.json|container\.txt|tasks_result\.json|stream\.jsonl|prompts?_.*\.md|prompts_log\.md|claude_md_.*\.md|script_.*\.log|\.lifecycle-(?:written|held\.json)|.*\.tmp)$/;

/** `tasks/<task>/` holds each task's saved outputs with a `.meta.json`; the top-level copies list them once. */
const PER_TASK_DIR = 'tasks';

export function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function readRunFolder(dir: string): RunFolder | undefined {
  if (!existsSync(dir)) return undefined;
  const config = readJsonFile<RunConfigRecord>(path.join(dir, 'config.json'));
  const raw = readJsonFile<RunResultRecord>(path.join(dir, 'result.json'));
  const result = raw ? withOurNames(raw) : undefined;
  const tasks = tasksOf(readJsonFile<unknown>(path.join(dir, 'tasks_result.json')));
  if (!config && !result && !tasks) return undefined;
  return {
    dir,
    runId: path.basename(dir),
    ...(config ? { config } : {}),
    ...(result ? { result } : {}),
    ...(tasks ? { tasks } : {}),
  };
}

/** Every run folder under the output folder (newest first by name: run ids start with a timestamp). */
export function listRunFolders(outputDir: string): RunFolder[] {
  let entries: string[];
  try {
    entries = readdirSync(outputDir);
  } catch {
    return [];
  }
  return entries
    .sort()
    .reverse()
    .flatMap((name) => {
      const folder = readRunFolder(path.join(outputDir, name));
      return folder ? [folder] : [];
    });
}

/** Saved task outputs (and any other file that is not one of dkmv's records), relative paths. */
export function savedOutputs(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let names: string[];
    try {
      names = readdirSync(path.join(dir, rel)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const relPath = rel ? path.join(rel, name) : name;
      const stat = statSync(path.join(dir, relPath));
      if (stat.isDirectory()) {
        if (!rel && name === PER_TASK_DIR) continue;
        walk(relPath);
      } else if (rel || !RECORD_FILE.test(name)) out.push(relPath);
    }
  };
  walk('');
  return out;
}
