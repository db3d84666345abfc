import { beforeAll, describe, expect, it } from 'vitest';
import { initParsers, mergeFileSync } from '../../../core/merge/index.js';
import { diffLines, mergeLines, splitLines } from '../../../core/merge/lines.js';
import { mergeOrder } from '../../../core/merge/layout.js';
import { checkOwnership, ownerOf, touchedSymbols } from '../../../core/merge/ownership.js';
import { corpus } from '../../../bench/merge/scenarios.js';

beforeAll(async () => {
  await initParsers();
});

const merge = (file: string, base: string, ours: string, theirs: string) => mergeFileSync({ file, base, ours, theirs });

const fns = `export function alpha(x: number) {
  const a = x + 1;
  const b = a * 2;
  const c = b - 3;
  return c;
}

export function beta() {
  return 2;
}
`;

describe('renames', () => {
  it('carries the other side’s edit into a renamed function', () => {
    const ours = fns.replace('function alpha(', 'function alphaV2(');
    const theirs = fns.replace('return c;', 'return c * 10;');
    const r = merge('r.ts', fns, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(fns.replace('function alpha(', 'function alphaV2(').replace('return c;', 'return c * 10;'));
  });

  it('conflicts when both sides rename the same function differently', () => {
    const r = merge('r.ts', fns, fns.replace('alpha(', 'first('), fns.replace('alpha(', 'second('));
    expect(r.clean).toBe(false);
    expect(r.conflicts[0]?.kind).toBe('both-modified');
  });
});

describe('CommonJS', () => {
  const cjs = `const { readFile } = require('fs');\n\nfunction a() {}\n\nmodule.exports = { a };\n`;

  it('merges names added to a destructured require and to module.exports on both sides', () => {
    const ours = cjs
      .replace('{ readFile }', '{ readFile, stat }')
      .replace('module.exports = { a }', 'function b() {}\n\nmodule.exports = { a, b }');
    const theirs = cjs
      .replace('{ readFile }', '{ readFile, open }')
      .replace('module.exports = { a }', 'function c() {}\n\nmodule.exports = { a, c }');
    const r = merge('u.js', cjs, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(
      "const { readFile, stat, open } = require('fs');\n\nfunction a() {}\n\nfunction b() {}\n\nfunction c() {}\n\nmodule.exports = { a, b, c };\n",
    );
  });

  it('does not treat `key: value` exports as a set', () => {
    const base = 'module.exports = { a: 1 };\n';
    const r = merge('u.js', base, 'module.exports = { a: 2 };\n', 'module.exports = { a: 3 };\n');
    expect(r.clean).toBe(false);
  });

  it('merges a destructuring from a call both sides added names to as a set, once', () => {
    const base = 'const { a } = load();\n';
    const r = merge('u.js', base, 'const { a, b } = load();\n', 'const { a, c } = load();\n');
    expect(r.clean).toBe(true);
    expect(r.text).toBe('const { a, b, c } = load();\n');
  });
});

describe('line merge', () => {
  it('diffs lines so that applying the hunks rebuilds the side', () => {
    const base = splitLines('a\nb\nc\nd\ne\nf\n');
    const side = splitLines('a\nx\nc\nd\ny\nz\nf\ng\n');
    const rebuilt: string[] = [];
    let cursor = 0;
    for (const h of diffLines(base, side)) {
      rebuilt.push(...base.slice(cursor, h.baseStart), ...side.slice(h.sideStart, h.sideEnd));
      cursor = h.baseEnd;
    }
    rebuilt.push(...base.slice(cursor));
    expect(rebuilt.join('')).toBe(side.join(''));
  });

  it('conflicts on adjacent edits like git does, and merges separated ones', () => {
    expect(mergeLines('a\nb\nc\n', 'A\nb\nc\n', 'a\nB\nc\n').conflicts).toBe(1);
    expect(mergeLines('a\nb\nc\n', 'A\nb\nc\n', 'a\nb\nC\n')).toEqual({ text: 'A\nb\nC\n', conflicts: 0 });
  });

  it('writes diff3 markers with the base section', () => {
    expect(mergeLines('a\n', 'b\n', 'c\n').text).toBe('<<<<<<< ours\nb\n||||||| base\na\n=======\nc\n>>>>>>> theirs\n');
  });
});

describe('layout', () => {
  it('follows theirs when only theirs reordered, keeping ours additions after their anchor', () => {
    const keep = new Set(['a', 'b', 'c', 'x']);
    expect(mergeOrder(['a', 'b', 'c'], ['a', 'b', 'c', 'x'], ['c', 'a', 'b'], keep)).toEqual(['c', 'x', 'a', 'b']);
  });
});

describe('ownership', () => {
  const owners = { 'src/a.ts:alpha': 'g1', 'src/a.ts:Store': 'g2', 'src/lib/': 'g3', 'src/b.py': 'g4' };

  it('resolves the most specific owner', () => {
    expect(ownerOf(owners, 'src/a.ts', 'alpha')).toBe('g1');
    expect(ownerOf(owners, 'src/a.ts', 'Store.get')).toBe('g2');
    expect(ownerOf(owners, 'src/lib/x.ts', 'anything')).toBe('g3');
    expect(ownerOf(owners, 'src/b.py', 'f')).toBe('g4');
    expect(ownerOf(owners, 'src/a.ts', 'beta')).toBeNull();
  });

  it('reports touched class members by their qualified name', async () => {
    const base = 'export class Store {\n  get() {\n    return 1;\n  }\n\n  put() {\n    return 2;\n  }\n}\n';
    const head = base.replace('return 2;', 'return 3;');
    expect(await touchedSymbols([{ file: 'src/a.ts', base, head }])).toEqual([
      { file: 'src/a.ts', symbol: 'Store.put', kind: 'symbol', change: 'modified', lines: [6, 8], commentOnly: false },
    ]);
  });

  it('gives each change its lines and says when it only touches comments', async () => {
    const base = '// Widgets.\n\nexport function el() {\n  return 1;\n}\n';
    const head = `// Widgets: one per unit.\n\nexport function el() {\n  return 1;\n}\n\nconst STEP = 1;\n`;
    expect(await touchedSymbols([{ file: 'w.js', base, head }])).toEqual([
      { file: 'w.js', symbol: '(top-level code)', kind: 'gap', change: 'modified', lines: [1, 1], commentOnly: true },
      { file: 'w.js', symbol: 'STEP', kind: 'symbol', change: 'added', lines: [7, 7], commentOnly: false },
    ]);
  });

  it('lists added, modified and deleted symbols outside the owner’s share, skipping imports', async () => {
    const head = `import { x } from 'x';\n\n${fns.replace('return 2;', 'return 3;').replace('export function alpha', 'function gamma() {}\n\nexport function alpha')}`;
    const violations = await checkOwnership('g1', owners, [
      { file: 'src/a.ts', base: fns, head },
      { file: 'src/b.py', base: 'x = 1\n', head: undefined },
      { file: 'README.md', base: undefined, head: 'hi\n' },
    ]);
    expect(violations).toMatchObject([
      { file: 'src/a.ts', symbol: 'gamma', kind: 'symbol', change: 'added', owner: null },
      { file: 'src/a.ts', symbol: 'beta', kind: 'symbol', change: 'modified', owner: null },
      { file: 'src/b.py', symbol: 'x', kind: 'symbol', change: 'deleted', owner: 'g4' },
      { file: 'README.md', symbol: '(file)', kind: 'file', change: 'added', owner: null },
    ]);
    const lenient = await checkOwnership('g1', owners, [{ file: 'src/a.ts', base: fns, head }], { allowUnowned: true });
    expect(lenient).toEqual([]);
  });
});

describe('benchmark corpus as a regression test', () => {
  it('has at least 200 cases, merges none wrongly and conflicts only on real conflicts', () => {
    const cases = corpus();
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const normalize = (t: string) =>
      t
        .replace(/[ \t]+$/gm, '')
        .replace(/\n{3,}/g, '\n\n')
        .trimEnd();
    const wrong: string[] = [];
    const needless: string[] = [];
    for (const c of cases) {
      const r = merge(c.file, c.base, c.ours, c.theirs);
      if (!r.clean) {
        if (c.expected !== null) needless.push(c.id);
        continue;
      }
      const ok = c.expected !== null && [c.expected, ...c.alternatives].some((e) => normalize(e) === normalize(r.text));
      if (!ok) wrong.push(c.id);
    }
    expect(wrong).toEqual([]);
    expect(needless).toEqual([]);
  });
});
