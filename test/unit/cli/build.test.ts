// The compiled CLI is never stale: dist/ is rebuilt when a source changes, appears or goes away,
// and left alone (a cheap check) when nothing changed.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureBuilt, isUpToDate } from '../../../scripts/build.js';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('build (TypeScript → dist/)', () => {
  it('compiles once, skips when up to date, rebuilds on a change, drops JS whose source is gone', () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-build-'));
    mkdirSync(path.join(root, 'cli'), { recursive: true });
    mkdirSync(path.join(root, 'core'), { recursive: true });
    const a = path.join(root, 'cli', 'a.ts');
    const b = path.join(root, 'core', 'b.ts');
    writeFileSync(a, "import { b } from '../core/b.js';\nexport const a: number = b + 1;\n");
    writeFileSync(b, 'export const b: number = 1;\n');

    expect(isUpToDate(root)).toBe(false);
    expect(ensureBuilt(root)).toBe(true);
    const outA = path.join(root, 'dist', 'cli', 'a.js');
    expect(readFileSync(outA, 'utf8')).toContain('from "../core/b.js"');
    expect(readFileSync(outA, 'utf8')).not.toContain(': number');
    expect(ensureBuilt(root)).toBe(false);

    writeFileSync(a, 'export const a = 42;\n');
    utimesSync(a, new Date(), new Date(Date.now() + 5000)); // a different mtime even on coarse clocks
    expect(isUpToDate(root)).toBe(false);
    expect(ensureBuilt(root)).toBe(true);
    expect(readFileSync(outA, 'utf8')).toContain('42');

    rmSync(b);
    expect(ensureBuilt(root)).toBe(true);
    expect(existsSync(path.join(root, 'dist', 'core', 'b.js'))).toBe(false);
    expect(existsSync(path.join(root, 'dist', '.build-lock'))).toBe(false);
  });
});
