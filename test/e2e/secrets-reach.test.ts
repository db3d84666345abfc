// Secrets never reach what a user or an operator can read, for the paths secrets.test.ts does not
// cover: a harness run's whole child tree (histories, memos, search attributes, current details —
// what the Web UI shows), its run folders, `dkmv show --json`, and a run resumed by a new worker after
// the first was SIGKILLed mid-task. Marker credentials sit in the workers' environment and are
// injected into the sandboxes; then everything dkmv wrote or recorded is searched for them.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DKMV_HOME } from '../../core/project.js';
import { componentWorkflow } from '../../workflows/index.js';
import { fileOnBranch, makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';
import { TurnGate } from '../support/turn-gate.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';

const MARKERS = ['dkmv-test-marker-anthropic-91c2e7', 'dkmv-test-marker-github-3b8d40'];
const MARKER_ENV = { ANTHROPIC_API_KEY: MARKERS[0]!, GITHUB_TOKEN: MARKERS[1]! };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function expectNoMarker(text: string, where: string): void {
  for (const marker of MARKERS) expect(text, where).not.toContain(marker);
}

/** Every file under a folder, PNGs and JSON alike, searched as bytes. */
function expectFolderClean(dir: string): number {
  const files = filesUnder(dir);
  for (const file of files) expectNoMarker(readFileSync(file).toString('latin1'), file);
  return files.length;
}

function dkmv(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(DKMV_HOME, 'bin', 'dkmv.js'), ...args],
      {
        cwd: DKMV_HOME,
        env: { ...process.env, ...env, TEMPORAL_ADDRESS: inject('temporalAddress'), NO_COLOR: '1' },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 540_000,
      },
      (err, stdout, stderr) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          out: `${stdout}\n${stderr}`,
          stdout,
        }),
    );
  });
}

/**
 * What Temporal (and so the Web UI) holds about a workflow: its history, its description (memo,
 * search attributes, pending activities with heartbeat details) and its current details.
 */
async function temporalView(handle: WorkflowHandle): Promise<string> {
  const [history, desc] = await Promise.all([handle.fetchHistory(), handle.describe()]);
  const meta = await handle.query('__temporal_workflow_metadata').catch(() => null);
  return JSON.stringify({ history, raw: desc.raw, memo: desc.memo, sa: desc.searchAttributes, meta });
}

/** The workflow and every child it started, recursively, from the histories. */
async function workflowTree(client: Client, rootId: string): Promise<string[]> {
  const ids = [rootId];
  for (let i = 0; i < ids.length; i++) {
    const history = await client.workflow.getHandle(ids[i]!).fetchHistory();
    for (const e of history.events ?? []) {
      const child = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
      if (child && !ids.includes(child)) ids.push(child);
    }
  }
  return ids;
}

let client: Client;
let closeClient: () => Promise<void>;
const saved = { anthropic: process.env.ANTHROPIC_API_KEY, github: process.env.GITHUB_TOKEN };

