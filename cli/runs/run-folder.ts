// Run folders (`<output_dir>/<run_id>/`): config.json, result.json, tasks_result.json, stream.jsonl,
// prompts, instructions, script logs and saved outputs. Readable with no server and no worker.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TaskState } from '../../core/engine/run-types.js';

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

/** result.json as the run record activity writes it. */
export interface RunResultRecord {
  run_id?: string;
  component?: string;
  repo?: string;
  branch?: string;
  status?: string;
  cost_usd?: number;
  started_at?: string;
  ended_at?: string;
  duration_ms?: number;
  error?: string;
  container?: string;
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
  /^(config\.json|result\.json|tasks_result\.json|stream\.jsonl|prompt_.*\.md|claude_md_.*\.md|script_.*\.log|.*\.tmp)$/;

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
  const result = readJsonFile<RunResultRecord>(path.join(dir, 'result.json'));
  const tasks = readJsonFile<TaskState[]>(path.join(dir, 'tasks_result.json'));
  if (!config && !result && !tasks) return undefined;
  return {
    dir,
    runId: path.basename(dir),
    ...(config ? { config } : {}),
    ...(result ? { result } : {}),
    ...(Array.isArray(tasks) ? { tasks } : {}),
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
      if (stat.isDirectory()) walk(relPath);
      else if (rel || !RECORD_FILE.test(name)) out.push(relPath);
    }
  };
  walk('');
  return out;
}
