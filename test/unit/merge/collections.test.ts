import { beforeAll, describe, expect, it } from 'vitest';
import { acceptMerge } from '../../../core/merge/acceptance.js';
import { initParsers, mergeFileSync } from '../../../core/merge/index.js';
import { parseTree } from '../../../core/merge/parser.js';
import { segmentFile } from '../../../core/merge/segment.js';
import { rangeTree } from '../../../core/merge/tree.js';

beforeAll(async () => {
  await initParsers();
});

const merge = (file: string, base: string, ours: string, theirs: string) => mergeFileSync({ file, base, ours, theirs });

describe('element lists take their layout from one side', () => {
  it('adds a name to a parenthesised Python import that the other side rewrote on one line', () => {
    const base = 'from x import (\n    a,\n    b,\n)\n';
    const r = merge('m.py', base, 'from x import (\n    a,\n    b,\n    c,\n)\n', 'from x import a, b\n');
    expect(r.clean).toBe(true);
    expect(r.text).toBe('from x import a, b, c\n');
  });

  it('conflicts when both sides changed the layout differently', () => {
    const base = 'from x import a, b\n';
    const r = merge('m.py', base, 'from x import (\n    a,\n    b,\n    c,\n)\n', 'from x import a, b, d  # noqa\n');
    expect(r.clean).toBe(false);
  });
});

describe('collections inside one symbol merge as sets', () => {
  const cases: [string, string, string, string, string, string][] = [
    [
      'object keys',
      'a.ts',
      'const o = {\n  a: 1,\n};\n',
      'const o = {\n  a: 1,\n  b: 2,\n};\n',
      'const o = {\n  a: 1,\n  c: 3,\n};\n',
      'const o = {\n  a: 1,\n  b: 2,\n  c: 3,\n};\n',
    ],
    ['enum members', 'a.ts', 'enum E { A }\n', 'enum E { A, B }\n', 'enum E { A, C }\n', 'enum E { A, B, C }\n'],
    [
      'union members',
      'a.ts',
      "type U = 'a';\n",
      "type U = 'a' | 'b';\n",
      "type U = 'a' | 'c';\n",
      "type U = 'a' | 'b' | 'c';\n",
    ],
    [
      'object type members',
      'a.ts',
      'type T = { a: 1 };\n',
      'type T = { a: 1; b: 2 };\n',
      'type T = { a: 1; c: 3 };\n',
      'type T = { a: 1; b: 2; c: 3 };\n',
    ],
    ['Python set', 'a.py', 'S = {1}\n', 'S = {1, 2}\n', 'S = {1, 3}\n', 'S = {1, 2, 3}\n'],
    [
      '__all__',
      'a.py',
      "__all__ = ['a']\n",
      "__all__ = ['a', 'b']\n",
      "__all__ = ['a', 'c']\n",
      "__all__ = ['a', 'b', 'c']\n",
    ],
    [
      'Python keyword arguments',
      'a.py',
      'f(1, a=2)\n',
      'f(1, a=2, b=3)\n',
      'f(1, a=2, c=4)\n',
      'f(1, a=2, b=3, c=4)\n',
    ],
    [
      'destructuring from a call',
      'a.js',
      'const { a } = use();\n',
      'const { a, b } = use();\n',
      'const { a, c } = use();\n',
      'const { a, b, c } = use();\n',
    ],
    [
      'JSX attributes',
      'a.tsx',
      'const x = <div a="1" />;\n',
      'const x = <div a="1" b="2" />;\n',
      'const x = <div a="1" c="3" />;\n',
      'const x = <div a="1" b="2" c="3" />;\n',
    ],
    [
      'CSS declarations',
      'a.css',
      '.a { color: red; }\n',
      '.a { color: red; margin: 0; }\n',
      '.a { color: red; padding: 0; }\n',
      '.a { color: red; margin: 0; padding: 0; }\n',
    ],
    [
      'Rust struct fields',
      'a.rs',
      'struct S { a: u8 }\n',
      'struct S { a: u8, b: u8 }\n',
      'struct S { a: u8, c: u8 }\n',
      'struct S { a: u8, b: u8, c: u8 }\n',
    ],
  ];
  for (const [what, file, base, ours, theirs, expected] of cases) {
    it(`merges ${what} both sides added to`, () => {
      const r = merge(file, base, ours, theirs);
      expect(r.clean).toBe(true);
      expect(r.text).toBe(expected);
    });
  }

  it('conflicts on one key changed differently, and on a key deleted by one side and changed by the other', () => {
    expect(
      merge('a.ts', 'const o = { a: 1, b: 2 };\n', 'const o = { a: 2, b: 2 };\n', 'const o = { a: 3, b: 2 };\n').clean,
    ).toBe(false);
    expect(
      merge('a.ts', 'const o = { a: 1, b: 2 };\n', 'const o = { b: 2 };\n', 'const o = { a: 3, b: 2 };\n').clean,
    ).toBe(false);
  });

  it('merges a key changed on one side with a key added on the other on the same line', () => {
    const r = merge(
      'a.ts',
      'const o = { a: 1, b: 2 };\n',
      'const o = { a: 9, b: 2 };\n',
      'const o = { a: 1, b: 2, c: 3 };\n',
    );
    expect(r.text).toBe('const o = { a: 9, b: 2, c: 3 };\n');
  });

  it('keeps an object with a spread in order: additions on both sides conflict', () => {
    const r = merge(
      'a.ts',
      'const o = { ...p, a: 1 };\n',
      'const o = { ...p, a: 1, b: 2 };\n',
      'const o = { ...p, a: 1, c: 3 };\n',
    );
    expect(r.clean).toBe(false);
  });
});

