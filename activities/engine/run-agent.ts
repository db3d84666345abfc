// runAgentTask: the heart of durable agent execution. The agent CLI runs detached in the sandbox;
// this activity tails its event stream, heartbeats a small cursor, and on a retry after a worker
// crash re-attaches to the same process instead of starting the agent again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  getAdapter,
  agentGithubEnv,
  requireAgentCredentials,
  shellQuote,
  type AgentEvent,
  type AgentResult,
  type AgentTaskParams,
} from '../../core/agents/index.js';
import type { RunAgentInput } from '../../core/engine/activity-types.js';
import type { TaskRunResult } from '../../core/engine/run-types.js';
import { isUserError } from '../../core/errors.js';
import { dkmvFailure, FailureType, isSandboxLost, sandboxLost } from '../../core/failures/index.js';
import { readHeartbeatCursor, writeHeartbeatCursor, writeLostWork } from '../../core/temporal/payloads.js';
import { runDetached, type DetachedSpec } from '../sandbox/detached-run.js';
import { execIn } from '../sandbox/exec.js';
import { outOfMemoryError } from '../sandbox/oom.js';
import { CONTAINER_CONTROL, CONTAINER_WORKSPACE, sandboxLayout } from '../sandbox/layout.js';
import { appendRunFile, safeName } from './run-folder.js';
import { redactSecrets, rememberSecrets, workerCredentials } from './secrets.js';
import { StreamCopier } from './stream-copy.js';
import { writeInto } from './workspace-files.js';
import { assertRealFolder, readTaskEnv } from './workspace-guard.js';

function controlDirs(input: RunAgentInput) {
  const id = safeName(input.task.slotId);
  const key = input.resume
    ? `resume-${createHash('sha1').update(input.resume.prompt).digest('hex').slice(0, 8)}`
    : 'agent';
  const { control } = sandboxLayout(input.sandbox.sandboxId);
  return {
    host: path.join(control, id, key),
    container: `${CONTAINER_CONTROL}/${id}/${key}`,
    taskHost: path.join(control, id),
    taskContainer: `${CONTAINER_CONTROL}/${id}`,
  };
}

/** Config files the CLI reads from HOME (outside the bind mounts): written through exec. */
async function writeContainerFiles(containerId: string, files: { path: string; content: string }[]): Promise<void> {
  for (const file of files) {
    const dir = path.posix.dirname(file.path);
    await execIn(
      containerId,
      ['bash', '-c', `mkdir -p ${shellQuote(dir)} && printf '%s' "$DKMV_FILE" > ${shellQuote(file.path)}`],
      {
        env: { DKMV_FILE: file.content },
      },
    );
  }
}

function describe(event: AgentEvent): string | undefined {
  switch (event.type) {
    case 'text':
      return event.text.replace(/\s+/g, ' ').slice(0, 120);
    case 'tool_use':
      return `${event.name} ${JSON.stringify(event.input).slice(0, 100)}`;
    case 'notice':
      return event.message.slice(0, 120);
    default:
      return undefined;
  }
}

export async function runAgentTask(input: RunAgentInput): Promise<TaskRunResult> {
  const { task, sandbox, run } = input;
  const adapter = getAdapter(task.agent);
  const creds = await workerCredentials();
  try {
    requireAgentCredentials(task.agent, creds, run.modelUrl);
  } catch (err) {
    if (isUserError(err)) throw dkmvFailure(FailureType.AgentStartFailed, err.format());
    throw err;
  }
  const dirs = controlDirs(input);
  const { control } = sandboxLayout(input.sandbox.sandboxId);
  assertRealFolder(control, path.relative(control, dirs.host)); // writable from the container: no links
  mkdirSync(dirs.host, { recursive: true });
  const promptFile = input.resume ? `${dirs.container}/prompt.md` : `${dirs.taskContainer}/prompt.md`;
  if (input.resume) writeInto(control, path.join(path.relative(control, dirs.host), 'prompt.md'), input.resume.prompt);
  const params: AgentTaskParams = {
    prompt: '',
    promptFile,
    model: task.model,
    maxTurns: task.maxTurns,
    ...(task.budgetUsd !== undefined ? { maxBudgetUsd: task.budgetUsd } : {}),
    ...(input.resume ? { resumeSessionId: input.resume.sessionId } : {}),
    ...(run.modelUrl ? { modelUrl: run.modelUrl } : {}),
  };
  const invocation = adapter.invocation(params, creds);
  rememberSecrets(invocation.secrets);
  const fresh = !existsSync(path.join(dirs.host, 'pid'));
  if (fresh) await writeContainerFiles(sandbox.containerId, invocation.files);
  const taskEnv = readTaskEnv(dirs.taskHost);
  const spec: DetachedSpec = {
    containerId: sandbox.containerId,
    hostDir: dirs.host,
    containerDir: dirs.container,
    workdir: CONTAINER_WORKSPACE,
    script: `${invocation.argv.map(shellQuote).join(' ')} < ${shellQuote(invocation.stdin)}\n`,
    env: { ...taskEnv, ...invocation.env, ...agentGithubEnv(creds, run.agentGithubToken === true) },
    timeoutMs: task.timeoutMinutes * 60_000,
  };
  return await follow(
    input,
    spec,
    adapter.createParser({
      model: task.model,
      maxTurns: task.maxTurns,
      ...(task.budgetUsd !== undefined ? { maxBudgetUsd: task.budgetUsd } : {}),
    }),
    fresh,
  );
}

