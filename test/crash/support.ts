// Building blocks of the crash matrix: a model script with one session per row (so the mock's
// request log says how often each row's agent was started), worker processes that can be SIGKILLed,
// and waits on the mock log, files and workflow state.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { DKMV_HOME } from '../../core/project.js';
import type { Mock } from '../support/e2e.js';
export { TurnGate } from '../support/turn-gate.js';

export const CRASHY = path.join(DKMV_HOME, 'test/crash/fixtures/crashy');

export interface RowScript {
  /** The second turn first fails with these statuses, in order, then answers. */
  errors?: number[];
}

/** Index of a row's second turn (after the first wrote src/work.txt): tests hold it to act mid-run. */
export const MID_TURN = 1;
/** Index of a row's last turn (bash, write, then this text turn): the agent is still running. */
export const LAST_TURN = 2;

/** One session per row: write a file of the repo, then the required output, then stop. */
export function writeScript(dir: string, rows: Record<string, RowScript>): string {
  const sessions = Object.entries(rows).map(([row, opts]) => {
    const second: object[] = [{ write: { path: '.agent/done.json', content: '{"ok": true}' } }];
    const turns: unknown[] = [{ bash: `mkdir -p src && echo ${row} > src/work.txt` }, second];
    // Each scripted failure once, in order, before the turn's answer.
    second.unshift(...(opts.errors ?? []).map((status) => ({ error: status, times: 1 })));
    turns.push({ text: 'Done.' });
    return { match: `CRASH-ROW ${row}:`, turns };
  });
  const file = path.join(dir, 'crash-script.yaml');
  writeFileSync(file, stringify({ sessions }));
  return file;
}

/** Index of a row's session in the script (rows keep their insertion order). */
export function sessionOf(rows: Record<string, RowScript>, row: string): number {
  return Object.keys(rows).indexOf(row);
}

/** How many times the agent of a session was started: requests that hold no assistant turn yet. */
export function agentStarts(mock: Mock, session: number): number {
  return mock.requests().filter((r) => r.session === session && r.turn === 0 && r.served === 'turn').length;
}

export function sawTurn(mock: Mock, session: number, turn: number): boolean {
  return mock.requests().some((r) => r.session === session && r.turn === turn);
}

/** Deadlines are generous: on a loaded machine a run's first model request can take minutes. */
export async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 400_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve(probe()).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function waitForFile(file: string, timeoutMs?: number): Promise<void> {
  return waitUntil(`${path.basename(file)}`, () => existsSync(file), timeoutMs);
}

/** A `dkmv worker` process (the compiled CLI, as users run it); its output goes to `logFile`. */
export function spawnWorker(env: Record<string, string>, logFile?: string): ChildProcess {
  const out = logFile ? openSync(logFile, 'a') : 'ignore';
  const child = spawn(process.execPath, [path.join(DKMV_HOME, 'bin/dkmv.js'), 'worker'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  if (typeof out === 'number') closeSync(out);
  return child;
}

export async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  for (const w of workers) {
    if (w.exitCode !== null || w.signalCode !== null) continue;
    w.kill('SIGTERM');
    await new Promise((r) => w.once('exit', r));
  }
}

export function containersOf(runId: string): string[] {
  return execFileSync('docker', ['ps', '-aq', '--filter', `label=dkmv.run_id=${runId}`], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean);
}

/** The message a failed run closed with (the workflow's ApplicationFailure). */
export function failureOf(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause;
  return cause?.message ?? (err as Error).message;
}
