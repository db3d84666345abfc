// DKMV_OUTPUT_DIR with DKMV's meaning (the folder that contains runs/), through the compiled CLI:
// `dkmv runs` and `dkmv show` find DKMV's run folders there, and a folder in dkmv's old layout
// (run folders directly inside) is still read, with a one-line notice.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRunsDir } from '../../../core/config/runs-dir.js';
import { DKMV_RUN_ID, writeDkmvRun } from './dkmv-run-folder.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(ROOT, 'bin', 'dkmv.js');
const RUN_ID = DKMV_RUN_ID;
let root: string;

function dkmv(args: string[], outputDir: string): { code: number; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, DKMV_OUTPUT_DIR: outputDir, DKMV_STACK_PORT: '1', NO_COLOR: '1' };
  delete env.TEMPORAL_ADDRESS; // the local stack at port 1: nothing listens, the run folders alone answer
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: root, env, encoding: 'utf8' });
  return {
    code: r.status ?? 1,
    stdout: stripVTControlCharacters(r.stdout),
    stderr: stripVTControlCharacters(r.stderr),
  };
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-output-dir-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('DKMV_OUTPUT_DIR names the folder that contains runs/', () => {
  it('resolves <dir>/runs, and the old layout only when run folders sit directly inside', () => {
    const fresh = path.join(root, 'fresh');
    expect(resolveRunsDir(fresh)).toEqual({ dir: path.join(fresh, 'runs') });
    const old = path.join(root, 'old');
    writeDkmvRun(old);
    const legacy = resolveRunsDir(old);
    expect(legacy.dir).toBe(old);
    expect(legacy.notice).toContain(`move the run folders into ${path.join(old, 'runs')}/`);
    mkdirSync(path.join(old, 'runs'));
    expect(resolveRunsDir(old)).toEqual({ dir: path.join(old, 'runs') });
  });

  it('dkmv runs and dkmv show read a DKMV output folder; show of a finished DKMV run has no budget, no (so far)', () => {
    const out = path.join(root, 'dkmv-outputs');
    writeDkmvRun(path.join(out, 'runs'));
    const list = dkmv(['runs'], out);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(RUN_ID);
    expect(list.stderr).not.toContain('notice');
    const show = dkmv(['show', RUN_ID], out);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`${RUN_ID} +completed`));
    expect(show.stdout).toMatch(/cost +\$1\.25/);
    expect(show.stdout).not.toContain('budget');
    expect(show.stdout).not.toContain('so far');
  });

  it('a folder in the old layout is still read, with a one-line notice', () => {
    const old = path.join(root, 'legacy');
    writeDkmvRun(old);
    const show = dkmv(['show', RUN_ID], old);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(RUN_ID);
    const notices = show.stderr.split('\n').filter((l) => l.startsWith('notice:'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("holds run folders directly (dkmv's old layout)");
  });
});
