// runScriptTask: a `run:` task executes its shell script in the sandbox (no agent); its exit code
// is its status. Same detached, re-attachable execution as agents.
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { RunAgentInput } from '../../core/engine/activity-types.js';
import type { TaskRunResult } from '../../core/engine/run-types.js';
import { readHeartbeatCursor, writeHeartbeatCursor } from '../../core/temporal/payloads.js';
import { runDetached } from '../sandbox/detached-run.js';
import { CONTAINER_CONTROL, CONTAINER_WORKSPACE, sandboxLayout } from '../sandbox/layout.js';
import { appendRunFile, safeName } from './run-folder.js';
import { redactSecrets, workerCredentials } from './secrets.js';
import { assertRealFolder, readControlText, readTaskEnv } from './workspace-guard.js';

/** Credentials a script asked for (`credentials: [github]`): read on the worker, passed to the exec only. */
async function scriptCredentials(wanted: string[]): Promise<Record<string, string>> {
  if (!wanted.includes('github')) return {};
  const token = (await workerCredentials()).githubToken;
  return token ? { GITHUB_TOKEN: token, GH_TOKEN: token } : {};
}

export async function runScriptTask(input: RunAgentInput): Promise<TaskRunResult> {
  await workerCredentials(); // so the script log is redacted
  const id = safeName(input.task.slotId);
  const { control } = sandboxLayout(input.sandbox.sandboxId);
  assertRealFolder(control, `${id}/script`);
  const taskHost = path.join(control, id);
  const env = {
    ...readTaskEnv(taskHost),
    ...(await scriptCredentials(input.task.credentials ?? [])),
  };
  const started = Date.now();
  const log = `script_${id}.log`;
  const ctx = Context.current();
  const copiedBefore = readHeartbeatCursor(ctx.info.heartbeatDetails)?.copied ?? 0;
  let copied = copiedBefore;
  const outcome = await runDetached(
    {
      containerId: input.sandbox.containerId,
      hostDir: path.join(taskHost, 'script'),
      containerDir: `${CONTAINER_CONTROL}/${id}/script`,
      workdir: CONTAINER_WORKSPACE,
      script: `set -o pipefail\nexec 2>&1\n${readControlText(taskHost, 'script.sh')}\n`,
      env,
      timeoutMs: input.task.timeoutMinutes * 60_000,
    },
    {
      onStdout(chunk, offset) {
        const end = offset + chunk.length;
        if (end > copied)
          appendRunFile(input.run.runDir, log, chunk.subarray(Math.max(0, copied - offset)).toString('utf8'));
        copied = Math.max(copied, end);
      },
      check: () => undefined,
      heartbeat: () =>
        ctx.heartbeat(
          writeHeartbeatCursor({ copied, task: input.task.slotId, turns: 0, costUsd: 0, last: 'running script' }),
        ),
    },
  );
  const durationMs = Date.now() - started;
  const base = { turns: 0, costUsd: 0, durationMs };
  if (outcome.stopped === 'timeout')
    return { ...base, status: 'timed_out', error: 'the script ran past its timeout_minutes' };
  if (outcome.exitCode === 0) return { ...base, status: 'completed' };
  const tail = readControlText(path.join(taskHost, 'script'), 'stdout').trim().split('\n').slice(-15).join('\n');
  const how = outcome.exitCode === null ? 'was killed' : `exited with code ${outcome.exitCode}`;
  return {
    ...base,
    status: 'failed',
    error: redactSecrets(`the script ${how}${tail ? `:\n${tail}` : ''}`).slice(0, 3000),
  };
}
