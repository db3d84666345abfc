// bench:task-overhead — what dkmv adds around one agent task, against a plain shell script doing
// the same work by hand.
//
// Both sides, per run: clone a local bare repo on a new branch, start a sandbox container
// (`dkmv-sandbox:latest`, host networking), run Claude Code in it against the mock model (same
// model script, same prompt, same command line and env as core/agents/claude.ts), commit the
// output, push the branch, remove the container.
//   dkmv:     a 1-task component run through a real Temporal dev server and worker (started here
//             on free ports, stopped by PID at the end), from workflow start to its result.
//   baseline: one bash script (printed with --show-script).
// Overhead = wall time − agent time, where agent time is the `duration_ms` of Claude's own
// `result` event in the stream, read the same way on both sides. Runs alternate between the two.
//
//   npm run bench:task-overhead [-- --runs 7] [-- --show-script] [-- --timeline]
// Last line: task-overhead: runs=N dkmv_median_s=X baseline_median_s=Y ratio=Z (medians of overhead).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import getPort from 'get-port';
import { claudeAdapter } from '../../core/agents/claude.js';
import { planComponent, renderTask, type ComponentPlan } from '../../core/component/index.js';
import type { ComponentRunInput, RunStatusView } from '../../core/engine/run-types.js';
import { startMockModel, type MockModel } from '../../core/mock-model/server.js';
import { devServerArgs, waitForServer } from '../../cli/stack/dev-server.js';
import { requireTemporalCli } from '../../cli/stack/temporal-cli.js';
import { componentWorkflow } from '../../workflows/index.js';
import { createWorker, type DkmvWorker } from '../../workers/worker.js';
import { arg, makeBareRepo, median, seconds, sh } from '../lib/temporal.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOME_DIR = path.resolve(HERE, '../..');
const HELLO = path.join(HOME_DIR, 'components', 'examples', 'hello');
const IMAGE = process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest';
const MODEL = 'claude-sonnet-4-5';
const MAX_TURNS = 5;
const SANDBOX_UID = 1000;

interface Sample {
  wallS: number;
  agentS: number;
  overheadS: number;
  /** dkmv only: seconds per activity (`<type>.queue`, `<type>.run`) and `workflow gaps`, from the history. */
  activities?: Record<string, number>;
}

/** `duration_ms` of the `result` event in a Claude stream-json file (agent time), in seconds. */
function agentSeconds(streamFile: string): number {
  const lines = readFileSync(streamFile, 'utf8').split('\n');
  for (const line of lines.reverse()) {
    if (!line.includes('"type":"result"')) continue;
    const event = JSON.parse(line) as { type?: string; duration_ms?: number; is_error?: boolean };
    if (event.type === 'result' && typeof event.duration_ms === 'number') {
      if (event.is_error) throw new Error(`the agent failed: ${line.slice(0, 300)}`);
      return event.duration_ms / 1000;
    }
  }
  throw new Error(`no result event in ${streamFile}`);
}

/** Seconds of each baseline step (clone + container start, agent, commit + push, removal). */
function phasesOf(file: string): Record<string, number> {
  const marks = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([name, t]) => ({ name: name ?? '', t: Number(t) }));
  const out: Record<string, number> = {};
  for (let i = 1; i < marks.length; i++) out[marks[i]!.name] = marks[i]!.t - marks[i - 1]!.t;
  return out;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The baseline: the same steps as one dkmv task, by hand. */
