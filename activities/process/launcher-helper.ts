// The launcher's helper: a small Node process that starts host processes on the worker's behalf.
// On Linux, Node starts a process with fork(): the kernel copies the parent's page tables, and
// every page the parent writes afterwards faults once. From a worker holding a few hundred MB that
// costs ~100–200 ms of CPU per process on these VMs (docs/timings.md); from this ~50 MB helper, ~3 ms.
import { spawn, type ChildProcess } from 'node:child_process';

/** A process to start, as the helper receives it. */
export interface LaunchRequest {
  id: number;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Uint8Array;
  /** Its own process group, so a kill reaches the processes it started. */
  group?: boolean;
}

/** What the helper sends back: output chunks in order, then one end (exit or start error). */
export type LaunchEvent =
  | { id: number; stream: 'stdout' | 'stderr'; data: Uint8Array }
  | { id: number; exit: { code: number | null; signal: NodeJS.Signals | null } }
  | { id: number; error: { message: string; code?: string } };

/**
 * The helper's program (plain JavaScript run with `node -e`, so it needs no file on disk and works
 * the same from the sources, dist/ and the CLI bundle). It exits when the worker goes away.
 */
export const HELPER_SOURCE = `
const { spawn } = require('node:child_process');
const running = new Map();
const send = (m) => { if (process.connected) process.send(m); };
process.on('disconnect', () => process.exit(0));
process.on('message', (m) => {
  if (m.kill) {
    const child = running.get(m.id);
    if (!child) return;
    try { if (child.group) process.kill(-child.pid, m.kill); else child.kill(m.kill); }
    catch { try { child.kill(m.kill); } catch {} }
    return;
  }
  let child;
  try {
    child = spawn(m.command, m.args, { cwd: m.cwd, env: m.env, detached: !!m.group, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    send({ id: m.id, error: { message: err.message, code: err.code } });
    return;
  }
  child.group = !!m.group;
  running.set(m.id, child);
  // One end per process: a start error may be followed by 'close'.
  const end = (event) => {
    if (!running.delete(m.id)) return;
    send({ id: m.id, ...event });
  };
  child.on('error', (err) => end({ error: { message: err.message, code: err.code } }));
  child.stdout.on('data', (data) => send({ id: m.id, stream: 'stdout', data }));
  child.stderr.on('data', (data) => send({ id: m.id, stream: 'stderr', data }));
  child.on('close', (code, signal) => end({ exit: { code, signal } }));
  child.stdin.on('error', () => {});
  child.stdin.end(m.input);
});
`;

type Listener = (event: LaunchEvent) => void;

/** The worker's side of one helper process: requests out, events back to each request's listener. */
export class LauncherHelper {
  private readonly listeners = new Map<number, Listener>();
  private nextId = 1;
  private ended = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly onGone: () => void,
  ) {
    child.on('message', (event: LaunchEvent) => this.listeners.get(event.id)?.(event));
    child.on('exit', () => this.gone());
    child.on('error', () => this.gone());
    this.idle();
  }

  static start(onGone: () => void): LauncherHelper {
    const child = spawn(process.execPath, ['-e', HELPER_SOURCE], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced', // output chunks travel as bytes, not JSON
    });
    return new LauncherHelper(child, onGone);
  }

  /** Starts a process; `listen` gets its output and its end. Returns the request id. */
  launch(request: Omit<LaunchRequest, 'id'>, listen: Listener): number {
    const id = this.nextId++;
    this.listeners.set(id, (event) => {
      if ('exit' in event || 'error' in event) this.done(id);
      listen(event);
    });
    this.busy();
    this.child.send({ ...request, id } satisfies LaunchRequest);
    return id;
  }

  /** Signals a running process (its whole group when it was started with `group`). */
  kill(id: number, signal: NodeJS.Signals): void {
    if (this.listeners.has(id) && this.child.connected) this.child.send({ id, kill: signal });
  }

  private done(id: number): void {
    this.listeners.delete(id);
    if (this.listeners.size === 0) this.idle();
  }

  /** The helper keeps this process alive only while one of its processes runs. */
  private busy(): void {
    this.child.ref();
    this.child.channel?.ref();
  }

  private idle(): void {
    this.child.unref();
    this.child.channel?.unref();
  }

  /** The helper died: every process still waiting ends with an error (their callers may retry). */
  private gone(): void {
    if (this.ended) return;
    this.ended = true;
    this.onGone();
    const waiting = [...this.listeners];
    this.listeners.clear();
    for (const [id, listen] of waiting) {
      listen({ id, error: { message: 'the process launcher exited before the process ended' } });
    }
  }
}
