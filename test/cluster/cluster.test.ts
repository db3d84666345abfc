// The team cluster for real: docker-compose.yml (Temporal on PostgreSQL, Web UI, admin step, locally
// built images) with two workers, each driving its own Docker engine (a second dockerd on this
// machine stands in for a second host). `dkmv test` runs the hello example against it. The workers
// keep run folders in their own containers (DKMV_WORKER_RUNS_DIR): `dkmv show` / `dkmv logs` on
// this machine read them through the worker of each run's host.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DKMV_HOME } from '../../core/project.js';
import type { MockRequestLog } from '../../core/mock-model/server.js';
import { Cluster } from './compose.js';
import { copyImage, startEngine, type DockerEngine } from './engine.js';

const QUEUE = 'dkmv';
const SLOW_SCRIPT = path.join(DKMV_HOME, 'test/cluster/fixtures/slow-hello.yaml');
const SANDBOX_IMAGE = process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest';

let shared: string;
let engineB: DockerEngine;
let cluster: Cluster;
let connection: Connection;
let client: Client;
/** Runs of the spread test: run id → host, and the CLI's temp folder of each. */
const spread: { runId: string; host: string; tmp: string }[] = [];

interface CliRun {
  code: number | null;
  output: string;
  runId: string;
  tmp: string;
}