function baselineScript(modelUrl: string): string {
  const argv = claudeAdapter.command({ prompt: '', promptFile: '/dev/stdin', model: MODEL, maxTurns: MAX_TURNS });
  const env = claudeAdapter.env({ prompt: '', model: MODEL, modelUrl }, { fileSecrets: [] });
  const envFlags = Object.entries(env)
    .map(([k, v]) => `-e ${k}=${shellQuote(v)}`)
    .join(' ');
  const root = process.getuid?.() === 0;
  return `#!/usr/bin/env bash
# Baseline for bench:task-overhead: clone, container, agent, commit, push, remove. Args: REPO BRANCH WORK
set -euo pipefail
REPO=$1 BRANCH=$2 WORK=$3
mark() { echo "$1 $(date +%s.%N)" >> "$WORK/phases"; }
mark start
G="git -c safe.directory=* -c user.name=bench -c user.email=bench@localhost"
$G clone -q --branch main "$REPO" "$WORK/ws"
$G -C "$WORK/ws" checkout -q -b "$BRANCH"
${root ? `chown -R ${SANDBOX_UID}:${SANDBOX_UID} "$WORK/ws"` : ''}
cid=$(docker run -d --init --network host --user ${root ? `${SANDBOX_UID}:${SANDBOX_UID}` : '"$(id -u):$(id -g)"'} \\
  -v "$WORK/ws:/home/dkmv/workspace" -w /home/dkmv/workspace ${IMAGE} sleep infinity)
trap 'docker rm -f "$cid" >/dev/null' EXIT
mark sandbox
docker exec -i ${envFlags} "$cid" ${argv.map(shellQuote).join(' ')} \\
  < "$WORK/prompt.md" > "$WORK/stream.jsonl"
mark agent
$G -C "$WORK/ws" add -f .agent/greeting.json
$G -C "$WORK/ws" add -A
$G -C "$WORK/ws" commit -qm "baseline: greet"
$G -C "$WORK/ws" push -q origin "$BRANCH"
mark commit
docker rm -f "$cid" >/dev/null
trap - EXIT
mark remove
`;
}

class Bench {
  private server: ChildProcess | undefined;
  private worker: DkmvWorker | undefined;
  private workerRun: Promise<void> | undefined;
  private connection: Connection | undefined;
  private client: Client | undefined;
  private mock: MockModel | undefined;
  private taskQueue = `bench-${process.pid}`;
  private plan!: ComponentPlan;
  private prompt = '';
  private script = '';
  private bare = '';
  private count = 0;

  constructor(private readonly root: string) {}

  async start(): Promise<void> {
    process.env.DKMV_SANDBOX_DIR = path.join(this.root, 'sandboxes');
    this.bare = makeBareRepo(this.root);
    const comp = path.join(this.root, 'greet');
    mkdirSync(comp, { recursive: true });
    copyFileSync(path.join(HELLO, '01-greet.yaml'), path.join(comp, '01-greet.yaml'));
    this.mock = await startMockModel({ scriptPath: path.join(HELLO, 'model-script.yaml') });
    this.plan = planComponent(
      { name: 'greet', dir: comp, source: 'path' },
      {
        context: { repo: this.bare, branch: 'bench/x', feature_name: 'x', run_id: 'bench', vars: {} },
        defaults: { agent: 'claude', model: MODEL, max_turns: MAX_TURNS, timeout_minutes: 10 },
        projectRoot: this.root,
      },
    );
    this.prompt = renderTask(this.plan, 'greet').prompt ?? '';
    this.script = baselineScript(this.mock.url);

    const port = await getPort({ host: '127.0.0.1' });
    const address = `127.0.0.1:${port}`;
    const logFile = path.join(this.root, 'temporal.log');
    const server = spawn(requireTemporalCli(), devServerArgs({ port, headless: true, logFile }), { stdio: 'ignore' });
    this.server = server;
    await waitForServer(address, 60_000, () => server.exitCode === null);
    Runtime.install({ logger: new DefaultLogger('WARN') });
    this.worker = await createWorker({
      target: { address, namespace: 'default', taskQueue: this.taskQueue, explicitAddress: true },
    });
    this.workerRun = this.worker.run();
    this.connection = await Connection.connect({ address });
    this.client = new Client({ connection: this.connection, namespace: 'default' });
    console.log(
      `dev server pid ${server.pid} on ${address}, worker on ${this.taskQueue}, mock model ${this.mock.url}, work dir ${this.root}`,
    );
  }

  async dkmv(): Promise<Sample> {
    if (!this.client || !this.mock) throw new Error('not started');
    const n = ++this.count;
    const runId = `bench-dkmv-${process.pid}-${n}`;
    const branch = `bench/dkmv-${n}`;
    const plan: ComponentPlan = { ...this.plan, context: { ...this.plan.context, branch, run_id: runId } };
    const runDir = path.join(this.root, 'runs', runId);
    const input: ComponentRunInput = {
      runId,
      plan,
      repo: this.bare,
      branch,
      image: IMAGE,
      memory: '2g',
      modelUrl: this.mock.url,
      runDir,
      contextPaths: [],
      auto: true,
      keepAlive: false,
    };
    const t0 = performance.now();
    const view: RunStatusView = await this.client.workflow.execute(componentWorkflow, {
      workflowId: runId,
      taskQueue: this.taskQueue,
      args: [input],
    });
    const wallS = (performance.now() - t0) / 1000;
    if (view.status !== 'completed') throw new Error(`dkmv run ${runId} ended ${view.status}: ${view.error ?? ''}`);
    sh('git', ['--git-dir', this.bare, 'rev-parse', '--verify', '-q', `${branch}:.agent/greeting.json`]);
    const agentS = agentSeconds(path.join(runDir, 'stream.jsonl'));
    const activities = await this.activityTimes(runId);
    if (process.argv.includes('--timeline')) await this.printTimeline(runId, t0);
    return { wallS, agentS, overheadS: wallS - agentS, activities };
  }

