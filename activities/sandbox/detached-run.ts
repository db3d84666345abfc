// A process started detached inside the sandbox container, writing its stdout, stderr, pid and
// exit code to files in a bind-mounted control folder. The worker only tails those files, so a
// worker crash does not stop the process: the retried activity finds the pid file and re-attaches.
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  watch,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { sandboxLost } from '../../core/failures/index.js';
import { assertContainerRunning, execDetached, execIn } from './exec.js';
import { handToSandbox } from './ownership.js';
import { ensureEgress, sandboxRootOf } from './egress.js';

export interface DetachedSpec {
  containerId: string;
  /** Control folder of this run, on the host and as mounted in the container. */
  hostDir: string;
  containerDir: string;
  /** Working directory inside the container. */
  workdir: string;
  /** Bash script to run (written to run.sh). Must not contain secrets: pass those in `env`. */
  script: string;
  /** Environment of the process; may hold credentials (never written to a file). */
  env: Record<string, string>;
  timeoutMs: number;
}

export interface DetachedHooks {
  /** New stdout bytes; `offset` is where the chunk starts in the stdout file. */
  onStdout(chunk: Buffer, offset: number): void;
  /** Called about once a second; return a reason to stop the process early. */
  check(): string | undefined;
  /** Called about once a second with the bytes of stdout read so far. */
  heartbeat(offset: number): void;
}

export interface DetachedOutcome {
  /** Exit code, or null when the process was killed or vanished. */
  exitCode: number | null;
  stderrTail: string;
  stopped?: 'timeout' | string;
  reattached: boolean;
}

const POLL_MS = 200;
/** Only ask the container whether the process lives when its output has been quiet this long. */
const QUIET_BEFORE_LIVENESS_MS = 3000;
/** ...and then not more often than this (each probe is a docker exec). */
const LIVENESS_EVERY_MS = 5000;

/**
 * Sleeps up to POLL_MS, waking early when anything changes in the control folder (the process
 * writes its stream, pid and exit code there), so the end of a task is seen at once.
 */
class Waker {
  private wake: (() => void) | undefined;
  private readonly watcher;

  constructor(dir: string) {
    this.watcher = watch(dir, () => this.wake?.());
    this.watcher.on('error', () => undefined);
  }

  sleep(ms = POLL_MS): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  close(): void {
    this.watcher.close();
  }
}

function file(spec: DetachedSpec, name: string): string {
  return path.join(spec.hostDir, name);
}

function launchScript(spec: DetachedSpec): string {
  const c = spec.containerDir;
  return [
    '#!/bin/bash',
    `echo $$ > ${c}/pid.tmp && mv ${c}/pid.tmp ${c}/pid`,
    `cd ${JSON.stringify(spec.workdir)}`,
    `bash ${c}/run.sh > ${c}/stdout 2> ${c}/stderr < /dev/null`,
    `echo $? > ${c}/exit_code.tmp && mv ${c}/exit_code.tmp ${c}/exit_code`,
    '',
  ].join('\n');
}