/** Runs `dkmv test hello [...args]` against the cluster; its temp folder is under the shared folder. */
function dkmvTest(name: string, args: string[] = [], onOutput?: (text: string) => void): Promise<CliRun> {
  const tmp = path.join(shared, name);
  mkdirSync(tmp, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: cluster.temporalAddress, TMPDIR: tmp };
  delete env.DKMV_OUTPUT_DIR; // run folders go to the temp folder, which the workers see too
  const child = spawn('node', [path.join(DKMV_HOME, 'bin/dkmv.js'), 'test', 'hello', '--keep', ...args], {
    cwd: tmp,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (b: Buffer): void => {
    output += b.toString();
    onOutput?.(output);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve) =>
    child.on('exit', (code) => resolve({ code, output, runId: /^\s*run\s+(\S+)/m.exec(output)?.[1] ?? '', tmp })),
  );
}

/** Runs `dkmv <args>` on this machine (the CLI's side) against the cluster. */
function dkmvCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: cluster.temporalAddress, NO_COLOR: '1' };
  delete env.DKMV_OUTPUT_DIR;
  const child = spawn('node', [path.join(DKMV_HOME, 'bin/dkmv.js'), ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The mock model's request log of a `dkmv test` run (its kept temp folder). */
function mockRequests(tmp: string): MockRequestLog[] {
  const dir = readdirSync(tmp).find((d) => d.startsWith('dkmv-test-hello-'));
  if (!dir) return [];
  try {
    return readFileSync(path.join(tmp, dir, 'mock-requests.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as MockRequestLog);
  } catch {
    return [];
  }
}

/** Which host queue each of a run's host-routed activities was scheduled on, and the worker that ran it. */
async function hostActivities(runId: string): Promise<{ queue: string; worker: string }[]> {
  const history = await client.workflow.getHandle(runId).fetchHistory();
  const events = history.events ?? [];
  const out: { queue: string; worker: string }[] = [];
  for (const e of events) {
    const queue = e.activityTaskScheduledEventAttributes?.taskQueue?.name ?? '';
    if (!queue.startsWith(`${QUEUE}@`)) continue;
    const started = events.find(
      (s) =>
        s.activityTaskStartedEventAttributes &&
        Number(s.activityTaskStartedEventAttributes.scheduledEventId) === Number(e.eventId),
    );
    out.push({ queue, worker: started?.activityTaskStartedEventAttributes?.identity ?? '' });
  }
  return out;
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 240_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * True when a worker polled `queue` at or after `sinceMs`. The server keeps a stopped worker's
 * poller entry for minutes, so a restarted worker is only ready once a poll newer than the restart
 * shows up (an entry of any age would let a test go on while the new worker is still starting).
 */
async function hasPoller(queue: string, sinceMs = 0): Promise<boolean> {
  try {
    const res = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: queue },
      taskQueueType: 2, // activity
    });
    const polledAt = (p: { lastAccessTime?: { seconds?: unknown; nanos?: number | null } | null }) =>
      Number(p.lastAccessTime?.seconds ?? 0) * 1000 + (p.lastAccessTime?.nanos ?? 0) / 1e6;
    return (res.pollers ?? []).some((p) => polledAt(p) >= sinceMs);
  } catch {
    return false;
  }
}

beforeAll(async () => {
  shared = mkdtempSync('/tmp/dkmv-cluster-');
  engineB = await startEngine('dkmv-host-b', shared);
  copyImage(SANDBOX_IMAGE, engineB);
  cluster = new Cluster({
    project: `dkmv-cluster-test-${path.basename(shared).slice(-6).toLowerCase()}`,
    temporalPort: await getPort({ host: '127.0.0.1' }),
    uiPort: await getPort({ host: '127.0.0.1' }),
    sharedDir: shared,
    secondEngineSocket: engineB.socket,
  });
  await cluster.up();
  await waitFor('the Temporal frontend', async () => {
    try {
      connection = await Connection.connect({ address: cluster.temporalAddress, connectTimeout: 2000 });
      return true;
    } catch {
      return false;
    }
  });
  client = new Client({ connection, namespace: 'default' });
  await waitFor('both workers', async () => (await hasPoller(`${QUEUE}@a`)) && (await hasPoller(`${QUEUE}@b`)));
}, 600_000);

afterAll(async () => {
  await connection?.close();
  await cluster?.down();
  await engineB?.stop();
  rmSync(shared, { recursive: true, force: true });
}, 180_000);

describe('team cluster from docker compose', () => {
  it('serves the Web UI and runs the hello example through the CLI (search attributes registered)', async () => {
    const ui = await fetch(`http://127.0.0.1:${cluster.options.uiPort}/`);
    expect(ui.status).toBe(200);
    const run = await dkmvTest('hello');
    expect(run.code, run.output).toBe(0);
    expect(run.runId).not.toBe('');
    const found: string[] = [];
    await waitFor('the run in visibility', async () => {
      for await (const w of client.workflow.list({
        query: `DkmvComponent = 'hello' AND WorkflowId = '${run.runId}'`,
      })) {
        found.push(w.workflowId);
      }
      return found.length > 0;
    });
    expect(found).toEqual([run.runId]);
  });

  it('completes a run while the Temporal server and PostgreSQL containers restart, re-running nothing', async () => {
    let restarted = 0;
    const running = dkmvTest('restart', ['--script', SLOW_SCRIPT]);
    // The agent's second turn (a 40 s shell command) is under way: restart the cluster under it.
    await waitFor('the agent mid-task', () =>
      mockRequests(path.join(shared, 'restart')).some((r) => r.served === 'turn' && r.turn === 1),
    );
    await cluster.compose('restart', 'temporal');
    await cluster.compose('restart', 'postgresql');
    restarted = Date.now();
    const run = await running;
    expect(run.code, run.output).toBe(0);
    const turns = mockRequests(run.tmp)
      .filter((r) => r.served === 'turn')
      .map((r) => r.turn);
    // Each scripted turn was asked for exactly once: the agent was never started again.
    expect(turns).toEqual([0, 1, 2]);
    const history = await client.workflow.getHandle(run.runId).fetchHistory();
    const closed = history.events?.at(-1);
    expect(closed?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    // The run was still open when both restarts had finished.
    expect(Number(closed?.eventTime?.seconds) * 1000).toBeGreaterThan(restarted - 1000);
  });

  it('resumes a run on its own host when that host’s worker is killed mid-task and comes back', async () => {
    let runId = '';
    const running = dkmvTest('kill', ['--script', SLOW_SCRIPT], (out) => {
      runId ||= /run\s+(\S+)/.exec(out)?.[1] ?? '';
    });
    const tmp = path.join(shared, 'kill');
    await waitFor('the agent mid-task', () => mockRequests(tmp).some((r) => r.served === 'turn' && r.turn === 1));
    const host = (await hostActivities(runId))[0]?.queue.split('@')[1];
    expect(host === 'a' || host === 'b').toBe(true);
    const service = host === 'a' ? 'worker' : 'worker-b';
    await cluster.compose('kill', service);
    await cluster.compose('start', service);
    const run = await running;
    expect(run.code, run.output).toBe(0);
    // The agent was started once: the restarted worker re-attached to it on the same host.
    expect(
      mockRequests(run.tmp)
        .filter((r) => r.served === 'turn')
        .map((r) => r.turn),
    ).toEqual([0, 1, 2]);
    const acts = await hostActivities(run.runId);
    expect(new Set(acts.map((a) => a.queue))).toEqual(new Set([`${QUEUE}@${host}`]));
    console.log(`cluster: killed worker-${host} mid-task; the run finished on host ${host}`);
  });

  it('spreads runs over two Docker hosts; each run’s sandbox activities stay on its host', async () => {
    const runs = await Promise.all([1, 2, 3, 4].map((i) => dkmvTest(`spread-${i}`)));
    const hostOf: Record<string, string> = {};
    for (const run of runs) {
      expect(run.code, run.output).toBe(0);
      const acts = await hostActivities(run.runId);
      expect(acts.length).toBeGreaterThan(0);
      const queues = new Set(acts.map((a) => a.queue));
      expect(queues.size, `${run.runId}: ${JSON.stringify(acts)}`).toBe(1);
      const host = [...queues][0]!.split('@')[1]!;
      // The worker that ran them is the one driving that host's engine.
      for (const a of acts) expect(a.worker).toContain(`@worker-${host}:`);
      hostOf[run.runId] = host;
      spread.push({ runId: run.runId, host, tmp: run.tmp });
    }
    // With one host's worker stopped, a new run can only land on the other host, and stays there.
    for (const [stopped, host] of [
      ['worker', 'b'],
      ['worker-b', 'a'],
    ] as const) {
      await cluster.compose('stop', stopped);
      try {
        const run = await dkmvTest(`only-${host}`);
        expect(run.code, run.output).toBe(0);
        const acts = await hostActivities(run.runId);
        expect(new Set(acts.map((a) => a.queue))).toEqual(new Set([`${QUEUE}@${host}`]));
        hostOf[run.runId] = host;
        spread.push({ runId: run.runId, host, tmp: run.tmp });
      } finally {
        const restarted = Date.now();
        await cluster.compose('start', stopped);
        await waitFor(`${stopped} polling again`, () => hasPoller(`${QUEUE}@${host === 'a' ? 'b' : 'a'}`, restarted));
      }
    }
    console.log(`cluster: which host ran what: ${JSON.stringify(hostOf)}`);
    expect(new Set(Object.values(hostOf))).toEqual(new Set(['a', 'b']));
  });

  it('shows records, saved outputs and agent events of runs whose folders are on the other hosts', async () => {
    for (const host of ['a', 'b']) {
      const run = spread.find((r) => r.host === host)!;
      // The CLI's own folder of the run holds only what the CLI wrote; the worker kept the rest.
      expect(existsSync(path.join(run.tmp, 'runs', run.runId, 'stream.jsonl'))).toBe(false);
      const show = await dkmvCli(['show', run.runId], run.tmp);
      expect(show.code, show.stderr).toBe(0);
      expect(show.stdout).toContain(`run folder: /var/lib/dkmv/runs/${run.runId} on host ${host}`);
      expect(show.stdout).toContain('greeting.json');
      const output = await dkmvCli(['show', run.runId, '--output', 'greeting.json'], run.tmp);
      expect(output.code, output.stderr).toBe(0);
      expect(JSON.parse(output.stdout)).toEqual({ greeting: 'Hello, world!', language: 'en' });
      const logs = await dkmvCli(['logs', run.runId, '--raw'], run.tmp);
      expect(logs.code, logs.stderr).toBe(0);
      const events = logs.stdout.split('\n').filter(Boolean);
      expect(events.length).toBeGreaterThan(2);
      for (const e of events) expect(() => JSON.parse(e) as unknown).not.toThrow();
      console.log(`cluster: dkmv show/logs of ${run.runId} read ${events.length} events from host ${host}`);
    }
    // Host b's worker gone: the CLI says so, the summary still comes from Temporal.
    const onB = spread.find((r) => r.host === 'b')!;
    await cluster.compose('stop', 'worker-b');
    try {
      const gone = await dkmvCli(['logs', onB.runId], onB.tmp);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toContain(`host b's worker (queue ${QUEUE}@b) did not answer`);
      const show = await dkmvCli(['show', onB.runId], onB.tmp);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain('completed');
    } finally {
      const restarted = Date.now();
      await cluster.compose('start', 'worker-b');
      await waitFor('worker-b polling again', () => hasPoller(`${QUEUE}@b`, restarted));
    }
  });
});
