// bench:latency — three waits a user feels, each against a Temporal dev server of the bench's own:
//   first_request_s  `dkmv run <component> --no-wait` (the compiled CLI) → the first request the
//                    model receives, with a warm worker and image (median; goal ≤ 2 s).
//   takeover_s       a worker process SIGKILLed while its agent streams → the agent's output flowing
//                    into the run folder again through a new worker process. Bounded below by the
//                    heartbeat timeout (DKMV_HEARTBEAT_TIMEOUT, here `--heartbeat` s, default 10);
//                    takeover_margin_s = takeover_s − heartbeat (goal ≤ 3 s).
//   runs_1000_s      `dkmv runs` with 1,000 runs in Temporal (cheap workflows seeded here, never
//                    run: no worker polls their queue) (median; goal ≤ 1 s).
//
//   npm run bench:latency [-- --runs 5] [-- --heartbeat 10] [-- --quick] [-- --only first,takeover,runs]
// Last line: latency: first_request_s=… takeover_s=… heartbeat_s=… takeover_margin_s=… runs_1000_s=…
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { planComponent } from '../../core/component/index.js';
import type { ComponentRunInput } from '../../core/engine/run-types.js';
import { startMockModel, type MockModel } from '../../core/mock-model/server.js';
import { DkmvComponent, DkmvRunKind } from '../../core/temporal/search-attributes.js';
import { componentWorkflow } from '../../workflows/index.js';
import {
  arg,
  makeBareRepo,
  median,
  seconds,
  startServer,
  startWorker,
  uptime,
  type BenchServer,
} from '../lib/temporal.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'dkmv.js');
const HELLO = path.join(ROOT, 'components', 'examples', 'hello');
const IMAGE = process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Time of the first request in the mock model's log after `since` (ms since the epoch). */
function firstRequestAfter(logFile: string, since: number): number | undefined {
  if (!existsSync(logFile)) return undefined;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line) continue;
    const t = Date.parse((JSON.parse(line) as { time: string }).time);
    if (t >= since) return t;
  }
  return undefined;
}

function cliEnv(server: BenchServer, queue: string, mock: MockModel, root: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: server.address,
    DKMV_TASK_QUEUE: queue,
    DKMV_MODEL_URL: mock.url,
    DKMV_OUTPUT_DIR: root, // run folders in root/runs
    DKMV_SANDBOX_DIR: path.join(root, 'sandboxes'),
    NO_COLOR: '1',
  };
}

/** `dkmv run --no-wait` → first model request, with an in-process (warm) worker. */
async function firstRequest(server: BenchServer, root: string, bare: string, runs: number): Promise<number> {
  const logFile = path.join(root, 'first-requests.jsonl');
  const mock = await startMockModel({ scriptPath: path.join(HELLO, 'model-script.yaml'), logFile });
  const queue = `latency-first-${process.pid}`;
  const worker = await startWorker(server.address, queue);
  const comp = path.join(root, 'greet');
  mkdirSync(comp, { recursive: true });
  copyFileSync(path.join(HELLO, '01-greet.yaml'), path.join(comp, '01-greet.yaml'));
  const env = cliEnv(server, queue, mock, root);
  const samples: number[] = [];
  const breakdown: Record<string, number[]> = {};
  try {
    for (let i = 0; i <= runs; i++) {
      const t0 = Date.now();
      const r = spawnSync(
        process.execPath,
        [BIN, 'run', comp, '--repo', bare, '--branch', `bench/first-${i}`, '--auto', '--no-wait'],
        { env, cwd: root, encoding: 'utf8' },
      );
      const cliExit = Date.now();
      if (r.status !== 0) throw new Error(`dkmv run exited ${r.status}: ${r.stderr}`);
      const runId = r.stdout.trim().split('\n').pop() ?? '';
      started.push(runId);
      const at = await until('the first model request', () => firstRequestAfter(logFile, t0), 180_000).catch(
        async (err: unknown) => {
          const d = await server.client.workflow
            .getHandle(runId)
            .describe()
            .catch((e: unknown) => String(e));
          throw new Error(
            `${String(err)}; run ${runId}: ${typeof d === 'string' ? d : d.status.name}; cli: ${r.stdout} ${r.stderr}`,
          );
        },
      );
      const s = (at - t0) / 1000;
      // Let the run finish before the next one, so runs do not overlap (and its history is whole:
      // an activity's start is written to the history when the activity closes).
      await server.client.workflow
        .getHandle(runId)
        .result()
        .catch(() => undefined);
      const steps = await firstRequestSteps(server, runId, t0, cliExit, at);
      console.log(
        `${i === 0 ? 'warm-up' : `run ${i}/${runs}`}  dkmv run → first model request ${s.toFixed(2)}s  (${formatSteps(steps)})`,
      );
      if (i > 0) {
        samples.push(s);
        for (const [k, v] of Object.entries(steps)) (breakdown[k] ??= []).push(v);
      }
    }
  } finally {
    await worker.stop();
    await mock.close();
  }
  const medians = Object.fromEntries(Object.entries(breakdown).map(([k, v]) => [k, median(v)]));
  console.log(`first request, median per step: ${formatSteps(medians)}`);
  return median(samples);
}

