// bench:fanout — do the harness's generators really overlap on one worker? Per N = 1, 2, 4, 8 it
// runs a real harnessWorkflow (no quality loop, as `--no-eval`; up to 8 generators at once) on the
// bench's own Temporal dev server and ONE in-process worker: real sandbox containers, Claude Code,
// git and structural merge, against a mock model whose script is generated per N (script.ts: a plan
// with N units, each owning its own file; every model turn answers after 2 s, like a model thinking).
//
// The ratio uses the BUILD phase only: first generator child started → last generator child closed.
// Planner and landing are serial by nature (one plan; units merged one at a time into the
// integration branch), so they are reported beside it, not in it. If orchestration serialized
// generators (worker slots, container create, clone, push, the harness's own window), build at
// N = 8 would be a multiple of N = 1; the agents only wait on the model, so the goal is ≤ 1.3.
// Per run it also prints the total wall, the planner's and landing's time, the generators' activity
// queue waits (scheduled → started), the spread of their agent starts, the slowest agent's own time
// and the CPU use during the build: the machine's busy % (near 100 % = both cores saturated: the
// limit is CPU) and its CPU seconds split into the generators' containers, this process (worker and
// mock model), the Temporal dev server and the rest (dockerd, host git, other jobs).
//
//   npm run bench:fanout [-- --rounds 2] [-- --delay-ms 2000] [-- --sizes 1,8] [-- --quick]   (--quick: n=1,2, 1 round)
// Last line: fanout: n=1:…s n=2:…s n=4:…s n=8:…s ratio_8_1=… cpu_bound_s_8=… cpu_bound_ratio_8=…
// outside_cpu_s_per_gen=…   (build-phase seconds, medians; the CPU bound is the build's CPU seconds ÷ cores;
// outside: CPU seconds per generator spent outside its own container, N = 8)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HarnessInput } from '../../core/harness/types.js';
import { startMockModel } from '../../core/mock-model/server.js';
import { harnessWorkflow } from '../../workflows/index.js';
import { arg, makeBareRepo, median, startServer, startWorker, uptime, type BenchServer } from '../lib/temporal.js';
import { removeContainers } from './containers.js';
import { CpuSampler, type CpuWindow } from './cpu.js';
import { cpuText, describe, runFigures, type RunFigures } from './figures.js';
import { FANOUT_PROMPT, fanoutScript } from './script.js';

const DKMV_HOME = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const IMAGE = process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest';
const MODEL = 'claude-sonnet-4-5';

interface Bench {
  server: BenchServer;
  taskQueue: string;
  root: string;
  /** Every harness run id started, for the container clean-up. */
  runIds: string[];
}

function harnessRunId(tag: string): string {
  const now = new Date().toISOString();
  const stamp = `${now.slice(2, 10).replace(/-/g, '')}-${now.slice(11, 16).replace(':', '')}`;
  return `${stamp}-harness-fanout-${tag}-${process.pid.toString(16).slice(-4)}`;
}

