// writeRunRecord: the run's records in DKMV's schema — `tasks_result.json` and `result.json` as
// the run goes (so `dkmv show` works from the run folder alone), `prompts_log.md` at the end — and
// the lifecycle events the workflow collected, appended to `stream.jsonl` once each.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inOrder, unseen, type LifecycleEvent } from '../../core/engine/lifecycle.js';
import type { RunStatusView, TaskState } from '../../core/engine/run-types.js';
import { promptsLog, runResult, tasksResult } from '../../core/runs/records.js';
import { appendRunFile, localRunDir, readSavedOutput, runFile, safeName, writeRunFile } from './run-folder.js';
import { workerCredentials } from './secrets.js';

/** Host-only list of the lifecycle events already in stream.jsonl (their `seq`, one per line). */
const WRITTEN_EVENTS = '.lifecycle-written';
/** Host-only: events that arrived before an earlier one (record writes run concurrently). */
const HELD_EVENTS = '.lifecycle-held.json';

/** Saved outputs larger than this are left out of tasks_result.json (they stay in `tasks/<task>/`). */
const MAX_OUTPUT_CHARS = 256 * 1024;

export interface RunRecordInput {
  runDir: string;
  view: RunStatusView;
  final: boolean;
  /** Lifecycle events since the previous record write. */
  events?: LifecycleEvent[];
}

/** A progress write that lands late (retries) must not overwrite the final record. */
function finalAlreadyWritten(runDir: string): boolean {
  const file = path.join(localRunDir(runDir), 'result.json');
  if (!existsSync(file)) return false;
  try {
    const status = (JSON.parse(readFileSync(file, 'utf8')) as { status?: string }).status;
    return status !== undefined && status !== 'running' && status !== 'awaiting_input';
  } catch {
    return false;
  }
}

/**
 * Appends the events not yet written, in `seq` order: record writes are fire-and-forget, so a later
 * batch can arrive first; its events wait (held) until the gap is filled, or until the final record,
 * which writes everything. A retried or late write never writes an event twice.
 */
function appendLifecycle(runDir: string, events: LifecycleEvent[], final: boolean): void {
  const writtenFile = runFile(runDir, WRITTEN_EVENTS);
  const heldFile = runFile(runDir, HELD_EVENTS);
  const written = new Set(
    existsSync(writtenFile) ? readFileSync(writtenFile, 'utf8').split('\n').filter(Boolean).map(Number) : [],
  );
  const held = existsSync(heldFile) ? (JSON.parse(readFileSync(heldFile, 'utf8')) as LifecycleEvent[]) : [];
  const { write, hold } = inOrder(unseen([...held, ...events], new Set(written)), written, final);
  if (write.length) appendRunFile(runDir, 'stream.jsonl', write.map((e) => `${JSON.stringify(e)}\n`).join(''));
  for (const e of write) written.add(e.seq);
  writeRunFile(runDir, WRITTEN_EVENTS, [...written].map((n) => `${n}\n`).join(''));
  writeRunFile(runDir, HELD_EVENTS, JSON.stringify(hold));
}

function savedOutputs(runDir: string, task: TaskState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of task.savedOutputs ?? []) {
    const text = readSavedOutput(runDir, task, rel);
    if (text !== undefined && text.length <= MAX_OUTPUT_CHARS) out[rel] = text;
  }
  return out;
}

function readIfThere(runDir: string, name: string): string | undefined {
  const file = path.join(localRunDir(runDir), name);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** `prompts_log.md` from the per-task `claude_md_<task>.md` and `prompt_<task>.md`. */
function writePromptsLog(runDir: string, view: RunStatusView): void {
  const tasks = view.tasks.flatMap((t) => {
    const id = safeName(t.id);
    const instructions = readIfThere(runDir, `claude_md_${id}.md`);
    const prompt = readIfThere(runDir, `prompt_${id}.md`);
    if (instructions === undefined && prompt === undefined) return [];
    return [{ name: t.name, ...(instructions ? { instructions } : {}), ...(prompt ? { prompt } : {}) }];
  });
  writeRunFile(runDir, 'prompts_log.md', promptsLog(view.component, tasks));
}

export async function writeRunRecord(input: RunRecordInput): Promise<void> {
  await workerCredentials(); // so the record is redacted
  const { runDir, view } = input;
  // Lifecycle events go where the agents' events go (stream.jsonl, whose folder the stream copy
  // creates when needed), so none is lost before the folder exists.
  appendLifecycle(runDir, input.events ?? [], input.final);
  // The CLI creates the folder; where it does not exist here (a remote worker), only the final record is written.
  if (!input.final && (!existsSync(localRunDir(runDir)) || finalAlreadyWritten(runDir))) return;
  const now = Date.now();
  const tasks = tasksResult(view, (t) => savedOutputs(runDir, t), now);
  writeRunFile(runDir, 'tasks_result.json', `${JSON.stringify(tasks, null, 2)}\n`);
  writeRunFile(runDir, 'result.json', `${JSON.stringify(runResult(view, now), null, 2)}\n`);
  // DKMV's `attach` / `stop` read the run's container name from container.txt.
  if (view.containerName) writeRunFile(runDir, 'container.txt', view.containerName);
  if (input.final) writePromptsLog(runDir, view);
}