  /** `--timeline`: every event of the run's history, in ms from the client's start call. */
  private async printTimeline(runId: string, t0: number): Promise<void> {
    const history = await this.client!.workflow.getHandle(runId).fetchHistory();
    const names = new Map<string, string>();
    const startMs = performance.timeOrigin + t0;
    for (const e of history.events ?? []) {
      const at = seconds(e.eventTime) * 1000 - startMs;
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) names.set(String(e.eventId), scheduled.activityType?.name ?? '?');
      const ref =
        e.activityTaskStartedEventAttributes?.scheduledEventId ??
        e.activityTaskCompletedEventAttributes?.scheduledEventId ??
        e.activityTaskFailedEventAttributes?.scheduledEventId;
      const name = scheduled ? names.get(String(e.eventId)) : ref ? names.get(String(ref)) : '';
      const type = String(e.eventType ?? '').replace('EVENT_TYPE_', '');
      console.log(`  ${at.toFixed(0).padStart(6)} ms  ${type} ${name ?? ''}`);
    }
  }

  /**
   * From the run's history: per activity type, seconds waiting in the queue (scheduled → started)
   * and running (started → closed), summed over its calls; plus `workflow gaps`: the time between one
   * step's end and the next step's scheduling (workflow tasks, the server's round trips), and from
   * the start to the first step and from the last step to the end. Run records are written beside
   * the steps (not waited for), so they are left out of the gaps.
   */
  private async activityTimes(runId: string): Promise<Record<string, number>> {
    if (!this.client) return {};
    const history = await this.client.workflow.getHandle(runId).fetchHistory();
    const scheduled = new Map<string, { name: string; at: number; startedAt?: number }>();
    const out: Record<string, number> = {};
    const add = (key: string, v: number) => (out[key] = (out[key] ?? 0) + v);
    const events = history.events ?? [];
    let stepEnd = seconds(events[0]?.eventTime);
    let gaps = 0;
    for (const e of events) {
      const at = seconds(e.eventTime);
      const s = e.activityTaskScheduledEventAttributes;
      if (s) {
        const name = s.activityType?.name ?? '?';
        scheduled.set(String(e.eventId), { name, at });
        if (name !== 'writeRunRecord') gaps += Math.max(0, at - stepEnd);
      }
      const started = e.activityTaskStartedEventAttributes;
      if (started) {
        const from = scheduled.get(String(started.scheduledEventId));
        if (from) from.startedAt = at;
      }
      const closed =
        e.activityTaskCompletedEventAttributes ??
        e.activityTaskFailedEventAttributes ??
        e.activityTaskTimedOutEventAttributes;
      if (closed) {
        const from = scheduled.get(String(closed.scheduledEventId));
        if (!from) continue;
        const startedAt = from.startedAt ?? from.at;
        add(`${from.name}.queue`, startedAt - from.at);
        add(`${from.name}.run`, at - startedAt);
        if (from.name !== 'writeRunRecord') stepEnd = Math.max(stepEnd, at);
      }
      if (e.workflowExecutionCompletedEventAttributes) gaps += Math.max(0, at - stepEnd);
    }
    out['workflow gaps'] = gaps;
    return out;
  }

  async baseline(): Promise<Sample> {
    const n = ++this.count;
    const work = path.join(this.root, `baseline-${n}`);
    const branch = `bench/baseline-${n}`;
    mkdirSync(work, { recursive: true });
    writeFileSync(path.join(work, 'prompt.md'), this.prompt);
    const scriptFile = path.join(this.root, 'baseline.sh');
    writeFileSync(scriptFile, this.script, { mode: 0o755 });
    const t0 = performance.now();
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('bash', [scriptFile, this.bare, branch, work], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('exit', resolve);
    });
    const wallS = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`baseline script exited with ${code}`);
    sh('git', ['--git-dir', this.bare, 'rev-parse', '--verify', '-q', `${branch}:.agent/greeting.json`]);
    const agentS = agentSeconds(path.join(work, 'stream.jsonl'));
    return { wallS, agentS, overheadS: wallS - agentS, activities: phasesOf(path.join(work, 'phases')) };
  }

  showScript(): string {
    return this.script;
  }

  async stop(): Promise<void> {
    if (this.worker) {
      this.worker.shutdown();
      await this.workerRun?.catch(() => undefined);
      await this.worker.connection.close().catch(() => undefined);
    }
    await this.connection?.close().catch(() => undefined);
    await this.mock?.close().catch(() => undefined);
    const server = this.server;
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      process.kill(server.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) process.kill(server.pid, 'SIGKILL');
    }
  }
}

