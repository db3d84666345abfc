// The compiled CLI (bin/dkmv.js) run as a user runs it, against a test worker's task queue on the
// project's dev server, with its own run-records folder: what the harness e2e files drive.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { inject } from 'vitest';
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

export function runDkmv(args: string[], target: CliTarget): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(DKMV_HOME, 'bin', 'dkmv.js'), ...args],
      {
        cwd: DKMV_HOME,
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          DKMV_TASK_QUEUE: target.taskQueue,
          DKMV_OUTPUT_DIR: target.outputDir,
          NO_COLOR: '1',
        },
        maxBuffer: 16 * 1024 * 1024,
        timeout: target.timeoutMs,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}\n${stderr}`, stdout }),
    );
  });
}

/** The compiled CLI in `cwd` with exactly `env`: exit code, stdout, and stderr without colour codes. */
export function spawnDkmv(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(DKMV_HOME, 'bin', 'dkmv.js'), ...args], {
      ...options,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr: stripVTControlCharacters(stderr) }));
  });
}
