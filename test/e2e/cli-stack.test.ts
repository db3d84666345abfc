// The user's local stack, end to end with `node bin/dkmv.js` child processes (the compiled CLI):
// one stack shared by every project, started by `dkmv up` (a real Temporal dev server and a worker
// started from the compiled code), seen by `dkmv status` from another project, refusing `dkmv down`
// while a run is in flight; and `dkmv run --json` showing a task's turns and cost live from its
// heartbeats. The stack lives in a folder and on ports of this test's own (DKMV_STACK_DIR,
// DKMV_STACK_PORT), so a user's stack on 7233 is never touched. Real Docker, git, Claude Code
// against a model script.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startMockModel, type MockModel } from '../../core/mock-model/server.js';
import { spawnDkmv } from '../support/dkmv-cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/dkmv.js');
const PAUSE = path.join(ROOT, 'test/e2e/fixtures/cli-pause');
const LIVE = path.join(ROOT, 'test/e2e/fixtures/cli-live');
const docker = new Docker();

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let tmp: string;
let stackDir: string;
let projectA: string;
let projectB: string;
let bare: string;
let port: number;
let mock: MockModel;
let env: NodeJS.ProcessEnv;
const startedRuns: string[] = [];

function cli(cwd: string, args: string[], timeoutMs = 300_000): Promise<CliResult> {
  return spawnDkmv(args, { cwd, env, timeoutMs });
}

interface StatusJson {
  dir: string;
  address: string;
  server: { answers: boolean; pid?: number };
  worker: { pid?: number };
  pollers: { identity: string }[];
  runs: { id: string; what: string; status: string }[];
}

async function status(cwd: string): Promise<StatusJson> {
  const res = await cli(cwd, ['status', '--json']);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as StatusJson;
}

async function waitForStatus(cwd: string, runId: string, want: string): Promise<void> {
  const deadline = Date.now() + 240_000;
  let last = '';
  while (Date.now() < deadline) {
    const res = await cli(cwd, ['show', runId, '--json']);
    if (res.code === 0) last = (JSON.parse(res.stdout) as { status: string }).status;
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`run ${runId} did not reach ${want} (last: ${last})`);
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dkmv-stack-e2e-'));
  stackDir = path.join(tmp, 'stack');
  bare = path.join(tmp, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const seed = path.join(tmp, 'seed');
  execFileSync('git', ['clone', '-q', bare, seed], { stdio: 'ignore' });
  writeFileSync(path.join(seed, 'README.md'), '# stack e2e\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@localhost', ...args], { cwd: seed });
  git('add', '.');
  git('commit', '-qm', 'initial');
  git('push', '-q', 'origin', 'HEAD:main');
  projectA = path.join(tmp, 'project-a');
  projectB = path.join(tmp, 'project-b');
  mkdirSync(projectA);
  mkdirSync(projectB);

  // One model script serving both fixtures' sessions.
  const sessions = [LIVE, PAUSE].flatMap(
    (dir) =>
      (YAML.parse(readFileSync(path.join(dir, 'model-script.yaml'), 'utf8')) as { sessions: unknown[] }).sessions,
  );
  const script = path.join(tmp, 'model-script.yaml');
  writeFileSync(script, YAML.stringify({ sessions }));
  mock = await startMockModel({ scriptPath: script });

  port = await getPort({ host: '127.0.0.1' });
  env = {
    ...process.env,
    DKMV_STACK_DIR: stackDir,
    DKMV_STACK_PORT: String(port),
    DKMV_STACK_UI_PORT: String(await getPort({ host: '127.0.0.1' })),
    DKMV_MODEL_URL: mock.url,
    DKMV_SANDBOX_DIR: path.join(tmp, 'sandboxes'),
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  delete env.TEMPORAL_ADDRESS;
  delete env.DKMV_TASK_QUEUE;
});