async function start(spec: DetachedSpec): Promise<void> {
  mkdirSync(spec.hostDir, { recursive: true });
  for (const name of ['run.sh', 'launch.sh', 'started_at', 'stdout']) rmSync(file(spec, name), { force: true });
  writeFileSync(file(spec, 'run.sh'), spec.script);
  writeFileSync(file(spec, 'launch.sh'), launchScript(spec));
  writeFileSync(file(spec, 'started_at'), String(Date.now()));
  writeFileSync(file(spec, 'stdout'), '');
  await handToSandbox(spec.hostDir);
  await execDetached(spec.containerId, ['setsid', 'bash', `${spec.containerDir}/launch.sh`], spec.env);
  const deadline = Date.now() + 15_000;
  while (!existsSync(file(spec, 'pid'))) {
    if (Date.now() > deadline) throw new Error('the process did not start in the sandbox (no pid file after 15 s)');
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The control folder is writable from the container: never follow a link planted there. */
function openNoFollow(filePath: string): number {
  return openSync(filePath, constants.O_RDONLY | constants.O_NOFOLLOW);
}

function readSmall(filePath: string): string {
  const fd = openNoFollow(filePath);
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

function readFrom(filePath: string, offset: number): Buffer {
  const size = lstatSync(filePath).size;
  if (size <= offset) return Buffer.alloc(0);
  const fd = openNoFollow(filePath);
  try {
    const buf = Buffer.alloc(size - offset);
    const n = readSync(fd, buf, 0, buf.length, offset);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function tail(filePath: string, max = 4000): string {
  if (!existsSync(filePath)) return '';
  const text = readSmall(filePath);
  return text.length > max ? text.slice(-max) : text;
}

/** Kills the whole process group (the launcher is a session leader through setsid). */
export async function killDetached(spec: Pick<DetachedSpec, 'containerId' | 'hostDir'>): Promise<void> {
  const pidFile = path.join(spec.hostDir, 'pid');
  if (!existsSync(pidFile)) return;
  const pid = readSmall(pidFile).trim();
  await execIn(spec.containerId, [
    'bash',
    '-c',
    `kill -TERM -- -${pid} 2>/dev/null; sleep 1; kill -KILL -- -${pid} 2>/dev/null; true`,
  ]).catch(() => undefined);
}

async function processAlive(spec: DetachedSpec): Promise<boolean> {
  const pid = readSmall(file(spec, 'pid')).trim();
  const res = await execIn(spec.containerId, ['bash', '-c', `kill -0 ${pid} 2>/dev/null`]);
  return res.exitCode === 0;
}

/** Starts the process (or re-attaches to it) and tails it to the end. */
export async function runDetached(spec: DetachedSpec, hooks: DetachedHooks): Promise<DetachedOutcome> {
  const reattached = existsSync(file(spec, 'pid'));
  // An allowlist sandbox's egress proxy may have died with a crashed worker: bring it back first.
  const root = sandboxRootOf(spec.hostDir);
  if (root) await ensureEgress(root);
  if (!reattached) await start(spec);
  const waker = new Waker(spec.hostDir);
  try {
    return await tailToEnd(spec, hooks, reattached, waker);
  } finally {
    waker.close();
  }
}

async function tailToEnd(
  spec: DetachedSpec,
  hooks: DetachedHooks,
  reattached: boolean,
  waker: Waker,
): Promise<DetachedOutcome> {
  const startedAt = Number(readSmall(file(spec, 'started_at'))) || Date.now();
  const signal = Context.current().cancellationSignal;
  let offset = 0;
  let lastCheck = 0;
  let lastOutput = Date.now();
  let lastLiveness = 0;
  const drain = () => {
    const chunk = readFrom(file(spec, 'stdout'), offset);
    if (chunk.length) {
      hooks.onStdout(chunk, offset);
      offset += chunk.length;
      lastOutput = Date.now();
    }
  };
  const ended = (extra: Partial<DetachedOutcome> = {}): DetachedOutcome => {
    drain();
    return { exitCode: null, stderrTail: tail(file(spec, 'stderr')), reattached, ...extra };
  };
  for (;;) {
    drain();
    if (existsSync(file(spec, 'exit_code'))) {
      const exitCode = Number(readSmall(file(spec, 'exit_code')).trim());
      return ended({ exitCode });
    }
    if (signal.aborted) {
      // Only a cancelled run kills its agent. A worker shutting down (or a stale attempt) just lets
      // go: the process keeps running and the next attempt re-attaches to it.
      if ((signal.reason as { message?: string } | undefined)?.message === 'CANCELLED') await killDetached(spec);
      throw signal.reason ?? new Error('cancelled');
    }
    if (Date.now() - lastCheck >= 1000) {
      lastCheck = Date.now();
      hooks.heartbeat(offset);
      await assertContainerRunning(spec.containerId);
      const stop = Date.now() - startedAt > spec.timeoutMs ? 'timeout' : hooks.check();
      if (stop) {
        await killDetached(spec);
        return ended({ stopped: stop });
      }
      const quiet = Date.now() - lastOutput > QUIET_BEFORE_LIVENESS_MS;
      const probe = quiet && Date.now() - lastLiveness >= LIVENESS_EVERY_MS;
      if (probe) lastLiveness = Date.now();
      if (probe && !(await processAlive(spec))) {
        await sleep(POLL_MS); // the exit code may land just after the process ends
        // The wrapper writes the exit code whatever the process did (a crash, an OOM kill of the
        // agent); none at all means the wrapper died too: the container was killed or restarted
        // under it (a Docker engine restart). The sandbox is not trusted: re-run in a new one.
        if (!existsSync(file(spec, 'exit_code'))) {
          drain();
          throw sandboxLost(
            `the process in container ${spec.containerId.slice(0, 12)} vanished without an exit code (container killed or restarted)`,
          );
        }
      }
    }
    await waker.sleep();
  }
}
