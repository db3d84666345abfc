// Host processes for activities (git, chown), started by a small helper process instead of the
// worker itself: see launcher-helper.ts for why. One helper per worker process, started on first
// use and started again if it dies; it never keeps the worker alive.
import { LauncherHelper, type LaunchEvent } from './launcher-helper.js';

export interface ProcessOptions {
  cwd?: string;
  /** The whole environment of the process (not merged with the worker's). */
  env?: NodeJS.ProcessEnv;
  /** Written to its stdin, which is then closed (closed at once without it). */
  input?: string | Buffer;
  /** Killed with SIGKILL after this long. */
  timeoutMs?: number;
  /** Killed with SIGKILL after this long without printing anything. */
  silenceMs?: number;
  /** In a process group of its own: a kill also ends the processes it started. */
  group?: boolean;
  /** Each chunk of output as it arrives. */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export interface ProcessResult {
  /** Exit code; null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  /** Set when the launcher killed it. */
  killedBy?: 'timeout' | 'silence';
}

export interface RunningProcess {
  /** Resolves when it exits, whatever the exit code; rejects when it could not start. */
  done: Promise<ProcessResult>;
  kill(signal?: NodeJS.Signals): void;
}

/** A start failure (no such command, no such folder), with the system's error code. */
export class ProcessStartError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ProcessStartError';
  }
}

let helper: LauncherHelper | undefined;

function theHelper(): LauncherHelper {
  helper ??= LauncherHelper.start(() => (helper = undefined));
  return helper;
}

export function startProcess(command: string, args: string[], options: ProcessOptions = {}): RunningProcess {
  const launcher = theHelper();
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const group = options.group ?? false;
  let killedBy: ProcessResult['killedBy'];
  let id = 0;
  const kill = (signal: NodeJS.Signals = 'SIGTERM') => launcher.kill(id, signal);
  const killFor = (why: NonNullable<ProcessResult['killedBy']>) => () => {
    killedBy ??= why;
    kill('SIGKILL');
  };
  const deadline = options.timeoutMs ? setTimeout(killFor('timeout'), options.timeoutMs) : undefined;
  const silence = options.silenceMs ? setTimeout(killFor('silence'), options.silenceMs) : undefined;
  const done = new Promise<ProcessResult>((resolve, reject) => {
    const listen = (event: LaunchEvent): void => {
      if ('data' in event) {
        const chunk = Buffer.from(event.data.buffer, event.data.byteOffset, event.data.byteLength);
        (event.stream === 'stdout' ? stdout : stderr).push(chunk);
        silence?.refresh(); // output: the silence starts again
        options.onOutput?.(event.stream, chunk);
        return;
      }
      clearTimeout(deadline);
      clearTimeout(silence);
      if ('error' in event)
        return reject(new ProcessStartError(`${command}: ${event.error.message}`, event.error.code));
      resolve({ ...event.exit, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), killedBy });
    };
    id = launcher.launch(
      { command, args, cwd: options.cwd, env: options.env ?? process.env, input: options.input, group },
      listen,
    );
  });
  return { done, kill };
}

/** Runs a process to its end: exit code, signal and output (never rejects on a non-zero exit). */
export function runProcess(command: string, args: string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  return startProcess(command, args, options).done;
}