afterAll(async () => {
  if (env) await cli(projectA, ['down', '--force']).catch(() => undefined);
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
  await mock?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the local stack (one per user)', () => {
  it('is started from one project and shared by another: same server, same worker, one pid file', async () => {
    const up = await cli(projectA, ['up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(`Temporal: 127.0.0.1:${port}`);
    expect(existsSync(path.join(stackDir, 'temporal.pid'))).toBe(true);
    expect(existsSync(path.join(projectA, '.dkmv', 'stack'))).toBe(false);

    const seen = await status(projectB);
    expect(seen).toMatchObject({ dir: stackDir, address: `127.0.0.1:${port}`, server: { answers: true }, runs: [] });
    expect(seen.server.pid).toBe(Number(readFileSync(path.join(stackDir, 'temporal.pid'), 'utf8')));
    expect(seen.worker.pid).toBeGreaterThan(0);
    // The stack's worker polls the task queue, and it runs the compiled CLI.
    expect(seen.pollers.map((p) => p.identity)).toContainEqual(
      expect.stringMatching(`:${seen.worker.pid} v\\S+ \\(.+\\)$`),
    );
    expect(readFileSync(`/proc/${seen.worker.pid}/cmdline`, 'utf8').split('\0')).toEqual(
      expect.arrayContaining([BIN, 'worker']),
    );

    const again = await cli(projectB, ['up']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Temporal server already running');
    expect(again.stderr).toContain('worker already running');
    expect((await status(projectA)).server.pid).toBe(seen.server.pid);
  });

  it('dkmv run --json shows the running task’s turns and cost live, before the task ends', async () => {
    const res = await cli(projectB, ['run', LIVE, '--branch', 'live/one', '--repo', bare, '--json']);
    expect(res.code, res.stderr + res.stdout).toBe(0);
    const events = res.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map(
        (l) => JSON.parse(l) as { event: string; status?: string; task?: string; turns?: number; cost_usd?: number },
      );
    const runId = (events[0] as { run_id?: string }).run_id ?? '';
    startedRuns.push(runId);
    const end = events.findIndex((e) => e.event === 'end');
    expect(end, res.stdout).toBe(events.length - 1);
    expect(events[end]).toMatchObject({ status: 'completed', tasks: [{ name: 'work', status: 'completed' }] });
    // While the model holds back its last answer, the task has taken its three turns and spent:
    // a progress event says so before the run ends.
    const live = events.findIndex(
      (e) => e.event === 'progress' && e.task === 'work' && (e.turns ?? 0) >= 3 && (e.cost_usd ?? 0) > 0,
    );
    expect(live, res.stdout).toBeGreaterThanOrEqual(0);
    expect(live).toBeLessThan(end);
    expect(events[live]!.status).toBe('running');
  });

  it('dkmv down refuses while a run is in flight and names it; --force stops the stack', async () => {
    const start = await cli(projectB, ['run', PAUSE, '--branch', 'stack/pause', '--repo', bare, '--no-wait']);
    expect(start.code, start.stderr).toBe(0);
    const runId = start.stdout.trim();
    startedRuns.push(runId);
    await waitForStatus(projectB, runId, 'awaiting_input');

    const busy = await status(projectA);
    expect(busy.runs).toEqual([
      { id: runId, what: 'cli-pause on stack/pause', status: 'awaiting_input', startedAt: expect.any(String) },
    ]);

    const refused = await cli(projectA, ['down']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('1 run is in flight');
    expect(refused.stderr).toContain(runId);
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect((await status(projectA)).server.answers).toBe(true);

    const forced = await cli(projectA, ['down', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('stopped: worker, server');
    const after = await status(projectB);
    expect(after.server).toEqual({ answers: false, db: expect.any(String), log: expect.any(String) });
    expect(after.worker.pid).toBeUndefined();
    expect(existsSync(path.join(stackDir, 'temporal.pid'))).toBe(false);
  });
});
