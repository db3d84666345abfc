// The run folder `.dkmv/runs/<run_id>/` on the machine that started the run: prompts, instructions,
// the agent stream, saved outputs and result files. Everything written here is redacted first.
// A worker on another machine keeps its run folders under DKMV_WORKER_RUNS_DIR when that is set
// (the path the CLI chose means nothing there); the CLI reads them back through that worker's host
// queue (activities/records).
// Saved outputs are kept where DKMV keeps them (`tasks/<task>/<file>` with `<file>.meta.json`) and,
// as before, at the top of the folder (DKMV's CLI reads e.g. `qa_report.json` there).
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { redactSecrets } from './secrets.js';

/**
 * Where this worker keeps a run's folder: `<DKMV_WORKER_RUNS_DIR>/<run_id>` when the worker has a
 * folder of its own (a team worker), else the path the CLI chose (same machine).
 */
export function localRunDir(runDir: string): string {
  const own = process.env.DKMV_WORKER_RUNS_DIR?.trim();
  return own ? path.join(path.resolve(own), path.basename(runDir)) : runDir;
}

export function runFile(runDir: string, name: string): string {
  const file = path.join(localRunDir(runDir), name);
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

/**
 * Whole-file records are written to a temporary file and renamed over the old one, so a full disk
 * or a killed worker leaves the previous version, never half a JSON file.
 */
export function writeRunFile(runDir: string, name: string, content: string): void {
  const file = runFile(runDir, name);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, redactSecrets(content));
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  removeOrphanedTemps(file);
}

/**
 * A worker killed between the write and the rename leaves its `<file>.<pid>.tmp` behind; the next
 * writer of the same file removes those of processes that are gone (a live writer's is its own
 * business: it renames or removes it itself).
 */
function removeOrphanedTemps(file: string): void {
  const base = `${path.basename(file)}.`;
  for (const name of readdirSync(path.dirname(file))) {
    const pid = name.startsWith(base) ? /^(\d+)\.tmp$/.exec(name.slice(base.length))?.[1] : undefined;
    if (pid && Number(pid) !== process.pid && !processAlive(Number(pid))) {
      rmSync(path.join(path.dirname(file), name), { force: true });
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

export function appendRunFile(runDir: string, name: string, content: string): void {
  appendFileSync(runFile(runDir, name), redactSecrets(content));
}

/** File names of per-task records use the slot id, which is unique within a run. */
export function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * The folder of a task's saved outputs, as DKMV names it: the task's name, or `<name>__idx_<i>` for
 * the i-th (0-based) run of a repeated task (a for_each slot, whose id is `<name>-<i+1>`).
 */
export function taskFolderName(task: { id: string; name: string }): string {
  const repeat = task.id.startsWith(`${task.name}-`) ? /^\d+$/.exec(task.id.slice(task.name.length + 1)) : null;
  return safeName(repeat ? `${task.name}__idx_${Number(repeat[0]) - 1}` : task.id);
}

/** Run-folder path of a saved output: `tasks/<task>/<file name>`. */
export function savedOutputPath(task: { id: string; name: string }, workspacePath: string): string {
  return path.join('tasks', taskFolderName(task), path.basename(workspacePath));
}

/** What `<file>.meta.json` beside a saved output says about it. */
export interface SavedOutputMeta {
  task_name: string;
  /** Path in the agent's workspace (e.g. `.agent/plan.json`). */
  path: string;
  /** DKMV's name for the same: where the file was in the workspace. */
  original_path: string;
  saved_at: string;
  size_bytes: number;
  /** Set when pause answers were merged into the file after it was first saved. */
  answers_merged_at?: string;
}

/** Saves an output of a task: `tasks/<task>/<file>`, its `.meta.json`, and the top-level copy. */
export function saveTaskOutput(
  runDir: string,
  task: { id: string; name: string },
  workspacePath: string,
  content: string,
  extra: Partial<SavedOutputMeta> = {},
): void {
  const rel = savedOutputPath(task, workspacePath);
  const text = redactSecrets(content);
  writeFileSync(runFile(runDir, rel), text);
  const meta: SavedOutputMeta = {
    task_name: task.name,
    path: workspacePath,
    original_path: workspacePath,
    saved_at: new Date().toISOString(),
    size_bytes: Buffer.byteLength(text),
    ...extra,
  };
  writeFileSync(runFile(runDir, `${rel}.meta.json`), `${JSON.stringify(meta, null, 2)}\n`);
  writeFileSync(runFile(runDir, path.basename(workspacePath)), text);
}

/** The saved copy of a task's output, when there is one. */
export function readSavedOutput(
  runDir: string,
  task: { id: string; name: string },
  workspacePath: string,
): string | undefined {
  const file = path.join(localRunDir(runDir), savedOutputPath(task, workspacePath));
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
