// The embedded local stack: a Temporal dev server (SQLite under .dkmv/stack/, Web UI, search
// attributes) and a worker, started in the background by `dkmv up` or on demand.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DKMV_HOME } from '../../core/project.js';
import { connectOptions, temporalTargetFromEnv, type TemporalTarget } from '../../core/temporal/connection-options.js';
import { serverAnswers, spawnDevServer, waitForServer } from './dev-server.js';
import { stackPaths, type StackPaths } from './paths.js';
import { isAlive, liveProcess, stopProcess, writePid } from './pid-file.js';

export const LOCAL_UI_PORT = 8233;

export interface UpResult {
  address: string;
  uiUrl: string;
  serverStarted: boolean;
  workerStarted: boolean;
  workerPid?: number;
}

type Log = (line: string) => void;

export function webUiUrl(target: TemporalTarget): string {
  if (process.env.DKMV_WEB_UI_URL) return process.env.DKMV_WEB_UI_URL.replace(/\/$/, '');
  const host = target.address.split(':')[0] ?? '127.0.0.1';
  return `http://${host}:${LOCAL_UI_PORT}`;
}

/** The Web UI page of one run (workflow id = run id). */
export function runUrl(uiUrl: string, namespace: string, runId: string): string {
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(runId)}`;
}

function portOf(address: string): number {
  return Number(address.split(':')[1] ?? 7233);
}

async function startServer(paths: StackPaths, target: TemporalTarget, log: Log): Promise<boolean> {
  if (await serverAnswers(target.address)) return false;
  log(`starting Temporal dev server on ${target.address} (data: ${path.relative(process.cwd(), paths.serverDb)})`);
  const pid = spawnDevServer({
    port: portOf(target.address),
    uiPort: LOCAL_UI_PORT,
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

async function startWorker(paths: StackPaths, target: TemporalTarget, log: Log): Promise<number | undefined> {
  if (liveProcess(paths.workerPid, 'worker')) return undefined;
  log(`starting a worker on task queue ${target.taskQueue} (log: ${path.relative(process.cwd(), paths.workerLog)})`);
  const offset = fileSize(paths.workerLog);
  const out = openSync(paths.workerLog, 'a');
  const child = spawn(process.execPath, [path.join(DKMV_HOME, 'bin', 'dkmv.js'), 'worker'], {
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

export async function up(options: { worker?: boolean; log?: Log; projectRoot?: string } = {}): Promise<UpResult> {
  const log = options.log ?? (() => {});
  const target = temporalTargetFromEnv();
  const paths = stackPaths(options.projectRoot);
  mkdirSync(paths.dir, { recursive: true });
  const serverStarted = await startServer(paths, target, log);
  const workerPid = options.worker === false ? undefined : await startWorker(paths, target, log);
  const result: UpResult = {
    address: target.address,
    uiUrl: webUiUrl(target),
    serverStarted,
    workerStarted: workerPid !== undefined,
  };
  if (workerPid !== undefined) result.workerPid = workerPid;
  return result;
}

/** Stops what `up` started (by pid file), worker first so it can drain. */
export async function down(options: { log?: Log; projectRoot?: string } = {}): Promise<string[]> {
  const log = options.log ?? (() => {});
  const paths = stackPaths(options.projectRoot);
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
}

/** True when some worker polls the task queue (pollers seen in the last minute). */
export async function workerPolling(target: TemporalTarget): Promise<boolean> {
  const connection = await Connection.connect(connectOptions(target));
  try {
    const res = await connection.workflowService.describeTaskQueue({
      namespace: target.namespace,
      taskQueue: { name: target.taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    const cutoff = Date.now() - 60_000;
    return (res.pollers ?? []).some((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      return seconds * 1000 >= cutoff;
    });
  } finally {
    await connection.close();
  }
}

/**
 * For commands that need Temporal: with no TEMPORAL_ADDRESS and no local server, brings the local
 * stack up. With a server but no worker, says so (never starts a second worker on its own).
 */
export async function ensureStack(options: {
  needWorker: boolean;
  log?: Log;
  projectRoot?: string;
}): Promise<TemporalTarget> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const target = temporalTargetFromEnv();
  if (!target.explicitAddress && !(await serverAnswers(target.address))) {
    log('no Temporal server is running: bringing up the local stack (stop it with `dkmv down`)');
    await up({ worker: true, log, ...(options.projectRoot ? { projectRoot: options.projectRoot } : {}) });
    return target;
  }
  if (options.needWorker && !(await workerPolling(target))) {
    log(
      `warning: no worker polls task queue '${target.taskQueue}' at ${target.address}; the run will wait for one.\n` +
        `  start one with \`dkmv worker\` (foreground) or \`dkmv up\` (background)`,
    );
  }
  return target;
}