/**
 * Where the wait for the first request goes, from the CLI's clock and the run's history: the CLI
 * itself (spawn → exit), the CLI's exit → the workflow's start event (≈ 0: the CLI exits after the
 * start is accepted), workflow start → the sandbox activity scheduled, the sandbox and prepare
 * activities, the agent activity's start → the first request (agent CLI start-up in the container).
 */
async function firstRequestSteps(
  server: BenchServer,
  runId: string,
  t0: number,
  cliExit: number,
  firstRequestAt: number,
): Promise<Record<string, number>> {
  const history = await server.client.workflow.getHandle(runId).fetchHistory();
  const events = history.events ?? [];
  const at = (e: (typeof events)[number] | undefined) => (e ? seconds(e.eventTime) * 1000 : NaN);
  const scheduledOf = (name: string) =>
    events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name);
  const startedOf = (name: string) => {
    const s = scheduledOf(name);
    return events.find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(s?.eventId));
  };
  const closedOf = (name: string) => {
    const s = scheduledOf(name);
    return events.find((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(s?.eventId));
  };
  const ms = (a: number, b: number) => Math.max(0, (b - a) / 1000);
  return {
    cli: ms(t0, cliExit),
    to_first_activity: ms(at(events[0]), at(scheduledOf('createSandbox'))),
    sandbox: ms(at(scheduledOf('createSandbox')), at(closedOf('createSandbox'))),
    prepare: ms(at(closedOf('createSandbox')), at(startedOf('runAgentTask'))),
    agent_start: ms(at(startedOf('runAgentTask')), firstRequestAt),
  };
}

function formatSteps(steps: Record<string, number>): string {
  return Object.entries(steps)
    .map(([k, v]) => `${k} ${v.toFixed(2)}s`)
    .join(', ');
}

function spawnWorker(env: NodeJS.ProcessEnv, root: string, name: string): ChildProcess {
  const log = path.join(root, `${name}.log`);
  const child = spawn(process.execPath, [BIN, 'worker'], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (c: Buffer) => writeFileSync(log, c, { flag: 'a' }));
  child.stderr?.on('data', (c: Buffer) => writeFileSync(log, c, { flag: 'a' }));
  return child;
}

async function workerReady(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onData = (c: Buffer) => {
      if (c.toString().includes('dkmv worker ready')) resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
  });
}

/** SIGKILL the worker while the agent streams; time until the run folder's stream grows again. */
async function takeover(server: BenchServer, root: string, bare: string, heartbeatS: number): Promise<number> {
  // A long agent: 40 turns, each answered after 0.5 s, each printing a line (output keeps flowing).
  const script = path.join(root, 'long-script.yaml');
  const turns = Array.from({ length: 40 }, (_, i) => `      - bash: "echo step ${i}"`).join('\n');
  writeFileSync(
    script,
    `sessions:\n  - match: "greeting.json"\n    delay_ms: 500\n    turns:\n${turns}\n      - write:\n          path: ".agent/greeting.json"\n          content: '{"greeting": "hi", "language": "en"}'\n      - text: "Done."\n`,
  );
  const mock = await startMockModel({ scriptPath: script });
  const queue = `latency-takeover-${process.pid}`;
  const env = { ...cliEnv(server, queue, mock, root), DKMV_HEARTBEAT_TIMEOUT: String(heartbeatS) };
  const workers: ChildProcess[] = [];
  try {
    const a = spawnWorker(env, root, 'worker-a');
    workers.push(a);
    await workerReady(a);
    const runId = `latency-takeover-${process.pid}`;
    started.push(runId);
    const branch = 'bench/takeover';
    const comp = path.join(root, 'greet');
    const plan = planComponent(
      { name: 'greet', dir: comp, source: 'path' },
      {
        context: { repo: bare, branch, feature_name: 'takeover', run_id: runId, vars: {} },
        defaults: { agent: 'claude', model: 'claude-sonnet-4-5', max_turns: 60, timeout_minutes: 10 },
        projectRoot: root,
      },
    );
    const runDir = path.join(root, 'runs', runId);
    const input: ComponentRunInput = {
      runId,
      plan,
      repo: bare,
      branch,
      image: IMAGE,
      memory: '2g',
      modelUrl: mock.url,
      runDir,
      contextPaths: [],
      auto: true,
      keepAlive: false,
      heartbeatTimeoutSeconds: heartbeatS,
    };
    const handle = await server.client.workflow.start(componentWorkflow, {
      workflowId: runId,
      taskQueue: queue,
      args: [input],
    });
    const stream = path.join(runDir, 'stream.jsonl');
    const size = () => (existsSync(stream) ? statSync(stream).size : 0);
    // Output flowing: the stream has grown past the agent's first events.
    await until('agent output', () => (size() > 4000 ? true : undefined), 180_000, 100);
    const before = size();
    const killedAt = Date.now();
    process.kill(a.pid!, 'SIGKILL');
    const b = spawnWorker(env, root, 'worker-b');
    workers.push(b);
    await until('output through the new worker', () => (size() > before ? true : undefined), 180_000, 50);
    const s = (Date.now() - killedAt) / 1000;
    console.log(
      `takeover: SIGKILL → output flowing again via a new worker ${s.toFixed(2)}s (heartbeat timeout ${heartbeatS}s)`,
    );
    await handle.result().catch((err: unknown) => console.log(`takeover run ended: ${String(err)}`));
    return s;
  } finally {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGTERM');
    await sleep(500);
    await mock.close();
  }
}

