// Crash matrix, faults around a live worker: the sandbox container killed and restarted under the
// agent (what a Docker engine restart does to it), the git remote unreachable during the push (back
// later, or never), and the model API failing with 500 and 529 for a while. One in-process worker
// serves every row; rows run in parallel, each with its own repo, run and model-script session.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentRunInput } from '../../core/engine/run-types.js';
import { componentWorkflow } from '../../workflows/index.js';
import { branchLog, fileOnBranch, makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import {
  agentStarts,
  containersOf,
  CRASHY,
  failureOf,
  LAST_TURN,
  MID_TURN,
  sessionOf,
  waitUntil,
  writeScript,
  TurnGate,
  type RowScript,
} from './support.js';

const rows: Record<string, RowScript> = {
  'container-restart': {},
  'remote-back': {},
  'remote-down': {},
  'model-errors': { errors: [500, 529, 529] },
};

let client: Client;
let closeClient: () => Promise<void>;
let mock: Mock;
let worker: RunningWorker;
let root: string;
const gate = new TurnGate();
/** Faults to inject when a row's agent asks for its last turn (by session): it cannot have pushed yet. */
const atLastTurn = new Map<number, () => void>();

beforeAll(async () => {
  ({ client, close: closeClient } = await testClient());
  root = tempDir('crash-faults');
  mock = await startMock(writeScript(root, rows), root, async (session, turn) => {
    if (turn === LAST_TURN) atLastTurn.get(session)?.();
    await gate.beforeTurn(session, turn);
  });
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.stop();
  await mock?.close();
  await closeClient?.();
});

interface Row {
  bare: string;
  branch: string;
  input: ComponentRunInput;
  handle: WorkflowHandle<typeof componentWorkflow>;
  session: number;
}

/** Starts a row's run; `atLast` runs (with the row's remote) while its agent waits for its last turn. */
async function startRow(row: string, atLast?: (bare: string) => void): Promise<Row> {
  const dir = path.join(root, row);
  mkdirSync(dir, { recursive: true });
  const bare = makeBareRepo(dir);
  if (atLast) atLastTurn.set(sessionOf(rows, row), () => atLast(bare));
  const branch = `crash/${row}`;
  const input = runInput({
    component: CRASHY,
    repo: bare,
    branch,
    projectRoot: path.join(dir, 'project'),
    modelUrl: mock.url,
    vars: { row },
    heartbeatTimeoutSeconds: 5,
  });
  mkdirSync(input.runDir, { recursive: true });
  const handle = await client.workflow.start(componentWorkflow, {
    workflowId: input.runId,
    taskQueue: worker.target.taskQueue,
    args: [input],
  });
  return { bare, branch, input, handle, session: sessionOf(rows, row) };
}

/** True while a commit attempt of the run (commitTask, or finishTask which commits) is pending. */
async function committing(handle: WorkflowHandle): Promise<boolean> {
  const desc = await handle.describe();
  return (desc.raw.pendingActivities ?? []).some((a) =>
    ['commitTask', 'finishTask'].includes(a.activityType?.name ?? ''),
  );
}

describe.concurrent('faults around a live worker', () => {
  it('sandbox container killed and restarted mid-turn (a Docker engine restart): the task re-runs cleanly', async () => {
    const held = gate.hold(sessionOf(rows, 'container-restart'), MID_TURN);
    const r = await startRow('container-restart');
    await held.arrived;
    const [container] = containersOf(r.input.runId);
    execFileSync('docker', ['kill', container as string], { stdio: 'ignore' });
    execFileSync('docker', ['start', container as string], { stdio: 'ignore' });
    held.release();
    const view = await r.handle.result();
    expect(view.status).toBe('completed');
    // The agent died with its container, so it is started again, once, in a new sandbox.
    expect(agentStarts(mock, r.session)).toBe(2);
    expect(view.containerName).toBe(`dkmv-${r.input.runId}-g1`);
    expect(branchLog(r.bare, r.branch)).toEqual(['dkmv: crashy', 'initial']);
    expect(containersOf(r.input.runId)).toEqual([]);
  });

  it('git remote unreachable during the push, then back: the push is retried with backoff', async () => {
    // Taken away while the agent waits for its last answer: from there on only the push needs it.
    const r = await startRow('remote-back', (bare) => renameSync(bare, `${bare}.away`));
    const away = `${r.bare}.away`;
    await waitUntil('the commit to start', () => committing(r.handle));
    await new Promise((res) => setTimeout(res, 3000)); // first push attempts fail meanwhile
    renameSync(away, r.bare);
    const view = await r.handle.result();
    expect(view.status).toBe('completed');
    expect(agentStarts(mock, r.session)).toBe(1);
    expect(branchLog(r.bare, r.branch)).toEqual(['dkmv: crashy', 'initial']);
    expect(fileOnBranch(r.bare, r.branch, 'src/work.txt')).toBe('remote-back\n');
  });

  it('git remote down for good: the run fails saying where the commit is kept and how to push it', async () => {
    const r = await startRow('remote-down', (bare) => renameSync(bare, `${bare}.away`));
    const away = `${r.bare}.away`;
    const err = await r.handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    renameSync(away, r.bare);
    const message = failureOf(err);
    expect(message).toMatch(/^task crashy: git push of crash\/remote-down failed 5 times/);
    // git's own complaint, first line included
    expect(message).toMatch(/failed 5 times \(fatal: '[^']+' does not appear to be a git repository/);
    const command =
      /push it with: (git -c safe\.directory=\S+ -C (\S+) push origin HEAD:refs\/heads\/crash\/remote-down)$/.exec(
        message,
      );
    expect(command, message).not.toBeNull();
    const [, line, workspace] = command as RegExpExecArray;
    expect(message).toContain(`kept in the sandbox folder ${workspace}`);
    // The container is gone, the folder with the commit is not; the given command pushes it.
    expect(containersOf(r.input.runId)).toEqual([]);
    expect(existsSync(workspace as string)).toBe(true);
    execFileSync('sh', ['-c', line as string], { stdio: 'ignore' });
    expect(branchLog(r.bare, r.branch)).toEqual(['dkmv: crashy', 'initial']);
    expect(fileOnBranch(r.bare, r.branch, 'src/work.txt')).toBe('remote-down\n');
    const result = JSON.parse(readFileSync(path.join(r.input.runDir, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ status: 'failed' });
    rmSync(path.dirname(workspace as string), { recursive: true, force: true });
  });

  it('model API answering 500 then 529 twice: the agent CLI retries, the run completes, agent started once', async () => {
    const r = await startRow('model-errors');
    const view = await r.handle.result();
    expect(view.status).toBe('completed');
    expect(agentStarts(mock, r.session)).toBe(1);
    const served = mock.requests().filter((q) => q.session === r.session && q.turn === 1);
    expect(served.map((q) => q.status)).toEqual([500, 529, 529, 200]);
    expect(fileOnBranch(r.bare, r.branch, 'src/work.txt')).toBe('model-errors\n');
  });
});