describe('ordered collections', () => {
  it('conflicts when both sides add an argument at the same position', () => {
    const r = merge('a.ts', 'f(a, b);\n', 'f(a, b, c);\n', 'f(a, b, d);\n');
    expect(r.clean).toBe(false);
  });

  it('merges edits to different arguments', () => {
    const r = merge('a.ts', 'f(a, b);\n', 'f(x, b);\n', 'f(a, y);\n');
    expect(r.text).toBe('f(x, y);\n');
  });

  it('merges array insertions at different ends and conflicts on touching ones', () => {
    expect(merge('a.js', 'const s = [1, 2, 3];\n', 'const s = [0, 1, 2, 3];\n', 'const s = [1, 2, 3, 4];\n').text).toBe(
      'const s = [0, 1, 2, 3, 4];\n',
    );
    expect(merge('a.js', 'const s = [1, 2];\n', 'const s = [1, 2, 3];\n', 'const s = [1, 2, 4];\n').clean).toBe(false);
  });
});

describe('Python attribute docstrings', () => {
  it('stay under their attribute when both sides add attributes', () => {
    const base = 'class C:\n    a = 1\n    """About a."""\n';
    const r = merge('c.py', base, `${base}    b = 2\n    """About b."""\n`, `${base}    c = 3\n    """About c."""\n`);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(`${base}    b = 2\n    """About b."""\n    c = 3\n    """About c."""\n`);
  });
});

describe('acceptance check', () => {
  const sides = (texts: [string, string, string]) => {
    const entries = texts.map((t) => segmentFile(t, 'typescript'));
    const roots = texts.map((t) => parseTree(t, 'typescript'));
    const trees = (side: 0 | 1 | 2, e: { start: number; text: string }) => {
      const root = roots[side];
      return root && rangeTree(root, e.start, e.start + e.text.length);
    };
    return { entries: entries as [never, never, never], trees };
  };
  const base = 'export function a() {}\n';
  const ours = 'export function a() {}\nexport function b() {}\n';
  const theirs = 'export function a() {}\nexport function c() {}\n';

  it('accepts the merge the three-way rule asks for', () => {
    const { entries, trees } = sides([base, ours, theirs]);
    expect(acceptMerge(`${ours}export function c() {}\n`, 'typescript', entries, trees)).toBe('accepted');
  });

  it('rejects a merge that parses but lost a symbol, or has a MISSING node', () => {
    const { entries, trees } = sides([base, ours, theirs]);
    expect(acceptMerge(ours, 'typescript', entries, trees)).toBe('rejected');
    expect(acceptMerge(`${ours}export function c( {}\n`, 'typescript', entries, trees)).toBe('unparsable');
  });

  it('rejects a merge whose object lost an element one side added', () => {
    const b = 'export const o = { a: 1 };\n';
    const { entries, trees } = sides([b, 'export const o = { a: 1, b: 2 };\n', 'export const o = { a: 1, c: 3 };\n']);
    expect(acceptMerge('export const o = { a: 1, b: 2, c: 3 };\n', 'typescript', entries, trees)).toBe('accepted');
    expect(acceptMerge('export const o = { a: 1, c: 3 };\n', 'typescript', entries, trees)).toBe('rejected');
  });
});

describe('comments inside collections', () => {
  it('a comment above an element travels with it', () => {
    const base = 'const o = {\n  a: 1,\n  // about b\n  b: 2,\n};\n';
    const ours = base.replace('b: 2,\n', 'b: 2,\n  // about c\n  c: 3,\n');
    const theirs = base.replace('b: 2,\n', 'b: 2,\n  d: 4,\n');
    const r = merge('a.ts', base, ours, theirs);
    expect(r.text).toBe('const o = {\n  a: 1,\n  // about b\n  b: 2,\n  // about c\n  c: 3,\n  d: 4,\n};\n');
  });

  it('a comment after an element makes the layout irregular: conflict, not a guess', () => {
    const base = 'const o = {\n  a: 1, // x\n  b: 2,\n};\n';
    const r = merge(
      'a.ts',
      base,
      base.replace('b: 2,\n', 'b: 2,\n  c: 3,\n'),
      base.replace('b: 2,\n', 'b: 2,\n  d: 3,\n'),
    );
    expect(r.clean).toBe(false);
  });
});
