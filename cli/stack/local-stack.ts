// The embedded local stack: one per user, shared by every project (state in the user's data dir,
// see paths.ts): a Temporal dev server (SQLite, Web UI, search attributes) and a worker, started in
// the background by `dkmv up` or on demand, stopped by `dkmv down` (which refuses while runs are in
// flight, unless forced).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DKMV_HOME } from '../../core/project.js';
import { UserError } from '../../core/errors.js';
import { buildMismatch, thisBuild } from '../../core/worker-identity.js';
import { temporalTargetFromEnv, type TemporalTarget } from '../../core/temporal/connection-options.js';
import { serverAnswers, spawnDevServer, waitForServer } from './dev-server.js';
import { stackHttpPort, stackPaths, stackUiPort, type StackPaths } from './paths.js';
import { temporalAnswers } from '../temporal/connection.js';
import { isAlive, liveProcess, readPid, stopProcess, writePid } from './pid-file.js';
import { pollers, runsInFlight, type RunInFlight } from './in-flight.js';
import { runningBuild, workerPlan, type WorkerPlan } from './worker-build.js';

export interface UpResult {
  address: string;
  uiUrl: string;
  serverStarted: boolean;
  workerStarted: boolean;
  workerPid?: number;
  /** Set when a worker of another version or install was running: restarted, or held by runs in flight. */
  otherBuild?: Exclude<WorkerPlan, { action: 'keep' }>;
}

type Log = (line: string) => void;

export function webUiUrl(target: TemporalTarget): string {
  if (process.env.DKMV_WEB_UI_URL) return process.env.DKMV_WEB_UI_URL.replace(/\/$/, '');
  const host = target.address.split(':')[0] ?? '127.0.0.1';
  return `http://${host}:${stackUiPort(portOf(target.address))}`;
}

/** Temporal's HTTP API: DKMV_TEMPORAL_HTTP_URL, else the local stack's; unknown for another server. */
export { httpApiUrl } from '../temporal/connection.js';

