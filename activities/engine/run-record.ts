// writeRunRecord: tasks_result.json after each task and result.json at the end, so `dkmv show`
// works from the run folder alone (no worker, no server).
import { existsSync } from 'node:fs';
import type { RunStatusView } from '../../core/engine/run-types.js';
import { writeRunFile } from './run-folder.js';

export async function writeRunRecord(input: { runDir: string; view: RunStatusView; final: boolean }): Promise<void> {
  if (!existsSync(input.runDir) && !input.final) return;
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
