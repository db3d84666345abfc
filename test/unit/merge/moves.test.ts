// Moved code: a symbol one side moved (to another parent or within its parent) and the other edited
// merges into its new place; moved to two different places, or moved and deleted, is a conflict.
import { beforeAll, describe, expect, it } from 'vitest';
import { initParsers, mergeFileSync } from '../../../core/merge/index.js';

beforeAll(async () => {
  await initParsers();
});

const merge = (file: string, base: string, ours: string, theirs: string) => mergeFileSync({ file, base, ours, theirs });

const helper = (indent: string, n: number) =>
  `${indent}fn helper(s: &S) -> i32 {\n${indent}    s.x + ${n}\n${indent}}\n`;
const impl = (inside: string) => `impl S {\n    pub fn new() -> S {\n        S { x: 0 }\n    }\n${inside}}\n`;
const struct = 'pub struct S {\n    x: i32,\n}\n';
const rustBase = `${struct}\n${helper('', 1)}\n${impl('')}\nfn other() {}\n`;
const movedIn = (n: number) => `${struct}\n${impl(`\n${helper('    ', n)}`)}\nfn other() {}\n`;

describe('moves between parents', () => {
  it('a Rust function moved into an impl takes the other side’s edit along', () => {
    const r = merge('s.rs', rustBase, movedIn(1), rustBase.replace('s.x + 1', 's.x + 2'));
    expect(r.kind).toBe('clean');
    expect(r.text).toBe(movedIn(2));
  });

  it('the same with the sides swapped', () => {
    const r = merge('s.rs', rustBase, rustBase.replace('s.x + 1', 's.x + 2'), movedIn(1));
    expect(r.text).toBe(movedIn(2));
  });

  it('a Python method moved out of its class to the top level, edited on the other side', () => {
    const base = `class K:\n    def a(self):\n        return 1\n\n    def b(self, x):\n        y = x + 1\n        return y\n\n\ndef main():\n    pass\n`;
    const ours = `class K:\n    def a(self):\n        return 1\n\n\ndef b(self, x):\n    y = x + 1\n    return y\n\n\ndef main():\n    pass\n`;
    const theirs = base.replace('return y', 'return y * 2');
    const r = merge('k.py', base, ours, theirs);
    expect(r.text).toBe(ours.replace('return y', 'return y * 2'));
  });

  it('moved to two different places is a conflict, with markers', () => {
    const other = `${struct}\n${impl('')}\nfn other() {}\n\nmod util {\n${helper('    ', 1)}}\n`;
    const r = merge('s.rs', rustBase, movedIn(1), other);
    expect(r.kind).toBe('conflict');
    expect(r.conflicts.map((c) => c.kind)).toContain('both-moved');
    expect(r.text).toContain('<<<<<<<');
  });

  it('moved on one side and deleted on the other is a conflict', () => {
    const deleted = `${struct}\n${impl('')}\nfn other() {}\n`;
    expect(merge('s.rs', rustBase, movedIn(1), deleted).kind).toBe('conflict');
  });
});

describe('moves within a parent', () => {
  it('a function moved below another on one side and edited on the other', () => {
    const f = (n: number) => `export function f() {\n  return ${n};\n}\n`;
    const g = 'export function g() {\n  return 0;\n}\n';
    const base = `${f(1)}\n${g}`;
    const r = merge('m.ts', base, `${g}\n${f(1)}`, `${f(2)}\n${g}`);
    expect(r.text).toBe(`${g}\n${f(2)}`);
  });
});