/** One harness run with `n` generators on a fresh bare repo, its figures read from the histories. */
async function harnessRun(bench: Bench, n: number, delayMs: number, tag: string): Promise<RunFigures> {
  const dir = path.join(bench.root, tag);
  mkdirSync(dir, { recursive: true });
  const repo = makeBareRepo(dir);
  const scriptPath = path.join(dir, 'model-script.yaml');
  writeFileSync(scriptPath, fanoutScript(n, delayMs));
  const mock = await startMockModel({ scriptPath, logFile: path.join(dir, 'mock-requests.jsonl') });
  const runId = harnessRunId(tag);
  bench.runIds.push(runId);
  const runDir = path.join(dir, 'runs', runId);
  const input: HarnessInput = {
    runId,
    prompt: FANOUT_PROMPT.replace('N ', `${n} `),
    repo,
    branch: `fanout/${tag}`,
    image: IMAGE,
    memory: '2g',
    modelUrl: mock.url,
    runDir,
    projectRoot: dir,
    maxParallel: 8,
    reviewPlan: false,
    roles: { planner: {}, generator: {} },
    layers: { config: {}, default: { agent: 'claude', model: MODEL, max_turns: 20, timeout_minutes: 10 } },
    roleDirs: {
      planner: path.join(DKMV_HOME, 'components/harness/planner'),
      generator: path.join(DKMV_HOME, 'components/harness/generator'),
    },
    // no `quality`: build and land only, like `dkmv harness --no-eval`
  };
  const cpu = new CpuSampler(bench.server.pid);
  try {
    const view = await bench.server.client.workflow.execute(harnessWorkflow, {
      workflowId: runId,
      taskQueue: bench.taskQueue,
      args: [input],
    });
    const landed = view.units.filter((u) => u.status === 'landed').length;
    if (view.status !== 'completed' || landed !== n)
      throw new Error(`harness ${runId} ended ${view.status} with ${landed}/${n} units landed: ${view.error ?? ''}`);
  } finally {
    cpu.stop();
    await mock.close();
  }
  return runFigures(bench.server.client, runId, runDir, n, cpu);
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rounds = quick ? 1 : Math.max(1, Number(arg('--rounds') ?? 2));
  const delayMs = Number(arg('--delay-ms') ?? 2000);
  const sizes = quick ? [1, 2] : (arg('--sizes')?.split(',').map(Number) ?? [1, 2, 4, 8]);
  const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-bench-fanout-'));
  process.env.DKMV_SANDBOX_DIR = path.join(root, 'sandboxes');
  process.env.DKMV_HARNESS_DIR = path.join(root, 'landing');
  const runIds: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  let cleaned = false;
  const cleanUp = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    for (const stop of stops) await stop().catch(() => undefined);
    const removed = removeContainers(runIds);
    if (removed) console.log(`removed ${removed} leftover container(s)`);
    rmSync(root, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  const results = new Map<number, RunFigures[]>(sizes.map((n) => [n, []]));
  try {
    console.log(`load before: ${uptime()}`);
    const server = await startServer(root);
    stops.push(() => server.stop());
    const taskQueue = `fanout-${process.pid}`;
    const worker = await startWorker(server.address, taskQueue);
    stops.unshift(() => worker.stop());
    const bench: Bench = { server, taskQueue, root, runIds };
    console.log(
      `dev server pid ${server.pid} on ${server.address}, one worker on ${taskQueue}, ${os.cpus().length} cores, ` +
        `model delay ${delayMs} ms/turn, harness fixture generated per N (no quality loop, max parallel 8)`,
    );
    // Bundle, image and first containers warm up: not counted.
    console.log(`warm-up n=1: ${describe(await harnessRun(bench, 1, 0, 'warm'))}`);
    for (let r = 1; r <= rounds; r++) {
      // Alternate the order between rounds so a load change hits the sizes alike.
      for (const n of r % 2 ? sizes : [...sizes].reverse()) {
        const f = await harnessRun(bench, n, delayMs, `r${r}n${n}`);
        results.get(n)!.push(f);
        console.log(`round ${r} n=${n}: ${describe(f)}`);
      }
    }
  } finally {
    await cleanUp();
  }
  console.log(`load after: ${uptime()}`);
  const med = (n: number, f: (r: RunFigures) => number) => median(results.get(n)!.map(f));
  for (const n of sizes) {
    const cpu: CpuWindow = {
      busyPct: med(n, (r) => r.buildCpu.busyPct),
      totalS: med(n, (r) => r.buildCpu.totalS),
      selfS: med(n, (r) => r.buildCpu.selfS),
      serverS: med(n, (r) => r.buildCpu.serverS),
      containersS: med(n, (r) => r.buildCpu.containersS),
    };
    const s = (f: (r: RunFigures) => number) => `${med(n, f).toFixed(2)}s`;
    console.log(
      `n=${n} (median of ${rounds}): build ${s((r) => r.buildS)}  total ${s((r) => r.totalS)}  ` +
        `planner ${s((r) => r.plannerS)}  landing ${s((r) => r.landS)}  build CPU: ${cpuText(cpu)}`,
    );
  }
  const build = (n: number) => med(n, (r) => r.buildS);
  // The ratio is against the smallest N measured (1 unless --sizes leaves it out).
  const first = sizes[0]!;
  const last = sizes.at(-1)!;
  // Against the CPU bound: the build phase cannot be shorter than its CPU seconds spread over every
  // core; and what each generator costs outside its own container (worker, mock model, Temporal,
  // dockerd, git) is the part orchestration adds.
  const cpuTotal = med(last, (r) => r.buildCpu.totalS);
  const cpuBound = cpuTotal / os.availableParallelism();
  const outside = med(last, (r) => r.buildCpu.totalS - r.buildCpu.containersS) / last;
  console.log(
    `fanout: ${sizes.map((n) => `n=${n}:${build(n).toFixed(2)}s`).join(' ')} ` +
      `ratio_${last}_${first}=${(build(last) / build(first)).toFixed(3)} ` +
      `cpu_bound_s_${last}=${cpuBound.toFixed(2)} cpu_bound_ratio_${last}=${(build(last) / cpuBound).toFixed(3)} ` +
      `outside_cpu_s_per_gen=${outside.toFixed(2)}`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
