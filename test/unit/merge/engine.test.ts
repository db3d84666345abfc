import { beforeAll, describe, expect, it } from 'vitest';
import { joinEntries } from '../../../core/merge/entries.js';
import { initParsers, mergeFile, mergeFileSync } from '../../../core/merge/index.js';
import { segmentFile } from '../../../core/merge/segment.js';

beforeAll(async () => {
  await initParsers();
});

const tsBase = `import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Adds one. */
export function inc(n: number): number {
  return n + 1;
}

export function dec(n: number): number {
  return n - 1;
}

export class Counter {
  private value = 0;

  up(): number {
    return ++this.value;
  }

  down(): number {
    return --this.value;
  }
}

export const LIMIT = 10;

console.log(path.sep, readFile);
`;

const pyBase = `import os
from typing import List, Optional


def load(path):
    return open(path).read()


def save(path, data):
    with open(path, "w") as f:
        f.write(data)


class Store:
    """A store."""

    def get(self, key):
        return self.data[key]

    def put(self, key, value):
        self.data[key] = value


if __name__ == "__main__":
    load(os.getcwd())
`;

const merge = (file: string, base: string, ours: string, theirs: string) => mergeFileSync({ file, base, ours, theirs });

describe('segmentation round trip', () => {
  const samples: [string, string][] = [
    ['a.ts', tsBase],
    ['a.py', pyBase],
    ['a.tsx', `import React from 'react';\n\nexport function App() {\n  return <div className="x">hi</div>;\n}\n`],
    ['a.js', `'use strict';\nconst a = require('a');\n\nfunction f() {}\nmodule.exports = { f };`],
    ['crlf.ts', 'export function a() {\r\n  return 1;\r\n}\r\n\r\nexport function b() {}\r\n'],
    ['odd.ts', '\n\n// header\n\nfunction a() {} function b() {}\n\n\n'],
  ];
  for (const [file, text] of samples) {
    it(`joins the entries of ${file} back byte for byte`, () => {
      const language = file.endsWith('.py')
        ? 'python'
        : file.endsWith('.tsx')
          ? 'tsx'
          : file.endsWith('.js')
            ? 'javascript'
            : 'typescript';
      const entries = segmentFile(text, language);
      expect(entries).toBeDefined();
      expect(joinEntries(entries ?? [])).toBe(text);
    });
  }

  it('keeps a file byte-identical when nothing changed', () => {
    for (const [file, text] of samples) expect(merge(file, text, text, text).text).toBe(text);
  });

  it('returns the changed side byte-identical when only one side changed', () => {
    const ours = tsBase.replace('n + 1', 'n + 2');
    expect(merge('a.ts', tsBase, ours, tsBase).text).toBe(ours);
    expect(merge('a.ts', tsBase, tsBase, ours).text).toBe(ours);
  });
});