function fmt(s: Sample): string {
  return `wall ${s.wallS.toFixed(2)}s  agent ${s.agentS.toFixed(2)}s  overhead ${s.overheadS.toFixed(2)}s`;
}

async function main(): Promise<void> {
  const runs = Math.max(1, Number(arg('--runs') ?? process.env.BENCH_RUNS ?? 7));
  const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-bench-overhead-'));
  const bench = new Bench(root);
  const dkmv: Sample[] = [];
  const baseline: Sample[] = [];
  try {
    await bench.start();
    if (process.argv.includes('--show-script')) console.log(bench.showScript());
    // Warm-up (not counted): bundle, first container and CLI start on both sides.
    console.log(`warm-up  dkmv      ${fmt(await bench.dkmv())}`);
    console.log(`warm-up  baseline  ${fmt(await bench.baseline())}`);
    for (let i = 1; i <= runs; i++) {
      const first = i % 2 === 1;
      const a = first ? await bench.dkmv() : await bench.baseline();
      const b = first ? await bench.baseline() : await bench.dkmv();
      const d = first ? a : b;
      const s = first ? b : a;
      dkmv.push(d);
      baseline.push(s);
      console.log(`run ${i}/${runs}  dkmv      ${fmt(d)}`);
      console.log(`run ${i}/${runs}  baseline  ${fmt(s)}`);
    }
  } finally {
    await bench.stop();
    rmSync(root, { recursive: true, force: true });
  }
  const dm = median(dkmv.map((s) => s.overheadS));
  const bm = median(baseline.map((s) => s.overheadS));
  console.log(
    `wall medians: dkmv ${median(dkmv.map((s) => s.wallS)).toFixed(2)}s, baseline ${median(baseline.map((s) => s.wallS)).toFixed(2)}s; ` +
      `agent medians: dkmv ${median(dkmv.map((s) => s.agentS)).toFixed(2)}s, baseline ${median(baseline.map((s) => s.agentS)).toFixed(2)}s`,
  );
  const names = [...new Set(dkmv.flatMap((s) => Object.keys(s.activities ?? {})))];
  const med = (n: string) => median(dkmv.map((s) => s.activities?.[n] ?? 0));
  console.log('dkmv per-activity medians (queue = scheduled → started, run = started → closed; from the history):');
  for (const type of [...new Set(names.filter((n) => n.includes('.')).map((n) => n.split('.')[0] as string))]) {
    console.log(
      `  ${type.padEnd(16)} queue ${med(`${type}.queue`).toFixed(3)}s  run ${med(`${type}.run`).toFixed(3)}s`,
    );
  }
  console.log(`  ${'workflow gaps'.padEnd(16)} ${med('workflow gaps').toFixed(3)}s (between steps, start and end)`);
  const bmed = (n: string) => median(baseline.map((s) => s.activities?.[n] ?? 0)).toFixed(3);
  console.log(
    `baseline step medians: clone + container ${bmed('sandbox')}s, agent exec ${bmed('agent')}s, ` +
      `commit + push ${bmed('commit')}s, removal ${bmed('remove')}s`,
  );
  console.log(
    `task-overhead: runs=${runs} dkmv_median_s=${dm.toFixed(3)} baseline_median_s=${bm.toFixed(3)} ratio=${(dm / bm).toFixed(3)}`,
  );
}

// Exit explicitly: the SDK runtime and git's block timers would otherwise keep the process alive.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
