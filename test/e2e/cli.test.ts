// The dkmv CLI end to end, as a user drives it from scripts: `node bin/dkmv.js` child processes
// against the real Temporal dev server, an in-process worker (real activities: Docker sandbox, git,
// the real Claude Code CLI) and the mock model serving a model script. No API key, no network.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockModel, type MockModel } from '../../core/mock-model/server.js';
import { startDevServer, type TestDevServer } from '../support/dev-server.js';
import { spawnDkmv } from '../support/dkmv-cli.js';
import { startTestWorker, type RunningWorker } from '../support/temporal.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = path.join(ROOT, 'test/e2e/fixtures/cli-pause');
const docker = new Docker();

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let tmp: string;
let project: string;
let bare: string;
let sandboxDir: string;
let mock: MockModel;
let worker: RunningWorker | undefined;
/** A server of this file's own: it asserts over every run the server lists (`dkmv runs`), and the
 * project's other files run beside it on the shared one. */
let server: TestDevServer;
let env: NodeJS.ProcessEnv;
const startedRuns: string[] = [];

function cli(args: string[], timeoutMs = 300_000): Promise<CliResult> {
  return spawnDkmv(args, { cwd: project, env, timeoutMs });
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@localhost', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

interface ShowJson {
  run_id: string;
  status: string;
  component: string;
  branch: string;
  cost_usd: number;
  pending?: { task: string; questions: { id: string; options?: string[] }[] };
  tasks: { name: string; status: string; cost_usd: number; turns: number; error: string | null }[];
  outputs: string[];
  web_ui?: string;
  run_dir?: string;
}

async function show(runId: string): Promise<ShowJson> {
  const res = await cli(['show', runId, '--json']);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as ShowJson;
}

async function waitFor<T>(what: () => string, probe: () => Promise<T | undefined>, timeoutMs = 240_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function waitForStatus(runId: string, status: string): Promise<ShowJson> {
  let last = '';
  return waitFor(
    () => `run ${runId} to be ${status} (last: ${last})`,
    async () => {
      const data = await show(runId);
      last = data.status;
      return data.status === status ? data : undefined;
    },
  );
}

async function containersOf(runId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`dkmv.run_id=${runId}`] } });
}