describe('symbol rules', () => {
  it('takes each side for symbols changed on one side only, even when they are adjacent', () => {
    const ours = tsBase.replace('  return n + 1;\n}', '  return n + 2;\n}');
    const theirs = tsBase.replace(
      'export function dec(n: number): number {',
      'export function dec(n: number, by = 1): number {',
    );
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.method).toBe('structural');
    expect(r.text).toBe(tsBase.replace('n + 1;', 'n + 2;').replace('dec(n: number)', 'dec(n: number, by = 1)'));
  });

  it('accepts the same change on both sides once', () => {
    const ours = tsBase.replace('return n - 1;', 'return n - 2;').replace('LIMIT = 10', 'LIMIT = 11');
    const theirs = tsBase.replace('return n - 1;', 'return n - 2;');
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(ours);
  });

  it('reports a conflict naming the symbol and file when both changed it differently', () => {
    const r = merge('src/a.ts', tsBase, tsBase.replace('n + 1', 'n + 2'), tsBase.replace('n + 1', 'n + 3'));
    expect(r.clean).toBe(false);
    expect(r.conflicts).toEqual([{ file: 'src/a.ts', symbol: 'inc', kind: 'both-modified' }]);
    expect(r.text).toContain('<<<<<<< ours');
    expect(r.text).toContain('export function dec');
  });

  it('merges lines inside one symbol changed on both sides when the edits are apart', () => {
    const base = 'export function f() {\n  const a = 1;\n  const b = 2;\n  const c = 3;\n  return a + b + c;\n}\n';
    const ours = base.replace('const a = 1;', 'const a = 10;');
    const theirs = base.replace('return a + b + c;', 'return a * b * c;');
    const r = merge('f.ts', base, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.resolved).toEqual(['f']);
    expect(r.text).toBe(base.replace('const a = 1;', 'const a = 10;').replace('a + b + c', 'a * b * c'));
  });

  it('adds symbols added on both sides, ours first then theirs, before trailing code', () => {
    const ours = tsBase.replace('export const LIMIT', 'export function a1() {}\n\nexport const LIMIT');
    const theirs = tsBase.replace('export const LIMIT', 'export function b1() {}\n\nexport const LIMIT');
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(
      tsBase.replace('export const LIMIT', 'export function a1() {}\n\nexport function b1() {}\n\nexport const LIMIT'),
    );
  });

  it('appends after top-level code on both sides without duplicating it', () => {
    const ours = `${tsBase}\nexport function tailA() {}\n`;
    const theirs = `${tsBase}\nexport function tailB() {}\n`;
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(`${tsBase}\nexport function tailA() {}\n\nexport function tailB() {}\n`);
  });

  it('conflicts when both sides add a symbol of the same name with different bodies', () => {
    const ours = `${tsBase}\nexport function extra() {\n  return 1;\n}\n`;
    const theirs = `${tsBase}\nexport function extra() {\n  return 2;\n}\n`;
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.conflicts).toEqual([{ file: 'a.ts', symbol: 'extra', kind: 'both-added' }]);
  });

  it('keeps one copy of a symbol both sides added identically', () => {
    const ours = `${tsBase}\nexport function extra() {}\n`;
    const r = merge('a.ts', tsBase, ours.replace('n + 1', 'n + 5'), ours);
    expect(r.clean).toBe(true);
    expect(r.text.match(/function extra/g)).toHaveLength(1);
  });

  it('conflicts when one side deletes a symbol the other changed', () => {
    const ours = tsBase.replace(/export function dec[^}]*}\n\n/, '');
    const theirs = tsBase.replace('n - 1', 'n - 2');
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.conflicts).toEqual([{ file: 'a.ts', symbol: 'dec', kind: 'delete-modify' }]);
  });

  it('lets a deletion stand when the other side left the symbol alone', () => {
    const ours = tsBase.replace(/export function dec[^}]*}\n\n/, '');
    const theirs = tsBase.replace('n + 1', 'n + 2');
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(ours.replace('n + 1', 'n + 2'));
  });

  it('keeps comments and top-level statements that are not symbols', () => {
    const ours = tsBase.replace('console.log(path.sep, readFile);', 'console.log(path.sep, readFile, 1);');
    const theirs = tsBase.replace('/** Adds one. */', '/** Adds one, always. */').replace('n - 1', 'n - 3');
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toContain('/** Adds one, always. */');
    expect(r.text).toContain('console.log(path.sep, readFile, 1);');
    expect(r.text).toContain('n - 3');
  });
});

describe('imports', () => {
  it('takes the union of imports added on both sides', () => {
    const ours = tsBase.replace(
      "import path from 'node:path';",
      "import path from 'node:path';\nimport os from 'node:os';",
    );
    const theirs = tsBase.replace(
      "import path from 'node:path';",
      "import path from 'node:path';\nimport { z } from 'zod';",
    );
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toContain("import path from 'node:path';\nimport os from 'node:os';\nimport { z } from 'zod';\n");
  });

  it('merges named imports from one module as a set', () => {
    const ours = tsBase.replace('{ readFile }', '{ readFile, writeFile }');
    const theirs = tsBase.replace('{ readFile }', '{ readFile, stat }');
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toContain("import { readFile, writeFile, stat } from 'node:fs/promises';");
  });

  it('lets an import removal stand when the other side left that import alone', () => {
    const ours = tsBase.replace("import path from 'node:path';\n", '');
    const theirs = tsBase.replace('{ readFile }', '{ readFile, stat }');
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).not.toContain("from 'node:path'");
    expect(r.text).toContain('{ readFile, stat }');
  });

  it('keeps names the other side added to an import one side removed', () => {
    const ours = tsBase.replace("import { readFile } from 'node:fs/promises';\n", '');
    const theirs = tsBase.replace('{ readFile }', '{ readFile, stat }');
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toContain("import { stat } from 'node:fs/promises';");
  });

  it('merges Python from-imports as sets', () => {
    const ours = pyBase.replace('from typing import List, Optional', 'from typing import List, Optional, Dict');
    const theirs = pyBase.replace('from typing import List, Optional', 'from typing import Any, List, Optional');
    const r = merge('a.py', pyBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toContain('from typing import List, Optional, Dict, Any\n');
  });
});

