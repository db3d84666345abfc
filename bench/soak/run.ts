// bench:soak — many concurrent 1-task component runs on ONE worker process and ONE Docker engine:
// a real Temporal dev server, the real worker (`dkmv worker`, the compiled CLI), real sandboxes,
// Claude Code against a mock model whose every turn takes a realistic 3 s, one local bare repo
// as the remote (one branch per run). Started here on free ports, stopped by PID at the end.
//
//   npm run bench:soak [-- --runs 50]
// Reports failures, sandboxes left behind (containers and folders), the worker's peak RSS and
// CPU (sampled from /proc every 500 ms). Last line:
//   soak: runs=N failed=F worker_rss_peak_mb=M wall_s=W worker_cpu_s=C worker_cpu_avg_pct=P
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import getPort from 'get-port';
import { planComponent, resolveComponent } from '../../core/component/index.js';
import type { ComponentRunInput } from '../../core/engine/run-types.js';
import { startMockModel } from '../../core/mock-model/server.js';
import { makeRunId, random4hex } from '../../core/runs/run-id.js';
import { devServerArgs, waitForServer } from '../../cli/stack/dev-server.js';
import { requireTemporalCli } from '../../cli/stack/temporal-cli.js';
import { componentWorkflow } from '../../workflows/index.js';
import { processCpuSeconds } from '../lib/proc.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOME_DIR = path.resolve(HERE, '../..');
const COMPONENT = path.join(HERE, 'soak');
const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 50;

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=soak', '-c', 'user.email=soak@localhost', ...args], { cwd, stdio: 'ignore' });
}

function makeBareRepo(root: string): string {
  const bare = path.join(root, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const seed = path.join(root, 'seed');
  execFileSync('git', ['clone', '-q', bare, seed], { stdio: 'ignore' });
  writeFileSync(path.join(seed, 'README.md'), '# soak\n');
  git(seed, 'add', '.');
  git(seed, 'commit', '-qm', 'initial');
  git(seed, 'push', '-q', 'origin', 'HEAD:main');
  return bare;
}

/** RSS (MB) and CPU time (s, user + system) of one process, from /proc. */
function sample(pid: number): { rssMb: number; cpuS: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const cpuS = processCpuSeconds(pid);
    return Number.isNaN(cpuS) ? undefined : { rssMb: rssKb / 1024, cpuS };
  } catch {
    return undefined;
  }
}

function runInput(i: number, root: string, bare: string, modelUrl: string): ComponentRunInput {
  const projectRoot = path.join(root, 'project');
  const branch = `soak/run-${i}`;
  const component = resolveComponent(COMPONENT, { projectRoot });
  const runId = makeRunId(component.name, `r${i}`, new Date(), random4hex);
  const plan = planComponent(component, {
    context: { repo: bare, branch, feature_name: `r${i}`, run_id: runId, vars: { row: String(i) } },
    defaults: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 10, timeout_minutes: 20 },
    projectRoot,
  });
  const runDir = path.join(projectRoot, '.dkmv', 'runs', runId);
  mkdirSync(runDir, { recursive: true });
  return {
    runId,
    plan,
    repo: bare,
    branch,
    image: process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest',
    memory: '1g',
    modelUrl,
    runDir,
    contextPaths: [],
    auto: true,
    keepAlive: false,
  };
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-soak-'));
  const sandboxes = path.join(root, 'sandboxes');
  const children: ChildProcess[] = [];
  const stop = async (c: ChildProcess) => {
    if (c.exitCode !== null || c.signalCode !== null) return;
    c.kill('SIGTERM');
    await new Promise((r) => c.once('exit', r));
  };
  try {
    // Compile the CLI first, so the worker's start is not a build.
    execFileSync(process.execPath, [path.join(HOME_DIR, 'bin/dkmv.js'), '--version'], { stdio: 'ignore' });
    const port = await getPort({ host: '127.0.0.1' });
    const address = `127.0.0.1:${port}`;
    const server = spawn(
      requireTemporalCli(),
      devServerArgs({ port, headless: true, logFile: path.join(root, 'server.log') }),
      {
        stdio: 'ignore',
      },
    );
    children.push(server);
    await waitForServer(address, 60_000, () => server.exitCode === null);
    const mock = await startMockModel({ scriptPath: path.join(HERE, 'model-script.yaml') });
    const taskQueue = `soak-${Date.now()}`;
    const worker = spawn(process.execPath, [path.join(HOME_DIR, 'bin/dkmv.js'), 'worker'], {
      env: { ...process.env, TEMPORAL_ADDRESS: address, DKMV_TASK_QUEUE: taskQueue, DKMV_SANDBOX_DIR: sandboxes },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(worker);
    const connection = await Connection.connect({ address });
    const client = new Client({ connection });
    const bare = makeBareRepo(root);

    let rssPeak = 0;
    const cpuStart = sample(worker.pid as number)?.cpuS ?? 0;
    let cpuEnd = cpuStart;
    const sampler = setInterval(() => {
      const s = sample(worker.pid as number);
      if (!s) return;
      rssPeak = Math.max(rssPeak, s.rssMb);
      cpuEnd = s.cpuS;
    }, 500);

    const t0 = Date.now();
    const inputs = Array.from({ length: RUNS }, (_, i) => runInput(i, root, bare, mock.url));
    const outcomes = await Promise.allSettled(
      inputs.map(async (input) => {
        const handle = await client.workflow.start(componentWorkflow, {
          workflowId: input.runId,
          taskQueue,
          args: [input],
        });
        const view = await handle.result();
        if (view.status !== 'completed') throw new Error(`${input.runId}: ${view.status} ${view.error ?? ''}`);
      }),
    );
    const wallS = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    for (const f of failures.slice(0, 5)) console.error(`failed: ${String((f.reason as Error)?.message ?? f.reason)}`);

    // Nothing left behind: no container of these runs, no sandbox folder; every branch pushed.
    const left = inputs.filter(
      (input) =>
        execFileSync('docker', ['ps', '-aq', '--filter', `label=dkmv.run_id=${input.runId}`], {
          encoding: 'utf8',
        }).trim() !== '',
    ).length;
    const folders = existsSync(sandboxes) ? readdirSync(sandboxes).length : 0;
    const branches = execFileSync('git', ['-C', bare, 'branch', '--list', 'soak/*'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean).length;
    const cpuS = cpuEnd - cpuStart;
    console.log(`containers_left=${left} sandbox_folders_left=${folders} branches_pushed=${branches}/${RUNS}`);
    await connection.close();
    await mock.close();
    const failed = failures.length;
    console.log(
      `soak: runs=${RUNS} failed=${failed} worker_rss_peak_mb=${Math.round(rssPeak)} wall_s=${wallS.toFixed(1)} ` +
        `worker_cpu_s=${cpuS.toFixed(1)} worker_cpu_avg_pct=${((100 * cpuS) / wallS).toFixed(0)}`,
    );
    if (failed || left || folders || branches !== RUNS) process.exitCode = 1;
  } finally {
    for (const c of children.reverse()) await stop(c);
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
