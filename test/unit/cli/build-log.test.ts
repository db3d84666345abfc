// Image builds show one progress line each; the full output goes to a log file whose path (and last
// lines) a failure shows. Both the TypeScript builder (cli/build/build-log.ts) and the shell one
// (scripts/lib/progress.sh, used by scripts/setup and images/temporal/build-images.sh).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLogPath, runLogged } from '../../../cli/build/build-log.js';
import { isUserError } from '../../../core/errors.js';
import { DKMV_HOME } from '../../../core/project.js';

let cache: string;
let savedCache: string | undefined;
beforeEach(() => {
  cache = mkdtempSync(path.join(os.tmpdir(), 'dkmv-build-log-'));
  savedCache = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = cache;
});
afterEach(() => {
  if (savedCache === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedCache;
  rmSync(cache, { recursive: true, force: true });
});

describe('runLogged', () => {
  it('names the log after the image and keeps it under the cache folder', () => {
    expect(buildLogPath('dkmv-sandbox:0123abcd')).toBe(path.join(cache, 'dkmv', 'logs', 'dkmv-sandbox-0123abcd.log'));
  });

  it('prints one line for a build and puts its whole output in the log', async () => {
    const lines: string[] = [];
    const logFile = buildLogPath('img:ok');
    await runLogged({
      label: 'building image img:ok',
      cmd: 'bash',
      args: ['-c', 'for i in $(seq 1 500); do echo "step $i"; done; echo warn >&2'],
      logFile,
      log: (l) => lines.push(l),
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^building image img:ok … done in \d+ s$/);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('step 1\n');
    expect(log).toContain('step 500\n');
    expect(log).toContain('warn');
  });

  it('on failure names the log file and shows its last lines', async () => {
    const lines: string[] = [];
    const logFile = buildLogPath('img:bad');
    const err: unknown = await runLogged({
      label: 'building image img:bad',
      cmd: 'bash',
      args: ['-c', 'for i in $(seq 1 100); do echo "line $i"; done; echo "E: the real reason" >&2; exit 3'],
      logFile,
      log: (l) => lines.push(l),
    }).catch((e: unknown) => e);
    expect(lines).toEqual([expect.stringMatching(/^building image img:bad … failed after \d+ s$/)]);
    expect(isUserError(err)).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain('exit 3');
    expect(message).toContain(`full log: ${logFile}`);
    expect(message).toContain('  | E: the real reason');
    expect(message).toContain('  | line 100');
    expect(message).not.toContain('line 50\n'); // only the tail
  });
});

describe('scripts/lib/progress.sh logged', () => {
  function runBash(script: string): { status: number; stdout: string; stderr: string } {
    const res = spawnSync('bash', ['-c', `set -euo pipefail; . ${DKMV_HOME}/scripts/lib/progress.sh\n${script}`], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: cache },
    });
    return { status: res.status ?? 1, stdout: res.stdout, stderr: res.stderr };
  }

  it('prints one line per step, with the output in ~/.cache/dkmv/logs/<name>.log', () => {
    const res = runBash(`PROGRESS_PREFIX='setup: '; logged 'building image x' img-x bash -c 'seq 1 300'; echo after`);
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/^setup: building image x … done in \d+ s\n$/);
    expect(res.stdout).toBe('after\n');
    expect(readFileSync(path.join(cache, 'dkmv', 'logs', 'img-x.log'), 'utf8')).toContain('\n300\n');
  });

  it('stops a multi-command step at its first failure (set -e holds inside) and shows the log', () => {
    const res = runBash(
      `step() { echo "first"; false; echo "NOT REACHED"; }\nlogged 'building y' img-y step\necho after`,
    );
    expect(res.status).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/building y … failed after \d+ s \(exit 1\)/);
    expect(res.stderr).toContain(`full log: ${path.join(cache, 'dkmv', 'logs', 'img-y.log')}`);
    expect(res.stderr).toContain('  | first');
    expect(res.stderr).not.toContain('NOT REACHED');
  });
});
