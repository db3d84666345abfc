// Re-indented code edited on the other side: the edit is replayed inside the new indentation.
import { beforeAll, describe, expect, it } from 'vitest';
import { initParsers, mergeFileSync } from '../../../core/merge/index.js';

beforeAll(async () => {
  await initParsers();
});

const merge = (file: string, base: string, ours: string, theirs: string) => mergeFileSync({ file, base, ours, theirs });

const body = (indent: string, n: number, extra = '') =>
  `${indent}const b = a + ${n};\n${indent}log(b);\n${extra}${indent}return b;\n`;
const fn = (inner: string) => `export function f(a: number) {\n${inner}}\n`;
const wrapped = (inner: string) => fn(`  if (a > 0) {\n${inner}  }\n  return 0;\n`);

describe('re-indented and edited', () => {
  it('code wrapped in a block on one side takes the other side’s edits along', () => {
    const base = fn(body('  ', 1));
    const ours = wrapped(body('    ', 1));
    const theirs = fn(body('  ', 2, '  log(a);\n'));
    const want = wrapped(body('    ', 2, '    log(a);\n'));
    expect(merge('f.ts', base, ours, theirs).text).toBe(want);
    expect(merge('f.ts', base, theirs, ours).text).toBe(want);
  });

  it('a Python body moved into a `with` block, edited on the other side', () => {
    const base = 'def f(p):\n    data = read(p)\n    return parse(data)\n';
    const ours = 'def f(p):\n    with lock:\n        data = read(p)\n        return parse(data)\n';
    const theirs = base.replace('parse(data)', 'parse(data, strict=True)');
    expect(merge('f.py', base, ours, theirs).text).toBe(ours.replace('parse(data)', 'parse(data, strict=True)'));
  });

  it('an edit on the very line the re-indenting side also changed is a conflict', () => {
    const base = fn(body('  ', 1));
    const ours = wrapped(body('    ', 1).replace('log(b)', 'trace(b)'));
    const theirs = fn(body('  ', 1).replace('log(b)', 'debug(b)'));
    expect(merge('f.ts', base, ours, theirs).kind).toBe('conflict');
  });
});
