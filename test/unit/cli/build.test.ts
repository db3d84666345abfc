// The compiled CLI is never stale: dist/ is rebuilt when a source changes, appears or goes away,
// and left alone (a cheap check) when nothing changed.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLED_COMMANDS, ensureBuilt, isUpToDate } from '../../../scripts/build.js';
import { COMMAND_MODULES } from '../../../cli/commands/index.js';

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

  it('bundles the CLI program with its imports into dist/bundle/, and keeps it as the sources change', async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-build-'));
    mkdirSync(path.join(root, 'cli'), { recursive: true });
    mkdirSync(path.join(root, 'core'), { recursive: true });
    writeFileSync(
      path.join(root, 'cli', 'program.ts'),
      "import { b } from '../core/b.js';\nexport async function main(): Promise<number> {\n  const { c } = await import('../core/c.js');\n  return b + c;\n}\n",
    );
    writeFileSync(path.join(root, 'core', 'b.ts'), 'export const b: number = 40;\n');
    writeFileSync(path.join(root, 'core', 'c.ts'), 'export const c: number = 2;\n');
    expect(ensureBuilt(root)).toBe(true);
    const bundled = path.join(root, 'dist', 'bundle', 'program.js');
    expect(readFileSync(bundled, 'utf8')).not.toContain('../core/b.js'); // b is inside the bundle
    const { main } = (await import(bundled)) as { main: () => Promise<number> };
    expect(await main()).toBe(42);
    writeFileSync(path.join(root, 'core', 'b.ts'), 'export const b: number = 41;\n');
    utimesSync(path.join(root, 'core', 'b.ts'), new Date(), new Date(Date.now() + 5000));
    expect(ensureBuilt(root)).toBe(true);
    expect(readFileSync(bundled, 'utf8')).toContain('41'); // rebuilt, not dropped as an orphan
  });

  it('starts only registered, Temporal-client commands from the bundle (never one that runs a worker in its own process)', () => {
    const registered = COMMAND_MODULES.flatMap((m) => m.commands);
    expect(BUNDLED_COMMANDS.filter((c) => !registered.includes(c))).toEqual([]);
    for (const inProcess of ['worker', 'up', 'down', 'status', 'build', 'init', 'mock-model'])
      expect(BUNDLED_COMMANDS).not.toContain(inProcess);
  });
});
