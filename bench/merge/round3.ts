// Pattern families for round 3 of the structural merge: lists inside one declaration (Java, Rust,
// TypeScript, decorators), moved or re-indented code edited on the other side, insertion order and duplicates, and
// each side's own bytes kept (JSON layout). Written as functions of a few names like patterns.ts.
import type { Names, Pattern } from './patterns.js';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const javaClass = (impls: string, annotations: string, modifiers: string, throws: string) =>
  `package app;\n\npublic class Store implements ${impls} {\n${annotations}    ${modifiers} void close() throws ${throws} {\n        flush();\n    }\n}\n`;

const rustStruct = (derive: string, bounds: string) =>
  `#[derive(${derive})]\npub struct Store<T: ${bounds}> {\n    items: Vec<T>,\n}\n`;

const rustHelper = (indent: string, n: Names, body: string) =>
  `${indent}fn ${n.a}(s: &Store) -> usize {\n${indent}    ${body}\n${indent}}\n`;
const rustImpl = (n: Names, inside: string) =>
  `impl Store {\n    pub fn ${n.b}(&self) -> usize {\n        self.items.len()\n    }\n${inside}}\n`;
const rustHead = 'pub struct Store {\n    items: Vec<String>,\n}\n';

const pyMethods = (n: Names, second: string) =>
  `class Store:\n    def ${n.b}(self):\n        return 1\n${second}\n\ndef main():\n    pass\n`;
const pyInClass = (n: Names, ret: string) => `\n    def ${n.a}(self, x):\n        y = x + 1\n        return ${ret}\n`;
const pyTop = (n: Names, ret: string) => `\n\ndef ${n.a}(self, x):\n    y = x + 1\n    return ${ret}\n`;

const tsImports = (...modules: string[]) => modules.map((m) => `import ${m} from './${m}';\n`).join('');