beforeAll(async () => {
  Object.assign(process.env, MARKER_ENV); // the in-process worker's credentials
  ({ client, close: closeClient } = await testClient());
});
afterAll(async () => {
  await closeClient?.();
  for (const [k, v] of [
    ['ANTHROPIC_API_KEY', saved.anthropic],
    ['GITHUB_TOKEN', saved.github],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('a harness run and its children', () => {
  let worker: RunningWorker;
  let outputDir: string;
  let runId: string;
  let result: { code: number; out: string };

  beforeAll(async () => {
    worker = await startTestWorker();
    outputDir = tempDir('secrets-harness-runs');
    result = await dkmv(['test', 'harness'], {
      ...MARKER_ENV,
      DKMV_TASK_QUEUE: worker.target.taskQueue,
      DKMV_OUTPUT_DIR: outputDir,
    });
    runId = /run {5}(\S+)/.exec(result.out)?.[1] ?? '';
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it('completes with the marker credentials in the worker', () => {
    if (result.code !== 0) console.error(result.out);
    expect(result.code).toBe(0);
    expect(runId).toMatch(/-harness-/);
  });

  it('keeps them out of every history, memo, search attribute and current details in the tree', async () => {
    const ids = await workflowTree(client, runId);
    expect(ids.length).toBeGreaterThanOrEqual(5); // planner + 3 generators + the harness (+ evaluators)
    for (const id of ids) expectNoMarker(await temporalView(client.workflow.getHandle(id)), id);
  });

  it('keeps them out of the run folders (reports, screenshots, streams) and the CLI output', () => {
    expect(expectFolderClean(outputDir)).toBeGreaterThan(5);
    expectNoMarker(result.out, 'dkmv test harness output');
  });

  it('keeps them out of `dkmv show --json` of the harness and of a child', async () => {
    const ids = await workflowTree(client, runId);
    for (const id of [runId, ids.find((i) => i.includes('/gen/'))!]) {
      const shown = await dkmv(['show', id, '--json'], { DKMV_OUTPUT_DIR: outputDir });
      expect(shown.code, shown.out).toBe(0);
      expect(() => JSON.parse(shown.stdout)).not.toThrow();
      expectNoMarker(shown.out, `dkmv show ${id} --json`);
    }
  });
});

describe('a run resumed after its worker was SIGKILLed mid-task', () => {
  let mock: Mock;
  let root: string;
  let bare: string;
  const workers: ChildProcess[] = [];
  // The agent's second turn (it prints the key again) is held until the first worker is dead.
  const gate = new TurnGate();

  beforeAll(async () => {
    root = tempDir('secrets-crash');
    bare = makeBareRepo(root);
    mock = await startMock(
      path.join(DKMV_HOME, 'test/e2e/fixtures/secret-crash/model-script.yaml'),
      root,
      gate.beforeTurn,
    );
  });
  afterAll(async () => {
    for (const w of workers) {
      if (w.exitCode !== null || w.signalCode !== null) continue;
      w.kill('SIGTERM');
      await new Promise((r) => w.once('exit', r));
    }
    await mock?.close();
  });

  it('keeps the markers out of history, the run folder, the branch and `dkmv show --json`', async () => {
    const taskQueue = `secrets-crash-${Date.now()}`;
    const spawnWorker = (): ChildProcess => {
      const w = spawn(process.execPath, [path.join(DKMV_HOME, 'bin/dkmv.js'), 'worker'], {
        env: { ...process.env, ...MARKER_ENV, TEMPORAL_ADDRESS: inject('temporalAddress'), DKMV_TASK_QUEUE: taskQueue },
        stdio: 'ignore',
      });
      workers.push(w);
      return w;
    };
    const input = runInput({
      component: path.join(DKMV_HOME, 'test/e2e/fixtures/secret-crash'),
      repo: bare,
      branch: 'secret/crash',
      projectRoot: path.join(root, 'project'),
      modelUrl: mock.url,
      heartbeatTimeoutSeconds: 5,
    });
    const held = gate.hold(0, 1);
    const first = spawnWorker();
    const handle = await client.workflow.start(componentWorkflow, {
      workflowId: input.runId,
      taskQueue,
      args: [input],
    });
    // Mid-task: the agent has done a turn, its heartbeat cursor is in Temporal.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const desc = await handle.describe();
      const pending = desc.raw.pendingActivities?.find((a) => a.activityType?.name === 'runAgentTask');
      const data = pending?.heartbeatDetails?.payloads?.[0]?.data;
      if (data && (JSON.parse(Buffer.from(data).toString('utf8')) as { turns: number }).turns >= 1) break;
      if (Date.now() > deadline) throw new Error('the agent never got mid-task');
      await new Promise((r) => setTimeout(r, 200));
    }
    expectNoMarker(await temporalView(handle), 'mid-task view');
    first.kill('SIGKILL');
    spawnWorker();
    held.release();
    const view = await handle.result();
    expect(view.status).toBe('completed');
    // It was a resume, not a fresh run: an activity attempt after the crash.
    const history = await handle.fetchHistory();
    const attempts = (history.events ?? []).map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 1);
    expect(Math.max(...attempts)).toBeGreaterThan(1);

    expectNoMarker(await temporalView(handle), 'final view');
    expect(expectFolderClean(input.runDir)).toBeGreaterThan(3);
    // The agent did print its key on both sides of the crash: redacted where dkmv copied the stream.
    const stream = readFileSync(path.join(input.runDir, 'stream.jsonl'), 'utf8');
    expect(stream).toContain('before-crash key=[REDACTED]');
    expect(stream).toContain('after-crash key=[REDACTED]');
    const shown = await dkmv(['show', input.runId, '--json'], {
      DKMV_OUTPUT_DIR: path.dirname(path.dirname(input.runDir)),
    });
    expect(shown.code, shown.out).toBe(0);
    expectNoMarker(shown.out, 'dkmv show --json');
    expect(JSON.parse(fileOnBranch(bare, 'secret/crash', '.agent/done.json'))).toEqual({ ok: true });
    const branch = await new Promise<string>((resolve) =>
      execFile('git', ['--git-dir', bare, 'log', '-p', 'secret/crash'], (_e, out) => resolve(out)),
    );
    expectNoMarker(branch, 'branch');
  });
});
