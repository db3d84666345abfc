// Lists inside one declaration: Java modifiers, annotations, implements and throws; Rust derives and
// trait bounds; TypeScript implements; decorators as an ordered run.
import { beforeAll, describe, expect, it } from 'vitest';
import { initParsers, mergeFileSync } from '../../../core/merge/index.js';

beforeAll(async () => {
  await initParsers();
});

const merge = (file: string, base: string, ours: string, theirs: string) => mergeFileSync({ file, base, ours, theirs });

const java = `package a;

public class Store implements Closeable {
    @Override
    public void close() throws IOException {
        flush();
    }
}
`;

describe('Java declaration lists', () => {
  it('implements, annotations, modifiers and throws grown on both sides all land', () => {
    const ours = java
      .replace('Closeable {', 'Closeable, Runnable {')
      .replace('    @Override\n', '    @Override\n    @Deprecated\n')
      .replace('IOException', 'IOException, SQLException');
    const theirs = java
      .replace('Closeable {', 'Closeable, Cloneable {')
      .replace('public void', 'public final void')
      .replace('IOException', 'IOException, TimeoutException');
    const r = merge('Store.java', java, ours, theirs);
    expect(r.kind).toBe('clean');
    expect(r.text).toBe(
      java
        .replace('Closeable {', 'Closeable, Runnable, Cloneable {')
        .replace('    @Override\n', '    @Override\n    @Deprecated\n')
        .replace('public void', 'public final void')
        .replace('IOException', 'IOException, SQLException, TimeoutException'),
    );
  });

  it('an annotation whose arguments both sides changed differently is a conflict', () => {
    const base = java.replace('@Override', '@Timeout(5)');
    const r = merge('Store.java', base, base.replace('(5)', '(6)'), base.replace('(5)', '(7)'));
    expect(r.kind).toBe('conflict');
  });

  it('an access level changed differently on both sides is a conflict, one change merges', () => {
    const r = merge(
      'Store.java',
      java,
      java.replace('public void', 'private void'),
      java.replace('public void', 'protected void'),
    );
    expect(r.kind).toBe('conflict');
    const one = merge(
      'Store.java',
      java,
      java.replace('public void', 'private void'),
      java.replace('public void', 'public static void'),
    );
    expect(one.text).toBe(java.replace('public void', 'private static void'));
  });

  it('a modifier one side removed stays removed while the other adds one', () => {
    const base = java.replace('public void', 'public synchronized void');
    const ours = base.replace('public synchronized void', 'public void');
    const theirs = base.replace('public synchronized void', 'public synchronized final void');
    const r = merge('Store.java', base, ours, theirs);
    expect(r.text).toBe(base.replace('public synchronized void', 'public final void'));
  });
});

describe('Rust declaration lists', () => {
  const rust = `#[derive(Debug)]\npub struct S<T: Clone> {\n    x: T,\n}\n\nfn g<T: Clone>(x: T) -> T {\n    x\n}\n`;

  it('derive lists and trait bounds merge as sets', () => {
    const ours = rust.replace('Debug)', 'Debug, Clone)').replace('fn g<T: Clone>', 'fn g<T: Clone + Send>');
    const theirs = rust.replace('Debug)', 'Debug, PartialEq)').replace('fn g<T: Clone>', 'fn g<T: Clone + Sync>');
    const r = merge('s.rs', rust, ours, theirs);
    expect(r.text).toBe(
      rust.replace('Debug)', 'Debug, Clone, PartialEq)').replace('fn g<T: Clone>', 'fn g<T: Clone + Send + Sync>'),
    );
  });

  it('a nested use tree both sides grew merges inside the branch, not as two branches', () => {
    const base = 'use std::{fs, io::{Read}};\n\nfn main() {}\n';
    const ours = base.replace('{Read}', '{Read, Write}');
    const theirs = base.replace('{Read}', '{Read, BufRead}');
    expect(merge('m.rs', base, ours, theirs).text).toBe(base.replace('{Read}', '{Read, Write, BufRead}'));
  });

  it('a derive both sides added the same name to comes out with it once', () => {
    const ours = rust.replace('Debug)', 'Debug, Clone)').replace('    x\n', '    x // o\n');
    const theirs = rust.replace('Debug)', 'Debug, Clone)');
    expect(merge('s.rs', rust, ours, theirs).text).toBe(ours);
  });
});

describe('TypeScript and Python decorators', () => {
  const ts = `export class A implements B {\n  f() {\n    return 1;\n  }\n}\n`;

  it('implements merges as a set; decorators added at one place by both sides conflict', () => {
    const ours = ts.replace('implements B', 'implements B, C').replace('  f() {', '  @Log()\n  f() {');
    const theirs = ts.replace('implements B', 'implements B, D').replace('  f() {', '  @Trace\n  f() {');
    const r = merge('a.ts', ts, ours, theirs);
    expect(r.kind).toBe('conflict');
    expect(r.text).toContain('implements B, C, D');
  });

  it('a decorator added above one that the other side changed both land', () => {
    const py = `@app.route("/")\ndef f():\n    return 1\n`;
    const ours = `@cached\n${py}`;
    const theirs = py.replace('"/"', '"/home"');
    const r = merge('a.py', py, ours, theirs);
    expect(r.text).toBe(`@cached\n@app.route("/home")\ndef f():\n    return 1\n`);
  });

  it('a decorator added on one side while the other edits the body', () => {
    const py = `class K:\n    def m(self):\n        return 2\n`;
    const ours = py.replace('    def m', '    @property\n    def m');
    const theirs = py.replace('return 2', 'return 3');
    expect(merge('k.py', py, ours, theirs).text).toBe(ours.replace('return 2', 'return 3'));
  });
});
