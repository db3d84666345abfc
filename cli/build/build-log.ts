// One progress line per build step ("building image dkmv-sandbox:abc … done in 42 s"): the step's own
// output (docker build, debootstrap) goes to a log file under ~/.cache/dkmv/logs, and a failure
// names that file and shows its last lines. scripts/lib/progress.sh does the same for the shell steps.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../core/errors.js';

const TAIL_LINES = 30;

/** Where build logs go: `$XDG_CACHE_HOME/dkmv/logs` (default `~/.cache/dkmv/logs`). */
export function buildLogDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'dkmv', 'logs');
}

/** A log file name for a step, from an image reference or any label (`dkmv-sandbox:abc` → `dkmv-sandbox-abc.log`). */
export function buildLogPath(name: string): string {
  return path.join(buildLogDir(), `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.log`);
}

/** The last `count` non-empty lines of a file ('' when it cannot be read). */
export function lastLines(file: string, count = TAIL_LINES): string {
  try {
    const lines = readFileSync(file, 'utf8').replace(/\r/g, '\n').split('\n');
    return lines
      .filter((l) => l.trim() !== '')
      .slice(-count)
      .join('\n');
  } catch {
    return '';
  }
}

export interface LoggedStep {
  /** What the progress line says, e.g. "building image dkmv-sandbox:abc". */
  label: string;
  cmd: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /** Receives the one finished progress line. */
  log: (line: string) => void;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/**
 * Runs a command with its output in `logFile` and reports it as one line when it ends. On a terminal
 * a live "… 12 s" counter shows meanwhile (erased before the line is logged). A failure throws a
 * UserError naming the log file, with its last lines.
 */
export async function runLogged(step: LoggedStep): Promise<void> {
  mkdirSync(path.dirname(step.logFile), { recursive: true });
  const fd = openSync(step.logFile, 'w');
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  const ticker = tty
    ? setInterval(() => process.stderr.write(`\r\x1b[K${step.label} … ${seconds(Date.now() - started)}`), 1000)
    : undefined;
  ticker?.unref();
  let code: number | null;
  try {
    code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(step.cmd, step.args, { stdio: ['ignore', fd, fd], env: step.env ?? process.env });
      child.on('error', reject);
      child.on('exit', (exitCode, signal) => resolve(signal ? null : exitCode));
    });
  } finally {
    closeSync(fd);
    if (ticker) {
      clearInterval(ticker);
      process.stderr.write('\r\x1b[K');
    }
  }
  const took = seconds(Date.now() - started);
  if (code === 0) {
    step.log(`${step.label} … done in ${took}`);
    return;
  }
  step.log(`${step.label} … failed after ${took}`);
  const tail = lastLines(step.logFile);
  throw new UserError(
    `${step.cmd} ${step.args[0] ?? ''} failed (${code === null ? 'killed' : `exit ${code}`}); full log: ${step.logFile}` +
      (tail ? `\n  last lines:\n${tail.replace(/^/gm, '  | ')}` : ''),
    { exitCode: 1 },
  );
}