describe('classes', () => {
  it('merges methods added and changed inside one class from both sides', () => {
    const ours = tsBase.replace(
      '    return --this.value;\n  }\n',
      '    return --this.value;\n  }\n\n  reset(): void {\n    this.value = 0;\n  }\n',
    );
    const theirs = tsBase
      .replace(
        '    return --this.value;\n  }\n',
        '    return --this.value;\n  }\n\n  get(): number {\n    return this.value;\n  }\n',
      )
      .replace('return ++this.value;', 'this.value += 1;\n    return this.value;');
    const r = merge('a.ts', tsBase, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toContain('  reset(): void {\n    this.value = 0;\n  }\n\n  get(): number {');
    expect(r.text).toContain('this.value += 1;');
  });

  it('names a method conflict Class.method', () => {
    const r = merge(
      'a.ts',
      tsBase,
      tsBase.replace('++this.value', 'this.value++'),
      tsBase.replace('++this.value', '(this.value += 2)'),
    );
    expect(r.conflicts).toEqual([{ file: 'a.ts', symbol: 'Counter.up', kind: 'both-modified' }]);
  });

  it('merges Python methods added on both sides', () => {
    const add = (name: string) =>
      pyBase.replace(
        '        self.data[key] = value\n',
        `        self.data[key] = value\n\n    def ${name}(self):\n        return None\n`,
      );
    const r = merge('a.py', pyBase, add('clear'), add('size'));
    expect(r.clean).toBe(true);
    expect(r.text).toContain('    def clear(self):\n        return None\n\n    def size(self):\n        return None\n');
    expect(r.text).toContain('if __name__ == "__main__":');
  });

  it('merges functions added at the end of a Python module before the main block', () => {
    const add = (name: string) => pyBase.replace('\n\nif __name__', `\n\ndef ${name}():\n    pass\n\n\nif __name__`);
    const r = merge('a.py', pyBase, add('one'), add('two'));
    expect(r.clean).toBe(true);
    expect(r.text).toContain('def one():\n    pass\n\n\ndef two():\n    pass\n\n\nif __name__');
  });
});

describe('fallbacks', () => {
  it('uses a line merge for unsupported languages', () => {
    const base = 'a\nb\nc\nd\ne\n';
    const r = merge('notes.md', base, base.replace('a', 'A'), base.replace('e', 'E'));
    expect(r.method).toBe('line');
    expect(r.fallbackReason).toBe('unsupported-language');
    expect(r.text).toBe('A\nb\nc\nd\nE\n');
  });

  it('reports a text conflict for unsupported languages when lines collide', () => {
    const r = merge('notes.md', 'a\n', 'b\n', 'c\n');
    expect(r.clean).toBe(false);
    expect(r.conflicts[0]?.kind).toBe('text');
  });

  it('falls back to a line merge when an input does not parse', () => {
    const broken = tsBase.replace('export const LIMIT = 10;', 'export const LIMIT = ;');
    const r = merge('a.ts', tsBase, broken, tsBase.replace('n + 1', 'n + 2'));
    expect(r.method).toBe('line');
    expect(r.fallbackReason).toBe('unparsable-input');
  });

  it('loads the parsers itself in the async entry point', async () => {
    const r = await mergeFile({
      file: 'x.js',
      base: 'const a = 1;\n',
      ours: 'const a = 2;\n',
      theirs: 'const a = 1;\n',
    });
    expect(r.text).toBe('const a = 2;\n');
  });
});

describe('TSX and JavaScript', () => {
  it('merges two components changed in one TSX file', () => {
    const base = `import React from 'react';\n\nexport function A() {\n  return <div>a</div>;\n}\nexport function B() {\n  return <span>b</span>;\n}\n`;
    const ours = base.replace('<div>a</div>', '<div className="a">a</div>');
    const theirs = base.replace('<span>b</span>', '<span>b!</span>');
    const r = merge('c.tsx', base, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(
      base.replace('<div>a</div>', '<div className="a">a</div>').replace('<span>b</span>', '<span>b!</span>'),
    );
  });

  it('merges CommonJS requires and functions', () => {
    const base = `const fs = require('fs');\n\nfunction a() {\n  return 1;\n}\nfunction b() {\n  return 2;\n}\n`;
    const ours = base
      .replace("const fs = require('fs');", "const fs = require('fs');\nconst os = require('os');")
      .replace('return 1', 'return 10');
    const theirs = base
      .replace("const fs = require('fs');", "const fs = require('fs');\nconst path = require('path');")
      .replace('return 2', 'return 20');
    const r = merge('c.js', base, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toContain("const os = require('os');\nconst path = require('path');");
    expect(r.text).toContain('return 10');
    expect(r.text).toContain('return 20');
  });
});
