// Run folders on another machine reach the CLI through Temporal. Two real workers (`dkmv worker`)
// stand in for two hosts: different DKMV_HOST_ID, each with its own run folders
// (DKMV_WORKER_RUNS_DIR) and sandbox folder; the CLI has a third folder of its own, so nothing the
// workers write is on its "disk". `dkmv show`, `dkmv show --output` and `dkmv logs` must show the
// run anyway (read through the worker of the run's host), and say plainly when that host is gone.
// Also: `dkmv test` keeps the run folder it prints, `dkmv logs` reads it, and `dkmv logs … | head`
// exits quietly. Real dev server, Docker, git, Claude Code against the hello example's model script.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runProcess } from '../../activities/process/launcher.js';
import { DKMV_HOME } from '../../core/project.js';
import { spawnDkmv } from '../support/dkmv-cli.js';
import { tempDir } from '../support/e2e.js';
import { testClient } from '../support/temporal.js';

const BIN = path.join(DKMV_HOME, 'bin/dkmv.js');
const HOSTS = ['host-a', 'host-b'] as const;
/** A stack trace line, which no answer of the CLI may contain. */
const STACK = /^\s+at .+\(.+:\d+:\d+\)$/m;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let root: string;
let client: Client;
let closeClient: () => Promise<void>;
const queue = `remote-records-${Date.now()}`;
const plainQueue = `${queue}-plain`;
const workers = new Map<string, ChildProcess>();

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  delete env.DKMV_OUTPUT_DIR;
  delete env.DKMV_WORKER_RUNS_DIR;
  return env;
}

/** Starts `dkmv worker` as host `host`; resolves once it polls. */
function startWorker(host: string, taskQueue: string, ownRunsDir: boolean): Promise<ChildProcess> {
  const env = {
    ...baseEnv(),
    DKMV_TASK_QUEUE: taskQueue,
    DKMV_HOST_ID: host,
    DKMV_SANDBOX_DIR: path.join(root, host, 'sandboxes'),
    ...(ownRunsDir ? { DKMV_WORKER_RUNS_DIR: path.join(root, host, 'runs') } : {}),
  };
  const child = spawn(process.execPath, [BIN, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  workers.set(host, child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('dkmv worker ready')) resolve(child);
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => reject(new Error(`worker ${host} exited (${code}): ${out}`)));
  });
}

async function stopWorker(host: string): Promise<void> {
  const w = workers.get(host);
  if (!w || w.exitCode !== null || w.signalCode !== null) return;
  w.kill('SIGTERM');
  await new Promise((r) => w.once('exit', r));
}

function cli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  return spawnDkmv(args, { cwd, env });
}

