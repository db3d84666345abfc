// writeRunRecord: tasks_result.json after each task and result.json at the end, so `dkmv show`
// works from the run folder alone (no worker, no server).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunStatusView } from '../../core/engine/run-types.js';
import { writeRunFile } from './run-folder.js';
import { workerCredentials } from './secrets.js';

/** A progress write that lands late (retries) must not overwrite the final record. */
function finalAlreadyWritten(runDir: string): boolean {
  const file = path.join(runDir, 'result.json');
  if (!existsSync(file)) return false;
  try {
    const status = (JSON.parse(readFileSync(file, 'utf8')) as { status?: string }).status;
    return status !== undefined && status !== 'running' && status !== 'awaiting_input';
  } catch {
    return false;
  }
}

export async function writeRunRecord(input: { runDir: string; view: RunStatusView; final: boolean }): Promise<void> {
  await workerCredentials(); // so the record is redacted
  if (!input.final && (!existsSync(input.runDir) || finalAlreadyWritten(input.runDir))) return;
  const { view } = input;
  writeRunFile(input.runDir, 'tasks_result.json', `${JSON.stringify(view.tasks, null, 2)}\n`);
  const durationMs = view.endedAt ? Date.parse(view.endedAt) - Date.parse(view.startedAt) : undefined;
  const result = {
    run_id: view.runId,
    component: view.component,
    repo: view.repo,
    branch: view.branch,
    status: view.status,
    cost_usd: view.costUsd,
    started_at: view.startedAt,
    ended_at: view.endedAt,
    duration_ms: durationMs,
    error: view.error,
    container: view.containerName,
  };
  writeRunFile(input.runDir, 'result.json', `${JSON.stringify(result, null, 2)}\n`);
}