async function startRun(branch: string, ...extra: string[]): Promise<string> {
  const res = await cli(['run', 'cli-pause', '--branch', branch, '--no-wait', ...extra]);
  expect(res.code, `stdout: ${res.stdout}\nstderr: ${res.stderr}`).toBe(0);
  const runId = res.stdout.trim();
  expect(runId, res.stderr).toMatch(/^\d{6}-\d{4}-cli-pause-[a-z0-9-]+-[0-9a-f]{4}$/);
  startedRuns.push(runId);
  return runId;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dkmv-cli-e2e-'));
  sandboxDir = path.join(tmp, 'sandboxes');
  process.env.DKMV_SANDBOX_DIR = sandboxDir; // the in-process worker and the CLI share it
  bare = path.join(tmp, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const seed = path.join(tmp, 'seed');
  execFileSync('git', ['clone', '-q', bare, seed], { stdio: 'ignore' });
  writeFileSync(path.join(seed, 'README.md'), '# cli e2e\n');
  git(seed, 'add', '.');
  git(seed, 'commit', '-qm', 'initial');
  git(seed, 'push', '-q', 'origin', 'HEAD:main');
  project = path.join(tmp, 'project');
  mkdirSync(project);

  mock = await startMockModel({ scriptPath: path.join(FIXTURE, 'model-script.yaml') });
  server = await startDevServer();
  worker = await startTestWorker({ address: server.address });
  env = {
    ...process.env,
    TEMPORAL_ADDRESS: server.address,
    DKMV_TASK_QUEUE: worker.target.taskQueue,
    DKMV_MODEL_URL: mock.url,
    DKMV_SANDBOX_DIR: sandboxDir,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
});

afterAll(async () => {
  for (const runId of startedRuns) {
    for (const c of await containersOf(runId).catch(() => [])) {
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
  }
  await worker?.stop();
  await server?.stop();
  await mock?.close();
  delete process.env.DKMV_SANDBOX_DIR;
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('dkmv CLI end to end', () => {
  it('prints help, and usage errors exit 2 with what is wrong and the usage line', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['init', 'plan', 'dev', 'qa', 'docs', 'run', 'components', 'register', 'unregister', 'runs'])
      expect(help.stdout).toContain(`  ${cmd}`);
    for (const cmd of ['show', 'attach', 'stop', 'clean', 'build', 'approve', 'logs'])
      expect(help.stdout).toContain(`  ${cmd}`);
    expect(help.stdout).toContain('Exit codes');

    const runsHelp = await cli(['runs', '--help']);
    expect(runsHelp.code).toBe(0);
    expect(runsHelp.stdout).toMatch(/--status <status>/);
    expect(runsHelp.stdout).toMatch(/--component <name>/);

    const badFlag = await cli(['runs', '--bogus']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("unknown option '--bogus'");
    expect(badFlag.stderr).toContain('usage: dkmv runs');

    const noArg = await cli(['show']);
    expect(noArg.code).toBe(2);
    expect(noArg.stderr).toContain("missing required argument 'run-id'");

    const badStatus = await cli(['runs', '--status', 'sleeping']);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('awaiting_input');

    const noPrd = await cli(['plan', '--branch', 'x']);
    expect(noPrd.code).toBe(2);
    expect(noPrd.stderr).toContain("required option '--prd <path>' not specified");

    const badAction = await cli(['approve', 'some-run', '--action', 'maybe']);
    expect(badAction.code).toBe(2);
    expect(badAction.stderr).toContain('continue, skip_remaining, abort');

    const unknownRun = await cli(['show', '250101-0000-nothing-here-abcd']);
    expect(unknownRun.code).toBe(2);
    expect(unknownRun.stderr).toContain('no run');

    const noRepo = await cli(['run', 'hello', '--branch', 'x']);
    expect(noRepo.code).toBe(2);
    expect(noRepo.stderr).toContain('dkmv init');

    // A file input that does not exist is caught before anything starts, with file and field.
    const noInput = await cli([
      'run',
      'security-audit',
      '--repo',
      bare,
      '--branch',
      'x',
      '--var',
      'checklist_path=nope.md',
      '--model-url',
      'http://127.0.0.1:9',
    ]);
    expect(noInput.code).toBe(2);
    expect(noInput.stderr).toMatch(
      /01-scan\.yaml \(field inputs\.src\): input 'checklist' of task 'scan': nope\.md does not exist/,
    );
    expect(noInput.stderr).not.toContain('    at ');
  });

  it('init creates .dkmv/, then components can be registered, listed and unregistered', async () => {
    const init = await cli(['init', '--yes', '--repo', bare, '--name', 'cli-e2e']);
    expect(init.code, init.stderr).toBe(0);
    const config = JSON.parse(readFileSync(path.join(project, '.dkmv/config.json'), 'utf8')) as {
      name: string;
      repo: string;
      credentials: Record<string, { source: string }>;
    };
    expect(config.name).toBe('cli-e2e');
    expect(config.repo).toBe(bare);
    expect(Object.keys(config.credentials).sort()).toEqual(['claude', 'codex', 'github']);
    expect(existsSync(path.join(project, '.dkmv/components.json'))).toBe(true);
    expect(existsSync(path.join(project, '.dkmv/runs'))).toBe(true);
    expect(init.stderr).toContain('Docker engine');

    const reg = await cli(['register', 'cli-pause', FIXTURE]);
    expect(reg.code, reg.stderr).toBe(0);
    const again = await cli(['register', 'cli-pause', FIXTURE]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already registered');

    const list = await cli(['components', '--json']);
    expect(list.code).toBe(0);
    const components = JSON.parse(list.stdout) as { name: string; source: string; path: string }[];
    expect(components.find((c) => c.name === 'cli-pause')).toMatchObject({ source: 'registered', path: FIXTURE });
    expect(components.find((c) => c.name === 'hello')?.source).toBe('example');

    const table = await cli(['components']);
    expect(table.stdout).toContain('cli-pause');

    expect((await cli(['register', 'tmp-copy', FIXTURE])).code).toBe(0);
    expect((await cli(['unregister', 'tmp-copy'])).code).toBe(0);
    const gone = await cli(['unregister', 'tmp-copy']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('not registered');
  });

  let approvedRun = '';
  let abortedRun = '';

  it('starts with --no-wait, pauses, is approved from a second process and followed to completion', async () => {
    const runId = await startRun('feature/one', '--keep-alive');
    approvedRun = runId;
    const paused = await waitForStatus(runId, 'awaiting_input');
    expect(paused.pending?.questions.map((q) => q.id)).toEqual(['scope']);
    expect(paused.tasks.map((t) => [t.name, t.status])).toEqual([
      ['ask', 'completed'],
      ['use', 'pending'],
    ]);

    // No flags and no terminal: says how to answer, exits 2.
    const noTty = await cli(['approve', runId]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain(`dkmv approve ${runId} --action continue`);
    expect(noTty.stderr).toContain('temporal workflow signal');

    const bad = await cli(['approve', runId, '--answer', 'scope=huge']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('small, large');

    const ok = await cli(['approve', runId, '--answer', 'scope=large']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('decision sent: continue (scope=large)');

    const follow = await cli(['logs', runId, '-f']);
    expect(follow.code, follow.stderr + follow.stdout).toBe(0);
    expect(follow.stdout).toContain('completed');

    const done = await show(runId);
    expect(done).toMatchObject({ run_id: runId, status: 'completed', component: 'cli-pause', branch: 'feature/one' });
    expect(done.cost_usd).toBeGreaterThan(0);
    expect(done.tasks).toHaveLength(2);
    expect(done.tasks[0]).toMatchObject({ name: 'ask', status: 'completed', error: null });
    expect(done.tasks[0]!.turns).toBeGreaterThanOrEqual(1);
    expect(done.tasks[0]!.cost_usd).toBeGreaterThan(0);
    expect(done.tasks[1]).toMatchObject({ name: 'use', status: 'completed', error: null });
    expect(done.outputs).toEqual(expect.arrayContaining(['questions.json', 'answer.txt']));
    expect(done.web_ui).toContain(`/workflows/${runId}`);
    expect(done.run_dir).toBe(path.join(project, '.dkmv/runs', runId));
    expect(readFileSync(path.join(done.run_dir!, 'answer.txt'), 'utf8')).toContain('scope=large');

    const text = await cli(['show', runId]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/ask\s+│?\s*completed/);
    expect(text.stdout).toContain('Web UI');

    const logs = await cli(['logs', runId]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('task ask');

    // --keep-alive kept the container: attach runs a command in it.
    const attach = await cli(['attach', runId, '--', 'cat', '.agent/answer.txt']);
    expect(attach.code, attach.stderr).toBe(0);
    expect(attach.stdout.trim()).toBe('scope=large');
  });

  it('a followed run left at a pause exits 3 and says how to answer; abort cancels it', async () => {
    const res = await cli(['run', 'cli-pause', '--branch', 'feature/two']);
    expect(res.code, `stdout: ${res.stdout}\nstderr: ${res.stderr}`).toBe(3);
    expect(res.stdout).toContain('is waiting for your decision');
    const runId = /Run (\S+) is waiting/.exec(res.stdout)?.[1] ?? '';
    expect(runId).toContain('cli-pause');
    startedRuns.push(runId);
    abortedRun = runId;
    const abort = await cli(['approve', runId, '--action', 'abort']);
    expect(abort.code, abort.stderr).toBe(0);
    const closed = await waitForStatus(runId, 'cancelled');
    expect(closed.tasks[1]!.status).toBe('skipped');
    const again = await cli(['approve', runId, '--action', 'continue']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('not waiting for a decision');
  });

  it('runs lists them with filters (no worker needed)', async () => {
    const all = await cli(['runs', '--component', 'cli-pause', '--json']);
    expect(all.code, all.stderr).toBe(0);
    const rows = JSON.parse(all.stdout) as { run_id: string; status: string; branch: string; cost_usd: number }[];
    expect(rows.map((r) => r.run_id)).toEqual(expect.arrayContaining([approvedRun, abortedRun]));
    expect(rows.find((r) => r.run_id === approvedRun)).toMatchObject({ status: 'completed', branch: 'feature/one' });
    expect(rows.find((r) => r.run_id === approvedRun)!.cost_usd).toBeGreaterThan(0);

    const completed = JSON.parse((await cli(['runs', '--status', 'completed', '--json'])).stdout) as {
      run_id: string;
    }[];
    expect(completed.map((r) => r.run_id)).toContain(approvedRun);
    expect(completed.map((r) => r.run_id)).not.toContain(abortedRun);

    const cancelled = JSON.parse((await cli(['runs', '--status', 'cancelled', '--json'])).stdout) as {
      run_id: string;
    }[];
    expect(cancelled.map((r) => r.run_id)).toEqual([abortedRun]);

    const limited = JSON.parse((await cli(['runs', '--limit', '1', '--json'])).stdout) as unknown[];
    expect(limited).toHaveLength(1);

    const none = await cli(['runs', '--component', 'no-such-component']);
    expect(none.stdout).toContain('no runs found');

    const table = await cli(['runs']);
    expect(table.code).toBe(0);
    for (const header of ['STATUS', 'COMPONENT', 'BRANCH', 'COST', 'DURATION']) expect(table.stdout).toContain(header);
    expect(table.stdout).toContain(approvedRun);
  });

  it('stop cancels a running run: its container is removed and its status is cancelled', async () => {
    const runId = await startRun('feature/three', '--var', 'mode=slow');
    await waitFor(
      () => 'the agent to run in the container',
      async () => {
        const data = await show(runId);
        const running = (await containersOf(runId)).some((c) => c.State === 'running');
        return running && data.tasks[0]?.status === 'running' ? true : undefined;
      },
    );
    const stop = await cli(['stop', runId]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain('stopped: cancelled');
    expect(await containersOf(runId)).toHaveLength(0);
    const data = await show(runId);
    expect(data.status).toBe('cancelled');
    const again = await cli(['stop', runId]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('not running');

    const attach = await cli(['attach', runId]);
    expect(attach.code).toBe(2);
    expect(attach.stderr).toContain('--keep-alive');
  });

  it('clean removes kept containers and stale sandbox folders', async () => {
    expect((await containersOf(approvedRun)).length).toBeGreaterThan(0);
    const stale = path.join(sandboxDir, '250101-0000-cli-pause-stale-abcd');
    mkdirSync(path.join(stale, 'workspace'), { recursive: true });

    const dry = await cli(['clean', '--run', approvedRun, '--run', '250101-0000-cli-pause-stale-abcd', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`would remove container dkmv-${approvedRun}`);
    expect((await containersOf(approvedRun)).length).toBeGreaterThan(0);

    const res = await cli(['clean', '--run', approvedRun, '--run', '250101-0000-cli-pause-stale-abcd']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`removed container dkmv-${approvedRun}`);
    expect(res.stdout).toContain('removed sandbox folder');
    expect(await containersOf(approvedRun)).toHaveLength(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(path.join(sandboxDir, approvedRun))).toBe(false);
  });

  it('show and runs need no worker; stop --force ends a run no worker picks up', async () => {
    await worker?.stop();
    worker = undefined;
    const done = await show(approvedRun);
    expect(done).toMatchObject({ status: 'completed', component: 'cli-pause' });
    expect(done.tasks.map((t) => t.status)).toEqual(['completed', 'completed']);

    const runId = await startRun('feature/four');
    const waiting = await show(runId);
    expect(waiting).toMatchObject({ run_id: runId, status: 'running', component: 'cli-pause', branch: 'feature/four' });
    expect(waiting.tasks.map((t) => [t.name, t.status])).toEqual([
      ['ask', 'pending'],
      ['use', 'pending'],
    ]);
    const running = JSON.parse((await cli(['runs', '--status', 'running', '--json'])).stdout) as { run_id: string }[];
    expect(running.map((r) => r.run_id)).toEqual([runId]);

    const stop = await cli(['stop', runId, '--force']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain('terminated');
    expect((await show(runId)).status).toBe('cancelled');
  });
});
