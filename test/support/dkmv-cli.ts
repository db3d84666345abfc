// The compiled CLI (bin/dkmv.js) run as a user runs it, against a test worker's task queue on the
// project's dev server, with its own run-records folder: what the harness e2e files drive.
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { inject } from 'vitest';
import { runProcess } from '../../activities/process/launcher.js';
import { DKMV_HOME } from '../../core/project.js';

export interface CliResult {
  code: number;
  /** stdout and stderr together. */
  out: string;
  stdout: string;
}

export interface CliTarget {
  taskQueue: string;
  outputDir: string;
  timeoutMs: number;
}

const BIN = path.join(DKMV_HOME, 'bin', 'dkmv.js');

/** `dkmv args` against `target` (its queue, run folder and the project's dev server), from DKMV_HOME. */
export async function runDkmv(args: string[], target: CliTarget): Promise<CliResult> {
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    DKMV_TASK_QUEUE: target.taskQueue,
    DKMV_OUTPUT_DIR: target.outputDir,
    NO_COLOR: '1',
  };
  const { code, stdout, stderr } = await spawnDkmv(args, { cwd: DKMV_HOME, env, timeoutMs: target.timeoutMs });
  return { code, out: `${stdout}\n${stderr}`, stdout };
}

export interface DkmvOutput {
  code: number;
  stdout: string;
  /** Without colour codes. */
  stderr: string;
  /** stdout and stderr together, as they arrived. */
  out: string;
}

/**
 * The compiled CLI in `cwd` with exactly `env`; rejects (with what it printed) when it runs past
 * `timeoutMs`. Started by the launcher: a fork of the test worker (a Temporal worker inside)
 * costs far more CPU. Every e2e file's own `cli()` is this with its folder and environment.
 */
export async function spawnDkmv(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<DkmvOutput> {
  const { cwd, env, timeoutMs = 300_000 } = options;
  const arrived: Buffer[] = [];
  const result = await runProcess(process.execPath, [BIN, ...args], {
    cwd,
    env,
    timeoutMs,
    onOutput: (_stream, chunk) => arrived.push(chunk),
  });
  const stdout = result.stdout.toString('utf8');
  const stderr = stripVTControlCharacters(result.stderr.toString('utf8'));
  if (result.killedBy) {
    throw new Error(
      `dkmv ${args.join(' ')} timed out after ${timeoutMs / 1000} s\nstdout: ${stdout}\nstderr: ${stderr}`,
    );
  }
  return { code: result.code ?? -1, stdout, stderr, out: Buffer.concat(arrived).toString('utf8') };
}