/** A shell command line (for pipes: `dkmv … | head`). */
async function shell(command: string, env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  const r = await runProcess('bash', ['-c', command], { cwd, env });
  return { code: r.code ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** The host queue of the run's sandbox activities, from its history. */
async function hostOf(runId: string): Promise<string> {
  const history = await client.workflow.getHandle(runId).fetchHistory();
  const queues = (history.events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes?.taskQueue?.name)
    .filter((q): q is string => Boolean(q?.includes('@')));
  return queues.at(-1)!.split('@')[1]!;
}

beforeAll(async () => {
  root = tempDir('remote-records');
  ({ client, close: closeClient } = await testClient());
  await Promise.all([...HOSTS.map((h) => startWorker(h, queue, true)), startWorker('host-plain', plainQueue, false)]);
}, 180_000);

afterAll(async () => {
  for (const host of workers.keys()) await stopWorker(host);
  await closeClient?.();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('run records of a run whose folder is on another machine (e2e)', () => {
  it('dkmv show, show --output and logs read the run folder through its host; a gone host is named', async () => {
    const cliDir = path.join(root, 'cli');
    mkdirSync(cliDir, { recursive: true });
    const env = { ...baseEnv(), DKMV_TASK_QUEUE: queue, DKMV_OUTPUT_DIR: cliDir, TMPDIR: cliDir };
    const test = await cli(['test', 'hello'], env, cliDir);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    const runId = /run\s+(\S+)/.exec(test.stdout)?.[1] ?? '';
    expect(runId).not.toBe('');

    // The agent events and the saved output are on the run's host only, not in the CLI's folder.
    const host = await hostOf(runId);
    expect(HOSTS).toContain(host);
    const hostDir = path.join(root, host, 'runs', runId);
    const stream = readFileSync(path.join(hostDir, 'stream.jsonl'), 'utf8');
    const greeting = readFileSync(path.join(hostDir, 'greeting.json'), 'utf8');
    expect(existsSync(path.join(cliDir, 'runs', runId, 'stream.jsonl'))).toBe(false);
    const other = HOSTS.find((h) => h !== host)!;
    expect(existsSync(path.join(root, other, 'runs', runId))).toBe(false);

    const show = await cli(['show', runId], env, cliDir);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('completed');
    expect(show.stdout).toContain('greeting.json'); // the saved outputs, listed
    expect(show.stdout).toContain(`run folder: ${hostDir} on host ${host}`);

    const json = JSON.parse((await cli(['show', runId, '--json'], env, cliDir)).stdout) as {
      remote_folder?: { host: string; dir: string };
      outputs: string[];
      run_dir?: string;
    };
    expect(json.remote_folder).toEqual({ host, dir: hostDir });
    expect(json.outputs).toContain('greeting.json');
    expect(json.run_dir).toBeUndefined();

    const output = await cli(['show', runId, '--output', 'greeting.json'], env, cliDir);
    expect(output.code, output.stderr).toBe(0);
    expect(output.stdout).toBe(greeting);
    const wrong = await cli(['show', runId, '--output', '../../etc/passwd'], env, cliDir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--output ../../etc/passwd: the run has no saved output by that name');
    expect(wrong.stderr).toContain('greeting.json');

    const raw = await cli(['logs', runId, '--raw'], env, cliDir);
    expect(raw.code, raw.stderr).toBe(0);
    expect(raw.stdout).toBe(stream.endsWith('\n') ? stream : `${stream}\n`);
    const logs = await cli(['logs', runId], env, cliDir);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('greeting.json'); // the agent's Write of it, formatted
    expect(logs.stdout).toContain(`run folder: ${hostDir} on host ${host}`);
    expect(logs.stderr).not.toMatch(/remote worker|another machine/);

    // The host is gone: the other worker still serves the shared queue, nobody serves host's queue.
    await stopWorker(host);
    const gone = await cli(['logs', runId], env, cliDir);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`host ${host}'s worker (queue ${queue}@${host}) did not answer within 10 s`);
    // It polled that queue until a moment ago: the CLI says so rather than calling the host gone.
    expect(gone.stderr).toMatch(/a worker polled that queue \d+ s ago: it may be busy or restarting; try again/);
    expect(gone.stderr).toContain(`DKMV_HOST_ID=${host}`);
    expect(gone.stdout + gone.stderr).not.toMatch(STACK);
    const summary = await cli(['show', runId], env, cliDir);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('completed'); // from Temporal
    expect(summary.stderr).toContain(`host ${host}'s worker`);
    expect(summary.stdout + summary.stderr).not.toMatch(STACK);
  });

  it('dkmv test keeps the run folder it prints; dkmv logs reads it from anywhere; piping into head exits quietly', async () => {
    const tmp = path.join(root, 'plain-tmp');
    const elsewhere = path.join(root, 'elsewhere');
    mkdirSync(tmp, { recursive: true });
    mkdirSync(elsewhere, { recursive: true });
    const env = { ...baseEnv(), DKMV_TASK_QUEUE: plainQueue, TMPDIR: tmp };
    const test = await cli(['test', 'hello'], env, elsewhere);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    const runId = /run\s+(\S+)/.exec(test.stdout)?.[1] ?? '';
    const runDir = /run folder: (\S+)/.exec(test.stdout)?.[1] ?? '';
    expect(runDir.endsWith(runId)).toBe(true);
    // The folder it printed is still there; the throwaway repo and mock log are gone.
    expect(existsSync(path.join(runDir, 'stream.jsonl'))).toBe(true);
    expect(test.stdout).toContain('the run folder is kept, in the system temp folder');
    const testTmp = path.join(
      tmp,
      readdirSync(tmp).find((d) => d.startsWith('dkmv-test-hello-'))!,
    );
    expect(readdirSync(testTmp)).toEqual(['runs']);

    const logs = await cli(['logs', runId], env, elsewhere);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('greeting.json');
    expect(logs.stderr).not.toMatch(/remote|another machine/);

    // A long log, read by a reader that stops after one line: no EPIPE crash, exit 0.
    const big = path.join(root, 'big-out', 'runs');
    const bigRun = '250101-0000-hello-big-beef';
    mkdirSync(path.join(big, bigRun), { recursive: true });
    const line = JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: 'x'.repeat(200) }] } });
    writeFileSync(path.join(big, bigRun, 'stream.jsonl'), `${line}\n`.repeat(20_000));
    writeFileSync(path.join(big, bigRun, 'config.json'), JSON.stringify({ run_id: bigRun, component: 'hello' }));
    const bigEnv = { ...env, DKMV_OUTPUT_DIR: path.dirname(big) };
    for (const args of [
      ['logs', bigRun, '--raw'],
      ['logs', bigRun],
      ['show', bigRun],
    ]) {
      const r = await shell(`node ${BIN} ${args.join(' ')} | head -n 1; exit \${PIPESTATUS[0]}`, bigEnv, elsewhere);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stderr).not.toContain('EPIPE');
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });
});
