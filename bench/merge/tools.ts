// The merge tools under comparison, each as (case) -> { clean, text, ms }.
// git and mergiraf run as processes (their time includes the spawn); ours runs in-process.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mergeFileSync } from '../../core/merge/index.js';
import type { Case } from './scenarios.js';

export interface ToolResult {
  clean: boolean;
  text: string;
  ms: number;
}

export interface Tool {
  name: string;
  run: (c: Case) => ToolResult;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'dkmv-merge-bench-'));

/** Writes the three versions with the case's extension (mergiraf picks the language from it). */
function writeVersions(c: Case): { base: string; ours: string; theirs: string } {
  const dir = path.join(scratch, c.id);
  mkdirSync(dir, { recursive: true });
  const ext = path.extname(c.file);
  const files = {
    base: path.join(dir, `base${ext}`),
    ours: path.join(dir, `ours${ext}`),
    theirs: path.join(dir, `theirs${ext}`),
  };
  writeFileSync(files.base, c.base);
  writeFileSync(files.ours, c.ours);
  writeFileSync(files.theirs, c.theirs);
  return files;
}

export const gitMergeFile: Tool = {
  name: 'git merge-file',
  run(c) {
    const f = writeVersions(c);
    const start = performance.now();
    // Exit status: number of conflicts (0 = clean); stdout (-p) is the merged text.
    const r = spawnSync('git', ['merge-file', '-p', '--diff3', f.ours, f.base, f.theirs], { encoding: 'utf8' });
    const ms = performance.now() - start;
    if (r.status === null || r.status < 0) throw new Error(`git merge-file failed: ${r.stderr}`);
    return { clean: r.status === 0, text: r.stdout, ms };
  },
};

export const ours: Tool = {
  name: 'dkmv structural',
  run(c) {
    const start = performance.now();
    const r = mergeFileSync({ file: c.file, base: c.base, ours: c.ours, theirs: c.theirs });
    return { clean: r.clean, text: r.text, ms: performance.now() - start };
  },
};

export const mergiraf: Tool = {
  name: 'mergiraf',
  run(c) {
    const f = writeVersions(c);
    const out = path.join(path.dirname(f.base), `out${path.extname(c.file)}`);
    const start = performance.now();
    const r = spawnSync('mergiraf', ['merge', f.base, f.ours, f.theirs, '-p', c.file, '-o', out], { encoding: 'utf8' });
    const ms = performance.now() - start;
    const text = readFileSync(out, 'utf8');
    // mergiraf exits non-zero when conflicts remain; markers in the output say the same.
    return { clean: r.status === 0 && !/^<<<<<<< /m.test(text), text, ms };
  },
};

export function mergirafAvailable(): boolean {
  try {
    execFileSync('mergiraf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
