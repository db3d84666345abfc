// One plain git process for the per-task hot path (add, commit, rev-parse). simple-git waits an
// extra 50 ms after any command that prints nothing (a `git add` with nothing new), and every task
// commits: here the call ends when git exits. Same environment as simple-git calls (gitEnv).
import { execFile } from 'node:child_process';
import { gitEnv } from './git-env.js';

export interface GitOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `git <args>` in `dir`; resolves with its exit code and output (never rejects on a non-zero exit). */
export function runGit(dir: string, args: string[], timeoutMs = 300_000): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd: dir, env: gitEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err); // not started, killed by the timeout
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Like runGit, but a non-zero exit is an error carrying git's own message. */
export async function git0(dir: string, args: string[]): Promise<string> {
  const out = await runGit(dir, args);
  if (out.code !== 0) throw new Error(`git ${args[0]} failed: ${(out.stderr || out.stdout).trim()}`);
  return out.stdout;
}
