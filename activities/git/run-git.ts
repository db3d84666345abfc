// Plain processes for the per-task hot path (the commit and the push): a call ends when its process
// exits. Same environment as GitRepo's calls (gitEnv); started by the launcher, like every git.
import { runProcess } from '../process/launcher.js';
import { gitEnv } from './git-env.js';

export interface ProcessOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command args` in `dir` with git's environment (+ `env`); never rejects on a non-zero exit.
 * Rejects when the command cannot start or runs past `timeoutMs`.
 */
export async function runInRepo(
  dir: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 300_000,
): Promise<ProcessOutput> {
  const result = await runProcess(command, args, { cwd: dir, env: { ...gitEnv(), ...env }, timeoutMs });
  if (result.killedBy) throw new Error(`${command} ran longer than ${Math.round(timeoutMs / 1000)} s: killed`);
  return {
    code: result.code ?? 1,
    stdout: result.stdout.toString('utf8'),
    stderr: result.stderr.toString('utf8'),
  };
}

/** One `git push`, killed after `silenceMs` without any output (pushBranch retries it). */
export async function pushOnce(
  dir: string,
  branch: string,
  token: string | undefined,
  silenceMs: number,
): Promise<void> {
  const args = ['push', '--progress', '-u', 'origin', `HEAD:refs/heads/${branch}`];
  // Its own process group, so a stuck push is killed with the transport processes it started.
  const result = await runProcess('git', args, { cwd: dir, env: gitEnv(token), silenceMs, group: true });
  if (result.code === 0) return;
  const why = result.killedBy ? `no progress for ${Math.round(silenceMs / 1000)} s` : `exit code ${result.code}`;
  const stderr = result.stderr.toString('utf8').slice(-8000);
  throw new Error(`git push failed (${why}):\n${stderr.trim()}`); // git's lines start lines (see gitError)
}
