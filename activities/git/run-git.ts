// Plain processes for the per-task hot path (the commit). simple-git waits an extra 50 ms after
// any command that prints nothing (a `git add` with nothing new), and every task commits: here a
// call ends when the process exits. Same environment as the simple-git calls (gitEnv).
import { execFile } from 'node:child_process';
import { gitEnv } from './git-env.js';

export interface ProcessOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command args` in `dir` with git's environment (+ `env`); never rejects on a non-zero exit. */
export function runInRepo(
  dir: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 300_000,
): Promise<ProcessOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: dir, env: { ...gitEnv(), ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err); // not started, or killed by the timeout
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}