export const round3Patterns: Pattern[] = [
  // ---- lists inside one declaration
  {
    category: 'declaration lists (java)',
    ext: '.java',
    base: () => javaClass('Closeable', '    @Override\n', 'public', 'IOException'),
    ours: (n) => javaClass(`Closeable, ${cap(n.o)}`, '    @Override\n    @Deprecated\n', 'public', 'IOException'),
    theirs: (n) =>
      javaClass(`Closeable, ${cap(n.t)}`, '    @Override\n', 'public final', `IOException, ${cap(n.t)}Exception`),
    expected: (n) =>
      javaClass(
        `Closeable, ${cap(n.o)}, ${cap(n.t)}`,
        '    @Override\n    @Deprecated\n',
        'public final',
        `IOException, ${cap(n.t)}Exception`,
      ),
  },
  {
    category: 'declaration lists (java)',
    ext: '.java',
    base: (n) => javaClass('Closeable', `    @${cap(n.a)}(1)\n`, 'public', 'IOException'),
    ours: (n) => javaClass('Closeable', `    @${cap(n.a)}(2)\n`, 'public', 'IOException'),
    theirs: (n) => javaClass('Closeable', `    @${cap(n.a)}(3)\n`, 'public', 'IOException'),
    expected: null,
  },
  {
    category: 'declaration lists (rust)',
    ext: '.rs',
    base: () => rustStruct('Debug', 'Clone'),
    ours: (n) => rustStruct(`Debug, ${cap(n.o)}`, 'Clone + Send'),
    theirs: (n) => rustStruct(`Debug, ${cap(n.t)}`, 'Clone + Sync'),
    expected: (n) => rustStruct(`Debug, ${cap(n.o)}, ${cap(n.t)}`, 'Clone + Send + Sync'),
  },
  {
    category: 'declaration lists (ts)',
    ext: '.ts',
    base: (n) => `export class ${cap(n.a)} implements Base {\n  run(): void {}\n}\n`,
    ours: (n) => `export class ${cap(n.a)} implements Base, ${cap(n.o)} {\n  run(): void {}\n}\n`,
    theirs: (n) => `export class ${cap(n.a)} implements Base, ${cap(n.t)} {\n  run(): void {}\n}\n`,
    expected: (n) => `export class ${cap(n.a)} implements Base, ${cap(n.o)}, ${cap(n.t)} {\n  run(): void {}\n}\n`,
  },
  {
    category: 'decorators in order',
    ext: '.py',
    base: (n) => `@route("/${n.a}")\ndef ${n.a}():\n    return 1\n`,
    ours: (n) => `@${n.o}\n@route("/${n.a}")\ndef ${n.a}():\n    return 1\n`,
    theirs: (n) => `@route("/${n.b}")\ndef ${n.a}():\n    return 1\n`,
    expected: (n) => `@${n.o}\n@route("/${n.b}")\ndef ${n.a}():\n    return 1\n`,
  },
  {
    category: 'decorators in order',
    ext: '.py',
    base: (n) => `@route("/${n.a}")\ndef ${n.a}():\n    return 1\n`,
    ours: (n) => `@route("/${n.a}")\n@${n.o}\ndef ${n.a}():\n    return 1\n`,
    theirs: (n) => `@route("/${n.a}")\n@${n.t}\ndef ${n.a}():\n    return 1\n`,
    expected: null,
  },
  // ---- moves
  {
    category: 'moved and edited',
    ext: '.rs',
    base: (n) => `${rustHead}\n${rustHelper('', n, 's.items.len()')}\n${rustImpl(n, '')}`,
    ours: (n) => `${rustHead}\n${rustImpl(n, `\n${rustHelper('    ', n, 's.items.len()')}`)}`,
    theirs: (n) => `${rustHead}\n${rustHelper('', n, 's.items.len() + 1')}\n${rustImpl(n, '')}`,
    expected: (n) => `${rustHead}\n${rustImpl(n, `\n${rustHelper('    ', n, 's.items.len() + 1')}`)}`,
  },
  {
    category: 'moved and edited',
    ext: '.py',
    base: (n) => pyMethods(n, pyInClass(n, 'y')),
    ours: (n) => pyMethods(n, '').replace('\n\ndef main', `${pyTop(n, 'y')}\n\ndef main`),
    theirs: (n) => pyMethods(n, pyInClass(n, `y * ${n.t.length}`)),
    expected: (n) => pyMethods(n, '').replace('\n\ndef main', `${pyTop(n, `y * ${n.t.length}`)}\n\ndef main`),
  },
  {
    category: 'moved and edited',
    ext: '.rs',
    base: (n) => `${rustHead}\n${rustHelper('', n, 's.items.len()')}\n${rustImpl(n, '')}`,
    ours: (n) => `${rustHead}\n${rustImpl(n, `\n${rustHelper('    ', n, 's.items.len()')}`)}`,
    theirs: (n) => `${rustHead}\n${rustImpl(n, '')}\nmod util {\n${rustHelper('    ', n, 's.items.len()')}}\n`,
    expected: null,
  },
  {
    category: 're-indented and edited',
    ext: '.ts',
    base: (n) => `export function ${n.a}(x: number) {\n  const y = x + 1;\n  log(y);\n  return y;\n}\n`,
    ours: (n) =>
      `export function ${n.a}(x: number) {\n  if (x > 0) {\n    const y = x + 1;\n    log(y);\n    return y;\n  }\n  return 0;\n}\n`,
    theirs: (n) => `export function ${n.a}(x: number) {\n  const y = x + 1;\n  log(y, '${n.t}');\n  return y;\n}\n`,
    expected: (n) =>
      `export function ${n.a}(x: number) {\n  if (x > 0) {\n    const y = x + 1;\n    log(y, '${n.t}');\n    return y;\n  }\n  return 0;\n}\n`,
  },
  {
    category: 're-indented and edited',
    ext: '.py',
    base: (n) => `def ${n.a}(p):\n    data = read(p)\n    return parse(data)\n`,
    ours: (n) => `def ${n.a}(p):\n    with ${n.o}:\n        data = read(p)\n        return parse(data)\n`,
    theirs: (n) => `def ${n.a}(p):\n    data = read(p, "${n.t}")\n    return parse(data)\n`,
    expected: (n) => `def ${n.a}(p):\n    with ${n.o}:\n        data = read(p, "${n.t}")\n        return parse(data)\n`,
  },
  {
    category: 're-indented and edited',
    ext: '.py',
    base: (n) => `def ${n.a}(p):\n    data = read(p)\n    return parse(data)\n`,
    ours: (n) => `def ${n.a}(p):\n    with ${n.o}:\n        data = read(p, "${n.o}")\n        return parse(data)\n`,
    theirs: (n) => `def ${n.a}(p):\n    data = read(p, "${n.t}")\n    return parse(data)\n`,
    expected: null,
  },
  // ---- order and duplicates
  {
    category: 'order and duplicates',
    ext: '.ts',
    base: (n) => `${tsImports(n.a, n.b)}\nexport const x = 1;\n`,
    ours: (n) => `${tsImports(n.a, n.o, n.b)}\nexport const x = 1;\n`,
    theirs: (n) => `${tsImports(n.a, n.b, n.o)}\nexport const x = 2;\n`,
    expected: (n) => `${tsImports(n.a, n.o, n.b)}\nexport const x = 2;\n`,
  },
  {
    category: 'order and duplicates',
    ext: '.ts',
    base: (n) => `${tsImports(n.a, n.b)}\nexport const x = 1;\n`,
    ours: (n) => `${tsImports(n.a, n.b, n.a)}\nexport const x = 1;\n`,
    theirs: (n) => `${tsImports(n.a, n.b)}\nexport const x = 2;\n`,
    expected: (n) => `${tsImports(n.a, n.b)}\nexport const x = 2;\n`,
  },
  {
    category: 'order and duplicates',
    ext: '.ts',
    base: () => '',
    ours: (n) => `// Copyright ${cap(n.a)}.\n\nexport function ${n.o}() {\n  return 1;\n}\n`,
    theirs: (n) => `// Copyright ${cap(n.a)}.\n\nexport function ${n.t}() {\n  return 2;\n}\n`,
    expected: (n) =>
      `// Copyright ${cap(n.a)}.\n\nexport function ${n.o}() {\n  return 1;\n}\n\nexport function ${n.t}() {\n  return 2;\n}\n`,
  },
  {
    category: 'order and duplicates',
    ext: '.ts',
    base: (n) => `${tsImports(n.a)}\nexport const x = 1;\n`,
    ours: (n) => `${tsImports(n.a, n.o + '1', n.o + '2')}\nexport const x = 1;\n`,
    theirs: (n) => `${tsImports(n.a, n.t + '1', n.t + '2')}\nexport const x = 1;\n`,
    expected: (n) => `${tsImports(n.a, n.o + '1', n.o + '2', n.t + '1', n.t + '2')}\nexport const x = 1;\n`,
  },
  // ---- each side's own bytes
  {
    category: 'bytes kept (json)',
    ext: '.json',
    base: (n) => `{\n  "${n.a}": [1, 2, 3],\n  "${n.b}": { "x": 1 },\n  "z": 1\n}\n`,
    ours: (n) => `{\n  "${n.a}": [1, 2, 3, 4],\n  "${n.b}": { "x": 1 },\n  "z": 1\n}\n`,
    theirs: (n) => `{\n  "${n.a}": [0, 1, 2, 3],\n  "${n.b}": { "x": 1, "${n.t}": 2 },\n  "z": 2\n}\n`,
    expected: (n) => `{\n  "${n.a}": [0, 1, 2, 3, 4],\n  "${n.b}": { "x": 1, "${n.t}": 2 },\n  "z": 2\n}\n`,
  },
  {
    category: 'bytes kept (json)',
    ext: '.json',
    base: (n) => `{"${n.a}": {"x": 1}, "${n.b}": [1,2]}\n`,
    ours: (n) => `{"${n.a}": {"x": 1}, "${n.b}": [1,2], "${n.o}": true}\n`,
    theirs: (n) => `{"${n.a}": {"x": 2}, "${n.b}": [1,2]}\n`,
    expected: (n) => `{"${n.a}": {"x": 2}, "${n.b}": [1,2], "${n.o}": true}\n`,
  },
  {
    category: 'bytes kept (ts)',
    ext: '.ts',
    base: (n) => `export const c = {\n  ${n.a}: { bar: 2 },\n  ${n.b}: [1, 2],\n};\n`,
    ours: (n) => `export const c = {\n  ${n.a}: { bar: 2, baz: 3 },\n  ${n.b}: [1, 2],\n};\n`,
    theirs: (n) => `export const c = {\n  ${n.a}: { bar: 2 },\n  ${n.b}: [1, 2],\n  ${n.t}: 4,\n};\n`,
    expected: (n) => `export const c = {\n  ${n.a}: { bar: 2, baz: 3 },\n  ${n.b}: [1, 2],\n  ${n.t}: 4,\n};\n`,
  },
];