async function follow(
  input: RunAgentInput,
  spec: DetachedSpec,
  parser: ReturnType<ReturnType<typeof getAdapter>['createParser']>,
  fresh: boolean,
): Promise<TaskRunResult> {
  const ctx = Context.current();
  const previous = readHeartbeatCursor(ctx.info.heartbeatDetails);
  const stateFile = path.join(
    sandboxLayout(input.sandbox.sandboxId).root,
    `copied-${path.basename(path.dirname(spec.hostDir))}-${path.basename(spec.hostDir)}`,
  );
  const copier = new StreamCopier(input.run.runDir, stateFile, previous?.copied ?? 0);
  if (fresh)
    appendRunFile(
      input.run.runDir,
      'stream.jsonl',
      `${JSON.stringify({ type: 'dkmv', task: input.task.slotId, event: input.resume ? 'resume' : 'start', agent: input.task.agent, _ts: new Date().toISOString() })}\n`,
    );
  let last: string | undefined;
  const outcome = await spentOnLoss(parser, () =>
    runDetached(spec, {
      onStdout(chunk, offset) {
        for (const event of parser.push(chunk)) last = describe(event) ?? last;
        copier.push(chunk, offset);
      },
      check: () => parser.limitExceeded,
      heartbeat() {
        ctx.heartbeat(
          writeHeartbeatCursor({
            copied: copier.copiedUpTo,
            turns: parser.progress.turns,
            costUsd: parser.progress.costUsd,
            task: input.task.slotId,
            ...(last ? { last: redactSecrets(last) } : {}),
          }),
        );
      },
    }),
  );
  copier.flush();
  parser.end({ exitCode: outcome.exitCode, stderr: redactSecrets(outcome.stderrTail) });
  const result = toTaskResult(parser.result, outcome.stopped);
  const oom = result.status === 'failed' ? await outOfMemoryError(spec.containerId, outcome.exitCode) : undefined;
  return oom ? { ...result, error: oom } : result;
}

/** A lost container still cost money: report what the agent spent in the failure's details. */
async function spentOnLoss<T>(
  parser: { progress: { turns: number; costUsd: number } },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ApplicationFailure && isSandboxLost(err)) {
      const { turns, costUsd } = parser.progress;
      throw sandboxLost(err.message, writeLostWork({ turns, costUsd }));
    }
    throw err;
  }
}

function toTaskResult(result: AgentResult | undefined, stopped: string | undefined): TaskRunResult {
  const base = {
    turns: result?.turns ?? 0,
    costUsd: result?.costUsd ?? 0,
    durationMs: result?.durationMs ?? 0,
    ...(result?.sessionId ? { sessionId: result.sessionId } : {}),
  };
  if (stopped === 'timeout') return { ...base, status: 'timed_out', error: 'the task ran past its timeout_minutes' };
  if (stopped) return { ...base, status: 'failed', error: `stopped: ${stopped.replace('_', ' ')} exceeded` };
  if (result?.status === 'completed') return { ...base, status: 'completed' };
  const reason = result?.reason ?? 'no_result';
  return {
    ...base,
    status: 'failed',
    error: redactSecrets(`${reason}: ${result?.message ?? 'the agent ended without a result'}`.slice(0, 2000)),
  };
}