/** Seeds `count` cheap workflows (never run) carrying the run kind, then times `dkmv runs`. */
async function runsList(server: BenchServer, root: string, count: number, runs: number): Promise<number> {
  const queue = `latency-seed-${process.pid}`;
  const t0 = Date.now();
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        server.client.workflow.start('componentWorkflow', {
          workflowId: `seed-${process.pid}-${i + j}`,
          taskQueue: queue,
          args: [],
          typedSearchAttributes: [
            { key: DkmvRunKind, value: 'component' },
            { key: DkmvComponent, value: 'seed' },
          ],
        }),
      ),
    );
  }
  console.log(`seeded ${count} runs in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  // Visibility is eventually consistent: wait until all are listed.
  const query = `WorkflowId STARTS_WITH "seed-${process.pid}-"`;
  for (;;) {
    const { count: n } = await server.client.workflow.count(query);
    if (n >= count) break;
    await sleep(500);
  }
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: server.address,
    NO_COLOR: '1',
    DKMV_OUTPUT_DIR: path.join(root, 'empty-out'),
  };
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'runs'], { env, cwd: root, encoding: 'utf8' });
    const s = (performance.now() - start) / 1000;
    if (r.status !== 0) throw new Error(`dkmv runs exited ${r.status}: ${r.stderr}`);
    if (!r.stdout.includes('seed')) throw new Error(`dkmv runs did not list the seeded runs:\n${r.stdout}`);
    console.log(`${i === 0 ? 'warm-up' : `run ${i}/${runs}`}  dkmv runs (${count} in Temporal) ${s.toFixed(2)}s`);
    if (i > 0) samples.push(s);
  }
  return median(samples);
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const runs = Math.max(1, Number(arg('--runs') ?? (quick ? 2 : 5)));
  const heartbeatS = Math.max(1, Number(arg('--heartbeat') ?? 10));
  const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-bench-latency-'));
  process.env.DKMV_SANDBOX_DIR = path.join(root, 'sandboxes');
  console.log(`load before: ${uptime()}`);
  // The compiled CLI must be current (bin/dkmv.js would rebuild it on the first call anyway).
  spawnSync(process.execPath, [BIN, '--version'], { stdio: 'ignore' });
  const server = await startServer(root);
  let first = NaN;
  let take = NaN;
  let list = NaN;
  try {
    const bare = makeBareRepo(root);
    if (want('first')) first = await firstRequest(server, root, bare, runs);
    if (want('takeover')) take = await takeover(server, root, bare, heartbeatS);
    if (want('runs')) list = await runsList(server, root, 1000, runs);
  } finally {
    await server.stop();
    const leftovers = dockerIds();
    if (leftovers.length) spawnSync('docker', ['rm', '-f', ...leftovers], { stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`load after: ${uptime()}`);
  console.log(
    `latency: first_request_s=${first.toFixed(2)} takeover_s=${take.toFixed(2)} heartbeat_s=${heartbeatS} ` +
      `takeover_margin_s=${(take - heartbeatS).toFixed(2)} runs_1000_s=${list.toFixed(2)}`,
  );
}

/** `--only first,takeover,runs`: measure only these (all by default). */
function want(part: 'first' | 'takeover' | 'runs'): boolean {
  const only = arg('--only');
  return !only || only.split(',').includes(part);
}

/** Run ids this bench started: their containers are removed at the end, whatever happened. */
const started: string[] = [];

/** Containers this bench's runs left behind (a killed worker's or a failed run may leave one). */
function dockerIds(): string[] {
  return started.flatMap((id) => {
    const r = spawnSync('docker', ['ps', '-aq', '--filter', `label=dkmv.run_id=${id}`], { encoding: 'utf8' });
    return r.stdout.split('\n').filter(Boolean);
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
