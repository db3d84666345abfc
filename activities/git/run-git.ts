// Plain processes for the per-task hot path (the commit and the push). simple-git waits an extra
// 50 ms after any command that prints nothing (a `git add` with nothing new), and every task
// commits and pushes: here a call ends when the process exits. Same environment as the simple-git
// calls (gitEnv).
import { execFile, spawn } from 'node:child_process';
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

/** One `git push`, killed after `silenceMs` without any output (pushBranch retries it). */
export function pushOnce(dir: string, branch: string, token: string | undefined, silenceMs: number): Promise<void> {
  const args = ['push', '--progress', '-u', 'origin', `HEAD:refs/heads/${branch}`];
  // Its own process group, so a stuck push is killed with the transport processes it started.
  const child = spawn('git', args, { cwd: dir, env: gitEnv(token), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  let silent = false;
  let timer = setTimeout(onSilence, silenceMs);
  function onSilence(): void {
    silent = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL'); // the group is already gone
    }
  }
  const progress = (chunk: Buffer): void => {
    clearTimeout(timer);
    timer = setTimeout(onSilence, silenceMs);
    stderr = (stderr + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout.on('data', progress);
  child.stderr.on('data', progress);
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const why = silent ? `no progress for ${Math.round(silenceMs / 1000)} s` : `exit code ${code}`;
      reject(new Error(`git push failed (${why}):\n${stderr.trim()}`)); // git's lines start lines (see gitError)
    });
  });
}
