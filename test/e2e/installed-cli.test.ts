// The installed CLI on a machine that has Docker, the Temporal CLI and the images: `npm pack`, the
// tarball installed into a temporary prefix (`npm install -g --prefix`), that `dkmv setup` (it
// finds everything there and installs nothing), then that `dkmv test hello` from an empty folder,
// which brings up a local stack of its own (its own folder and ports: DKMV_STACK_DIR,
// DKMV_STACK_PORT), runs from the installed package, and is brought down at the end. Then the
// checkout's `dkmv up` meets that worker of another install: it keeps it while a run is in flight
// (naming the run) and restarts it with its own code once none is.
import { execFile, type ExecFileOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import Docker from 'dockerode';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DKMV_HOME } from '../../core/project.js';

const docker = new Docker();
let tmp: string;
let prefix: string;
let env: NodeJS.ProcessEnv;
let runId = '';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], options: ExecFileOptions): Promise<Result> {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', ...options }, (err, stdout, stderr) =>
      resolve({
        code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
        stdout: stripVTControlCharacters(String(stdout)),
        stderr: stripVTControlCharacters(String(stderr)),
      }),
    );
  });
}

/** The environment of a user's shell: none of npm's or the test run's own settings. */
function userEnv(): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|TEMPORAL_|DKMV_)/i.test(k)) out[k] = v;
  return out;
}

const dkmv = (args: string[], cwd: string, timeout = 300_000): Promise<Result> =>
  run(path.join(prefix, 'bin', 'dkmv'), args, { cwd, env, timeout });
/** The checkout's CLI (another install than the prefix's) against the same stack. */
const checkoutDkmv = (args: string[], cwd: string): Promise<Result> =>
  run(process.execPath, [path.join(DKMV_HOME, 'bin', 'dkmv.js'), ...args], { cwd, env, timeout: 300_000 });

/** The stack's worker pid (status --json) and the dkmv.js it runs. */
async function stackWorker(cwd: string): Promise<{ pid: number; script: string }> {
  const status = await dkmv(['status', '--json'], cwd);
  expect(status.code, status.stderr).toBe(0);
  const pid = (JSON.parse(status.stdout) as { worker: { pid: number } }).worker.pid;
  const script =
    readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .find((a) => a.endsWith('dkmv.js')) ?? '';
  return { pid, script };
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dkmv-installed-'));
  prefix = path.join(tmp, 'prefix');
  const npmEnv = { ...userEnv(), NO_UPDATE_NOTIFIER: '1' };
  const pack = await run('npm', ['pack', '--pack-destination', tmp, '--loglevel=error'], {
    cwd: DKMV_HOME,
    env: npmEnv,
  });
  expect(pack.code, pack.stderr).toBe(0);
  const tarball = path.join(tmp, pack.stdout.trim().split('\n').pop()!);
  // The dependencies come from npm's cache when they are there (they are after `npm ci`).
  const install = await run(
    'npm',
    ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball],
    { cwd: tmp, env: npmEnv, timeout: 540_000 },
  );
  expect(install.code, install.stderr).toBe(0);
  env = {
    ...userEnv(),
    DKMV_STACK_DIR: path.join(tmp, 'stack'),
    DKMV_STACK_PORT: String(await getPort({ host: '127.0.0.1' })),
    DKMV_STACK_UI_PORT: String(await getPort({ host: '127.0.0.1' })),
    DKMV_SANDBOX_DIR: path.join(tmp, 'sandboxes'),
    TMPDIR: tmp, // dkmv test's throwaway repo and run folder
    PATH: `${path.join(os.homedir(), '.cache/dkmv/bin')}:${process.env.PATH ?? ''}`,
  };
});

afterAll(async () => {
  if (env) await dkmv(['down', '--force'], tmp).catch(() => undefined);
  if (runId) {
    const containers = await docker
      .listContainers({ all: true, filters: { label: [`dkmv.run_id=${runId}`] } })
      .catch(() => []);
    for (const c of containers)
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the installed CLI (npm pack, npm install -g --prefix)', () => {
  it('dkmv setup finds everything installed and installs nothing', async () => {
    const setup = await dkmv(['setup'], tmp);
    expect(setup.code, setup.stderr + setup.stdout).toBe(0);
    expect(setup.stdout).toMatch(/setup: image dkmv-sandbox:\S+ present/);
    expect(setup.stdout).toMatch(/setup: ready\n$/);
    expect(setup.stdout + setup.stderr).not.toMatch(/installing|downloading|building|npm ci/);
  });

  it('dkmv test hello runs from an empty folder on a local stack of its own', async () => {
    const empty = path.join(tmp, 'empty');
    mkdirSync(empty);
    const test = await dkmv(['test', 'hello'], empty, 540_000);
    runId = /run\s+(\S+)/.exec(test.stdout)?.[1] ?? '';
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toContain(`completed  ${runId}`);
    expect(test.stdout).toContain(path.join(prefix, 'lib/node_modules/dkmv/components/examples/hello'));
    expect(test.stderr).toContain(`starting Temporal dev server on 127.0.0.1:${env.DKMV_STACK_PORT}`);
    expect(readdirSync(empty)).toEqual([]); // nothing written in the folder it ran from
    // The stack's worker runs the installed package.
    const status = await dkmv(['status', '--json'], empty);
    expect(status.code, status.stderr).toBe(0);
    const pollers = (JSON.parse(status.stdout) as { pollers: { identity: string }[] }).pollers;
    expect(pollers.map((p) => p.identity)).toContainEqual(
      expect.stringContaining(`(${path.join(prefix, 'lib/node_modules/dkmv')})`),
    );
  });

  it("the checkout's dkmv up keeps that worker while a run is in flight, naming it, then restarts it", async () => {
    const installed = await stackWorker(tmp);
    expect(installed.script).toBe(path.join(prefix, 'lib/node_modules/dkmv/bin/dkmv.js'));
    // A run in flight: a workflow no worker picks up (its own task queue) holds the stack's worker.
    const connection = await Connection.connect({ address: `127.0.0.1:${env.DKMV_STACK_PORT}` });
    const client = new Client({ connection });
    const held = await client.workflow.start('componentWorkflow', {
      taskQueue: `installed-held-${process.pid}`,
      workflowId: `installed-held-${process.pid}`,
      args: [],
    });
    try {
      const kept = await checkoutDkmv(['up'], tmp);
      expect(kept.code, kept.stderr).toBe(0);
      expect(kept.stderr).toContain(`the stack's worker runs dkmv v`);
      expect(kept.stderr).toContain(`from ${path.join(prefix, 'lib/node_modules/dkmv')}; this CLI is`);
      expect(kept.stderr).toMatch(new RegExp(`1 run is in flight on it, so it keeps running: ${held.workflowId}\\.`));
      expect((await stackWorker(tmp)).pid).toBe(installed.pid);
    } finally {
      await held.terminate('test over');
      await connection.close();
    }
    const restarted = await checkoutDkmv(['up'], tmp);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stderr).toContain(': restarting it');
    const now = await stackWorker(tmp);
    expect(now.pid).not.toBe(installed.pid);
    expect(now.script).toBe(path.join(DKMV_HOME, 'bin', 'dkmv.js'));
    // Same build now: a further `dkmv up` leaves it alone.
    const again = await checkoutDkmv(['up'], tmp);
    expect(again.stderr).toContain('worker already running');
    expect((await stackWorker(tmp)).pid).toBe(now.pid);
  });
});
