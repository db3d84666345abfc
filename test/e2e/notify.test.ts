// Notifications end to end, as a user meets them: `node bin/dkmv.js run … --notify <url>` against a
// local stack of this test's own (real Temporal dev server with its HTTP API, the stack's worker
// from the compiled CLI), a real sandbox container, Claude Code against a model script. A loopback
// receiver gets the pause event; the run is answered with what the event says (its curl command
// through Temporal's HTTP API, or its `dkmv approve` command), and the completion event arrives.
// A webhook nobody listens on leaves the run's outcome unchanged and shows up in `dkmv show`.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockModel, type MockModel } from '../../core/mock-model/server.js';
import type { NotifyEvent } from '../../core/notify/index.js';
import { fileOnBranch } from '../support/e2e.js';
import { deadPort, startReceiver, type Received, type Receiver } from '../workflow/webhook-receiver.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/dkmv.js');
const PAUSE = path.join(ROOT, 'test/e2e/fixtures/cli-pause');
const docker = new Docker();

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

let tmp: string;
let project: string;
let bare: string;
let mock: MockModel;
let receiver: Receiver;
let env: NodeJS.ProcessEnv;
const startedRuns: string[] = [];

/** Runs a command line in a shell from the project folder, with `dkmv` on PATH as the compiled CLI. */
function sh(command: string, extraEnv: NodeJS.ProcessEnv = {}, timeoutMs = 300_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd: project,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

async function startPausingRun(branch: string, extra: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const res = await sh(`dkmv run ${PAUSE} --branch ${branch} --repo ${bare} --no-wait ${extra}`, extraEnv);
  expect(res.code, `stdout: ${res.stdout}\nstderr: ${res.stderr}`).toBe(0);
  const runId = res.stdout.trim();
  startedRuns.push(runId);
  return runId;
}

const about = (runId: string, event: string) => (r: Received) => r.body.run_id === runId && r.body.event === event;

interface ShowJson {
  status: string;
  notifications?: { event: string; target: string; ok: boolean; error?: string }[];
}

/** `dkmv show` once the run has recorded `count` notification outcomes (bounded by a minute). */
async function settled(runId: string, count: number): Promise<ShowJson> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const shown = await show(runId);
    if ((shown.notifications ?? []).length >= count || Date.now() > deadline) return shown;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function show(runId: string): Promise<ShowJson> {
  const res = await sh(`dkmv show ${runId} --json`);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as ShowJson;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dkmv-notify-e2e-'));
  bare = path.join(tmp, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const seed = path.join(tmp, 'seed');
  execFileSync('git', ['clone', '-q', bare, seed], { stdio: 'ignore' });
  writeFileSync(path.join(seed, 'README.md'), '# notify e2e\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@localhost', ...args], { cwd: seed });
  git('add', '.');
  git('commit', '-qm', 'initial');
  git('push', '-q', 'origin', 'HEAD:main');
  project = path.join(tmp, 'project');
  mkdirSync(project);
  const bin = path.join(tmp, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'dkmv'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(path.join(bin, 'dkmv'), 0o755);

  mock = await startMockModel({ scriptPath: path.join(PAUSE, 'model-script.yaml') });
  receiver = await startReceiver();
  env = {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    DKMV_STACK_DIR: path.join(tmp, 'stack'),
    DKMV_STACK_PORT: String(await getPort({ host: '127.0.0.1' })),
    DKMV_STACK_UI_PORT: String(await getPort({ host: '127.0.0.1' })),
    DKMV_STACK_HTTP_PORT: String(await getPort({ host: '127.0.0.1' })),
    DKMV_MODEL_URL: mock.url,
    DKMV_SANDBOX_DIR: path.join(tmp, 'sandboxes'),
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  delete env.TEMPORAL_ADDRESS;
  delete env.DKMV_TASK_QUEUE;
  delete env.DKMV_NOTIFY_URL;
  delete env.DKMV_TEMPORAL_HTTP_URL;
});

afterAll(async () => {
  if (env) await sh('dkmv down --force').catch(() => undefined);
  for (const runId of startedRuns) {
    const containers = await docker
      .listContainers({ all: true, filters: { label: [`dkmv.run_id=${runId}`] } })
      .catch(() => []);
    for (const c of containers) {
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
  }
  await receiver?.close();
  await mock?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('run notifications (e2e)', () => {
  it('the pause event reaches a webhook; its curl answers the run through the HTTP API; the completion follows', async () => {
    const runId = await startPausingRun('notify/curl', `--notify ${receiver.url}`);
    const paused = await receiver.waitFor(about(runId, 'awaiting_input'), 'the pause event', 240_000);
    const event = paused.body as unknown as NotifyEvent;
    expect(event).toMatchObject({
      kind: 'component',
      component: 'cli-pause',
      branch: 'notify/curl',
      status: 'awaiting_input',
      task: 'ask',
      questions: [{ id: 'scope', options: ['small', 'large'], default: 'small' }],
      web_ui: `http://127.0.0.1:${env.DKMV_STACK_UI_PORT}/namespaces/default/workflows/${runId}`,
    });
    expect(event.cost_usd).toBeGreaterThan(0);
    expect(event.answer?.approve).toBe(`dkmv approve ${runId} --action continue --answer scope=small`);
    expect(event.answer?.curl).toContain(`http://127.0.0.1:${env.DKMV_STACK_HTTP_PORT}/api/v1/`);

    const answered = await sh(event.answer!.curl!);
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stdout).toContain('awaiting_input'); // the update's result: the status as it took the decision

    const done = await receiver.waitFor(about(runId, 'completed'), 'the completion event', 240_000);
    expect(done.body).toMatchObject({ status: 'completed', run_id: runId });
    expect(fileOnBranch(bare, 'notify/curl', '.agent/answer.txt').trim()).toBe('scope=small');
    const shown = await settled(runId, 2); // the receiver may hear of the end before the run records it
    expect(shown.status).toBe('completed');
    expect(shown.notifications?.map((n) => [n.event, n.ok])).toEqual([
      ['awaiting_input', true],
      ['completed', true],
    ]);
  });

  it('an unreachable webhook (from DKMV_NOTIFY_URL) changes nothing; the approve command from the event answers', async () => {
    const dead = `http://127.0.0.1:${await deadPort()}/hook`;
    const runId = await startPausingRun('notify/dead', '', { DKMV_NOTIFY_URL: `${dead},${receiver.url}` });
    const paused = await receiver.waitFor(about(runId, 'awaiting_input'), 'the pause event', 240_000);
    const approve = (paused.body as unknown as NotifyEvent).answer!.approve.replace('scope=small', 'scope=large');
    const answered = await sh(approve);
    expect(answered.code, answered.stderr + answered.stdout).toBe(0);

    await receiver.waitFor(about(runId, 'completed'), 'the completion event', 240_000);
    expect(fileOnBranch(bare, 'notify/dead', '.agent/answer.txt').trim()).toBe('scope=large');
    // The run shows `completed` as soon as its tasks are done; the end notifications (the dead one
    // retried and given up) are recorded while it closes: wait for all four outcomes.
    const shown = await settled(runId, 4);
    expect(shown.status).toBe('completed');
    const failed = (shown.notifications ?? []).filter((n) => !n.ok);
    expect(failed.map((n) => n.event).sort()).toEqual(['awaiting_input', 'completed']);
    expect(failed[0]!.error).toMatch(/did not answer/);
    const text = await sh(`dkmv show ${runId}`);
    expect(text.stdout).toContain(`awaiting_input → ${new URL(dead).origin}  not delivered`);
    expect(text.stdout).toContain(`completed → ${new URL(receiver.url).origin}  delivered`);
  });
});