/** The Web UI page of one run (workflow id = run id). */
export function runUrl(uiUrl: string, namespace: string, runId: string): string {
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(runId)}`;
}

function portOf(address: string): number {
  return Number(address.split(':')[1] ?? 7233);
}

/**
 * Runs `fn` holding the stack's lock (a directory holding the holder's pid), so two CLIs, from two
 * projects or not, never start two servers or two workers. A lock whose holder died is taken over.
 */
async function withStackLock<T>(paths: StackPaths, fn: () => Promise<T>): Promise<T> {
  mkdirSync(paths.dir, { recursive: true });
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(paths.lock);
      writeFileSync(path.join(paths.lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readPid(path.join(paths.lock, 'pid'));
      if (holder !== undefined && !isAlive(holder)) rmSync(paths.lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`the local stack stays locked by ${paths.lock}`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(paths.lock, { recursive: true, force: true });
  }
}

async function startServer(paths: StackPaths, target: TemporalTarget, log: Log): Promise<boolean> {
  if (await serverAnswers(target.address)) return false;
  log(`starting Temporal dev server on ${target.address} (data: ${paths.serverDb})`);
  const port = portOf(target.address);
  const pid = spawnDevServer({
    port,
    uiPort: stackUiPort(port),
    httpPort: stackHttpPort(port),
    dbFile: paths.serverDb,
    logFile: paths.serverLog,
  });
  writePid(paths.serverPid, pid);
  await waitForServer(target.address, 60_000, () => isAlive(pid));
  return true;
}

/** Waits for the worker's "ready" line in its log, written after `fromOffset`. */
async function waitForWorkerReady(paths: StackPaths, pid: number, fromOffset: number): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const text = readFileSync(paths.workerLog, 'utf8').slice(fromOffset);
    if (text.includes('dkmv worker ready')) return;
    if (!isAlive(pid))
      throw new Error(`the worker exited during start-up; see ${paths.workerLog}:\n${text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the worker did not become ready; see ${paths.workerLog}`);
}

/** What to do about the stack's running worker when it may run another build than this CLI. */
async function planForRunningWorker(pid: number, target: TemporalTarget): Promise<WorkerPlan> {
  const running = runningBuild(pid, await pollers(target));
  const mine = thisBuild();
  if (workerPlan(running, mine, []).action === 'keep') return { action: 'keep' };
  return workerPlan(running, mine, await runsInFlight(target));
}

/**
 * Starts the stack's worker unless one runs; one of another version or install is restarted when
 * no run is in flight (else kept, and the plan says which runs hold it).
 */
async function ensureWorker(
  paths: StackPaths,
  target: TemporalTarget,
  log: Log,
): Promise<{ pid?: number; plan?: WorkerPlan }> {
  const running = liveProcess(paths.workerPid, 'worker');
  if (!running) return { pid: await startWorker(paths, target, log) };
  const plan = await planForRunningWorker(running, target);
  if (plan.action !== 'restart') return { plan };
  log(plan.why);
  await stopProcess(running);
  rmSync(paths.workerPid, { force: true });
  return { pid: await startWorker(paths, target, log), plan };
}

async function startWorker(paths: StackPaths, target: TemporalTarget, log: Log): Promise<number> {
  log(`starting a worker on task queue ${target.taskQueue} (log: ${paths.workerLog})`);
  const offset = fileSize(paths.workerLog);
  const out = openSync(paths.workerLog, 'a');
  // Started from the stack's folder (not a project's): it serves the runs of every project.
  const child = spawn(process.execPath, [path.join(DKMV_HOME, 'bin', 'dkmv.js'), 'worker'], {
    cwd: paths.dir,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, TEMPORAL_ADDRESS: target.address, DKMV_STACK_WORKER: '1' },
  });
  closeSync(out); // the child has its own copy of the descriptor
  child.unref();
  if (child.pid === undefined) throw new Error('the worker did not start');
  writePid(paths.workerPid, child.pid);
  await waitForWorkerReady(paths, child.pid, offset);
  return child.pid;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export async function up(options: { worker?: boolean; log?: Log } = {}): Promise<UpResult> {
  const log = options.log ?? (() => {});
  const target = temporalTargetFromEnv();
  const paths = stackPaths();
  return withStackLock(paths, async () => {
    const serverStarted = await startServer(paths, target, log);
    const worker = options.worker === false ? {} : await ensureWorker(paths, target, log);
    const result: UpResult = {
      address: target.address,
      uiUrl: webUiUrl(target),
      serverStarted,
      workerStarted: worker.pid !== undefined,
    };
    if (worker.pid !== undefined) result.workerPid = worker.pid;
    if (worker.plan && worker.plan.action !== 'keep') result.otherBuild = worker.plan;
    return result;
  });
}

/** Runs the server of this stack has in flight (none when the server does not answer). */
async function inFlight(target: TemporalTarget): Promise<RunInFlight[]> {
  if (!(await temporalAnswers(target))) return [];
  return runsInFlight(target);
}

/**
 * Stops what `up` started (by pid file), worker first so it can drain. Refuses while runs are in
 * flight (their history and worker would go away under them) unless `force`.
 */
export async function down(options: { log?: Log; force?: boolean } = {}): Promise<string[]> {
  const log = options.log ?? (() => {});
  const target = temporalTargetFromEnv();
  const paths = stackPaths();
  return withStackLock(paths, async () => {
    const busy = liveProcess(paths.serverPid, 'temporal') ? await inFlight(target) : [];
    if (busy.length && !options.force) {
      const names = busy.map((r) => `  ${r.id}  (${r.what}, ${r.status})`).join('\n');
      throw new UserError(
        `${busy.length} run${busy.length === 1 ? ' is' : 's are'} in flight on the local stack (${target.address}); not stopping it:\n${names}`,
        {
          hint: 'wait for them, stop them with `dkmv stop <run-id>`, or `dkmv down --force` (they resume at the next `dkmv up`)',
          exitCode: 1,
        },
      );
    }
    if (busy.length) log(`--force: stopping with ${busy.length} run(s) in flight; they resume at the next \`dkmv up\``);
    const stopped: string[] = [];
    const workerPid = liveProcess(paths.workerPid, 'worker');
    if (workerPid) {
      log(`stopping worker (pid ${workerPid})`);
      await stopProcess(workerPid);
      stopped.push('worker');
    }
    rmSync(paths.workerPid, { force: true });
    const serverPid = liveProcess(paths.serverPid, 'temporal');
    if (serverPid) {
      log(`stopping Temporal dev server (pid ${serverPid})`);
      await stopProcess(serverPid, 10_000);
      stopped.push('server');
    }
    rmSync(paths.serverPid, { force: true });
    return stopped;
  });
}

/** True when some worker polls the task queue (pollers seen in the last minute). */
export async function workerPolling(target: TemporalTarget): Promise<boolean> {
  return (await pollers(target)).length > 0;
}

/**
 * For commands that need Temporal: with no TEMPORAL_ADDRESS and no local server, brings the local
 * stack up. With a server but no worker, says so (never starts a second worker on its own).
 */
export async function ensureStack(options: {
  needWorker: boolean;
  /** No worker polled the queue in the last minute: a UserError now instead of a warning. */
  requireWorker?: boolean;
  log?: Log;
}): Promise<TemporalTarget> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const target = temporalTargetFromEnv();
  if (!target.explicitAddress && !(await temporalAnswers(target))) {
    log('no Temporal server is running: bringing up the local stack (stop it with `dkmv down`)');
    await up({ worker: true, log });
    return target;
  }
  const polling = options.needWorker || options.requireWorker ? await pollers(target) : [];
  const mismatch = buildMismatch(polling.map((p) => p.identity));
  if (mismatch) log(`warning: ${mismatch}`);
  if ((options.needWorker || options.requireWorker) && !polling.length) {
    if (options.requireWorker) throw noWorkerError(target);
    log(
      `warning: no worker polls task queue '${target.taskQueue}' at ${target.address}; the run will wait for one.\n` +
        `  start one with \`dkmv worker\` (foreground) or \`dkmv up\` (background)`,
    );
  }
  return target;
}

function noWorkerError(target: TemporalTarget): UserError {
  return new UserError(
    `no worker has polled task queue '${target.taskQueue}' at ${target.address} in the last minute: the run would wait with nothing to run it`,
    {
      hint: 'start one with `dkmv up` (background) or `dkmv worker` (foreground), then run this again; `dkmv status` shows the workers',
    },
  );
}
