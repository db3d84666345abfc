// Insertion order when both sides add at one spot (ours first, then theirs), and what both sides added,
// or one side added again, coming out once.
import { beforeAll, describe, expect, it } from 'vitest';
import { initParsers, mergeFileSync } from '../../../core/merge/index.js';

beforeAll(async () => {
  await initParsers();
});

const merge = (file: string, base: string, ours: string, theirs: string) => mergeFileSync({ file, base, ours, theirs });

const ts = `import a from 'a';\nimport b from 'b';\n\nexport const x = 1;\n`;

describe('insertion order', () => {
  it('additions at one spot: ours first, then theirs, each in its own order', () => {
    const ours = ts.replace("import b from 'b';\n", "import b from 'b';\nimport o1 from 'o1';\nimport o2 from 'o2';\n");
    const theirs = ts.replace(
      "import b from 'b';\n",
      "import b from 'b';\nimport t1 from 't1';\nimport t2 from 't2';\n",
    );
    const r = merge('a.ts', ts, ours, theirs);
    expect(r.text).toBe(
      ts.replace(
        "import b from 'b';\n",
        "import b from 'b';\nimport o1 from 'o1';\nimport o2 from 'o2';\nimport t1 from 't1';\nimport t2 from 't2';\n",
      ),
    );
  });

  it('swapping ours and theirs gives the same entries, theirs first', () => {
    const ours = ts.replace('export const', "import o from 'o';\n\nexport const");
    const theirs = ts.replace('export const', "import t from 't';\n\nexport const");
    const one = merge('a.ts', ts, ours, theirs);
    const two = merge('a.ts', ts, theirs, ours);
    expect(one.kind).toBe('clean');
    expect(two.kind).toBe('clean');
    expect(one.text.split('\n').sort()).toEqual(two.text.split('\n').sort());
  });
});

describe('duplicates come out once', () => {
  it('the same import added by both sides at different places', () => {
    const ours = ts.replace("import b from 'b';\n", "import z from 'z';\nimport b from 'b';\n");
    const theirs = ts.replace("import b from 'b';\n", "import b from 'b';\nimport z from 'z';\n").replace('1', '2');
    const r = merge('a.ts', ts, ours, theirs);
    expect(r.text).toBe(ours.replace('1', '2'));
  });

  it('an import one side adds again where it already exists', () => {
    const ours = ts.replace("import b from 'b';\n", "import b from 'b';\nimport a from 'a';\n");
    const theirs = ts.replace('1', '2');
    expect(merge('a.ts', ts, ours, theirs).text).toBe(theirs);
  });

  it('a Java import one side adds twice and a Python import added by both', () => {
    const java = 'package p;\n\nimport java.util.List;\n\nclass A {\n    int x = 1;\n}\n';
    const ours = java.replace('class A', 'import java.util.List;\n\nclass A');
    expect(merge('A.java', java, ours, java.replace('1', '2')).text).toBe(java.replace('1', '2'));
    const py = 'import os\n\n\nX = 1\n';
    const r = merge('m.py', py, 'import os\nimport re\n\n\nX = 1\n', 'import re\nimport os\n\n\nX = 2\n');
    expect(r.text.match(/import re/g)).toHaveLength(1);
  });

  it('the same header comment on a new file added by both sides', () => {
    const header = '// Copyright 2026 Acme.\n// SPDX-License-Identifier: MIT\n\n';
    const ours = `${header}export function f() {\n  return 1;\n}\n`;
    const theirs = `${header}export function g() {\n  return 2;\n}\n`;
    const r = merge('new.ts', '', ours, theirs);
    expect(r.text).toBe(`${ours}\nexport function g() {\n  return 2;\n}\n`);
  });

  it('a duplicate that was already in base stays', () => {
    const base = `${ts}import a from 'a';\n`;
    expect(merge('a.ts', base, base.replace('1', '2'), base.replace("'b'", "'c'")).text).toBe(
      base.replace('1', '2').replace("'b'", "'c'"),
    );
  });
});
