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

// Started by the launcher: a fork of the test worker (a Temporal worker inside) costs far more CPU.
export async function runDkmv(args: string[], target: CliTarget): Promise<CliResult> {
  const result = await runProcess(process.execPath, [BIN, ...args], {
    cwd: DKMV_HOME,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DKMV_TASK_QUEUE: target.taskQueue,
      DKMV_OUTPUT_DIR: target.outputDir,
      NO_COLOR: '1',
    },
    timeoutMs: target.timeoutMs,
  });
  const stdout = result.stdout.toString('utf8');
  return { code: result.code ?? 1, out: `${stdout}\n${result.stderr.toString('utf8')}`, stdout };
}

/** The compiled CLI in `cwd` with exactly `env`: exit code, stdout, and stderr without colour codes. */
export async function spawnDkmv(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await runProcess(process.execPath, [BIN, ...args], options);
  return {
    code: result.code ?? -1,
    stdout: result.stdout.toString('utf8'),
    stderr: stripVTControlCharacters(result.stderr.toString('utf8')),
  };
}
