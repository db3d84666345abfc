// Hand-written merge patterns beyond whole-symbol edits: collections inside one symbol (object keys,
// enum and union members, JSX attributes, Python sets, `__all__`, destructuring, call arguments,
// arrays), layout changes of import lists, attribute docstrings, data files (JSON, YAML, CSS) and Go,
// Rust and Java. Each pattern is written once as a function of a few names and instantiated with
// several name sets, so a case is never tuned to one spelling. Expected results are written out by hand.
import { round3Patterns } from './round3.js';
import type { Case } from './scenarios.js';

export interface Names {
  /** existing elements */
  a: string;
  b: string;
  /** added by ours / by theirs */
  o: string;
  t: string;
}

const nameSets: Names[] = [
  { a: 'alpha', b: 'beta', o: 'gamma', t: 'delta' },
  { a: 'red', b: 'green', o: 'blue', t: 'amber' },
  { a: 'load', b: 'save', o: 'sync', t: 'purge' },
];

export interface Pattern {
  category: string;
  ext: string;
  base: (n: Names) => string;
  ours: (n: Names) => string;
  theirs: (n: Names) => string;
  /** Ours' addition first; null for a real conflict. */
  expected: ((n: Names) => string) | null;
  /** The same with theirs' addition first, when order carries no meaning. */
  alternative?: (n: Names) => string;
}

const up = (s: string) => s.toUpperCase();
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const patterns: Pattern[] = [
  // ---- the separator bug: one side adds a name to a parenthesised import, the other rewrites it on one line
  {
    category: 'import layout change',
    ext: '.py',
    base: (n) => `from .tools import (\n    ${n.a},\n    ${n.b},\n)\n\n\ndef run():\n    return ${n.a}()\n`,
    ours: (n) =>
      `from .tools import (\n    ${n.a},\n    ${n.b},\n    ${n.o},\n)\n\n\ndef run():\n    return ${n.a}()\n`,
    theirs: (n) => `from .tools import ${n.a}, ${n.b}\n\n\ndef run():\n    return ${n.a}()\n`,
    expected: (n) => `from .tools import ${n.a}, ${n.b}, ${n.o}\n\n\ndef run():\n    return ${n.a}()\n`,
  },
  {
    category: 'import layout change',
    ext: '.ts',
    base: (n) => `import { ${n.a}, ${n.b} } from './tools';\n\nexport const x = ${n.a};\n`,
    ours: (n) => `import {\n  ${n.a},\n  ${n.b},\n} from './tools';\n\nexport const x = ${n.a};\n`,
    theirs: (n) => `import { ${n.a}, ${n.b}, ${n.t} } from './tools';\n\nexport const x = ${n.a};\n`,
    expected: (n) => `import {\n  ${n.a},\n  ${n.b},\n  ${n.t},\n} from './tools';\n\nexport const x = ${n.a};\n`,
  },
  {
    category: 'import layout change',
    ext: '.py',
    base: (n) => `from .tools import ${n.a}, ${n.b}\n`,
    ours: (n) => `from .tools import (\n    ${n.a},\n    ${n.b},\n    ${n.o},\n)\n`,
    theirs: (n) => `from .tools import ${n.a}, ${n.b}, ${n.t}  # noqa\n`,
    expected: null,
  },
  // ---- collections inside one symbol, as sets
  {
    category: 'object literal keys',
    ext: '.ts',
    base: (n) => `export const config = {\n  ${n.a}: 1,\n  ${n.b}: 2,\n};\n`,
    ours: (n) => `export const config = {\n  ${n.a}: 1,\n  ${n.b}: 2,\n  ${n.o}: 3,\n};\n`,
    theirs: (n) => `export const config = {\n  ${n.a}: 1,\n  ${n.b}: 2,\n  ${n.t}: 4,\n};\n`,
    expected: (n) => `export const config = {\n  ${n.a}: 1,\n  ${n.b}: 2,\n  ${n.o}: 3,\n  ${n.t}: 4,\n};\n`,
    alternative: (n) => `export const config = {\n  ${n.a}: 1,\n  ${n.b}: 2,\n  ${n.t}: 4,\n  ${n.o}: 3,\n};\n`,
  },
  {
    category: 'object literal keys',
    ext: '.js',
    base: (n) => `export const routes = { ${n.a}: '/${n.a}', ${n.b}: '/${n.b}' };\n`,
    ours: (n) => `export const routes = { ${n.a}: '/${n.a}', ${n.b}: '/${n.b}', ${n.o}: '/${n.o}' };\n`,
    theirs: (n) => `export const routes = { ${n.a}: '/home', ${n.b}: '/${n.b}' };\n`,
    expected: (n) => `export const routes = { ${n.a}: '/home', ${n.b}: '/${n.b}', ${n.o}: '/${n.o}' };\n`,
  },
  {
    category: 'object literal keys',
    ext: '.ts',
    base: (n) => `export const limits = { ${n.a}: 1, ${n.b}: 2 };\n`,
    ours: (n) => `export const limits = { ${n.a}: 10, ${n.b}: 2 };\n`,
    theirs: (n) => `export const limits = { ${n.a}: 20, ${n.b}: 2 };\n`,
    expected: null,
  },
  {
    category: 'enum members',
    ext: '.ts',
    base: (n) => `export enum Kind {\n  ${cap(n.a)},\n  ${cap(n.b)},\n}\n`,
    ours: (n) => `export enum Kind {\n  ${cap(n.a)},\n  ${cap(n.b)},\n  ${cap(n.o)},\n}\n`,
    theirs: (n) => `export enum Kind {\n  ${cap(n.a)},\n  ${cap(n.b)},\n  ${cap(n.t)},\n}\n`,
    expected: (n) => `export enum Kind {\n  ${cap(n.a)},\n  ${cap(n.b)},\n  ${cap(n.o)},\n  ${cap(n.t)},\n}\n`,
    alternative: (n) => `export enum Kind {\n  ${cap(n.a)},\n  ${cap(n.b)},\n  ${cap(n.t)},\n  ${cap(n.o)},\n}\n`,
  },
  {
    category: 'union members',
    ext: '.ts',
    base: (n) => `export type Mode = '${n.a}' | '${n.b}';\n`,
    ours: (n) => `export type Mode = '${n.a}' | '${n.b}' | '${n.o}';\n`,
    theirs: (n) => `export type Mode = '${n.a}' | '${n.b}' | '${n.t}';\n`,
    expected: (n) => `export type Mode = '${n.a}' | '${n.b}' | '${n.o}' | '${n.t}';\n`,
    alternative: (n) => `export type Mode = '${n.a}' | '${n.b}' | '${n.t}' | '${n.o}';\n`,
  },
  {
    category: 'object type members',
    ext: '.ts',
    base: (n) => `export type Opts = { ${n.a}: string; ${n.b}?: number };\n`,
    ours: (n) => `export type Opts = { ${n.a}: string; ${n.b}?: number; ${n.o}?: boolean };\n`,
    theirs: (n) => `export type Opts = { ${n.a}: string; ${n.b}?: number; ${n.t}: string[] };\n`,
    expected: (n) => `export type Opts = { ${n.a}: string; ${n.b}?: number; ${n.o}?: boolean; ${n.t}: string[] };\n`,
    alternative: (n) => `export type Opts = { ${n.a}: string; ${n.b}?: number; ${n.t}: string[]; ${n.o}?: boolean };\n`,
  },
  {
    category: 'python set and __all__',
    ext: '.py',
    base: (n) => `__all__ = ["${n.a}", "${n.b}"]\n\nKNOWN = {"${n.a}", "${n.b}"}\n`,
    ours: (n) => `__all__ = ["${n.a}", "${n.b}", "${n.o}"]\n\nKNOWN = {"${n.a}", "${n.b}"}\n`,
    theirs: (n) => `__all__ = ["${n.a}", "${n.b}", "${n.t}"]\n\nKNOWN = {"${n.a}", "${n.b}"}\n`,
    expected: (n) => `__all__ = ["${n.a}", "${n.b}", "${n.o}", "${n.t}"]\n\nKNOWN = {"${n.a}", "${n.b}"}\n`,
    alternative: (n) => `__all__ = ["${n.a}", "${n.b}", "${n.t}", "${n.o}"]\n\nKNOWN = {"${n.a}", "${n.b}"}\n`,
  },
  {
    category: 'python set and __all__',
    ext: '.py',
    base: (n) => `KNOWN = {"${n.a}", "${n.b}"}\n`,
    ours: (n) => `KNOWN = {"${n.a}", "${n.b}", "${n.o}"}\n`,
    theirs: (n) => `KNOWN = {"${n.a}", "${n.t}"}\n`,
    expected: (n) => `KNOWN = {"${n.a}", "${n.o}", "${n.t}"}\n`,
  },
  {
    category: 'destructuring',
    ext: '.tsx',
    base: (n) => `export function View() {\n  const { ${n.a}, ${n.b} } = useStore();\n  return <p>{${n.a}}</p>;\n}\n`,
    ours: (n) =>
      `export function View() {\n  const { ${n.a}, ${n.b}, ${n.o} } = useStore();\n  return <p>{${n.a}}</p>;\n}\n`,
    theirs: (n) =>
      `export function View() {\n  const { ${n.a}, ${n.b}, ${n.t} } = useStore();\n  return <p>{${n.a}}</p>;\n}\n`,
    expected: (n) =>
      `export function View() {\n  const { ${n.a}, ${n.b}, ${n.o}, ${n.t} } = useStore();\n  return <p>{${n.a}}</p>;\n}\n`,
    alternative: (n) =>
      `export function View() {\n  const { ${n.a}, ${n.b}, ${n.t}, ${n.o} } = useStore();\n  return <p>{${n.a}}</p>;\n}\n`,
  },
  {
    category: 'jsx attributes',
    ext: '.tsx',
    base: (n) => `export function B() {\n  return <button className="${n.a}">go</button>;\n}\n`,
    ours: (n) => `export function B() {\n  return <button className="${n.a}" id="${n.o}">go</button>;\n}\n`,
    theirs: (n) => `export function B() {\n  return <button className="${n.a}" title="${n.t}">go</button>;\n}\n`,
    expected: (n) =>
      `export function B() {\n  return <button className="${n.a}" id="${n.o}" title="${n.t}">go</button>;\n}\n`,
    alternative: (n) =>
      `export function B() {\n  return <button className="${n.a}" title="${n.t}" id="${n.o}">go</button>;\n}\n`,
  },
  {
    category: 'jsx attributes',
    ext: '.tsx',
    base: (n) => `export function B() {\n  return <button className="${n.a}">go</button>;\n}\n`,
    ours: (n) => `export function B() {\n  return <button className="${n.o}">go</button>;\n}\n`,
    theirs: (n) => `export function B() {\n  return <button className="${n.t}">go</button>;\n}\n`,
    expected: null,
  },
  // ---- ordered collections
  {
    category: 'call arguments',
    ext: '.ts',
    base: (n) => `export function f() {\n  return make(${n.a}, ${n.b});\n}\n`,
    ours: (n) => `export function f() {\n  return make(${n.a}, ${n.b}, ${n.o});\n}\n`,
    theirs: (n) => `export function f() {\n  return make(${n.a}, ${n.b}, ${n.t});\n}\n`,
    expected: null,
  },
  {
    category: 'call arguments',
    ext: '.ts',
    base: (n) => `export function f() {\n  return make(${n.a}, ${n.b});\n}\n`,
    ours: (n) => `export function f() {\n  return make(${n.o}, ${n.b});\n}\n`,
    theirs: (n) => `export function f() {\n  return make(${n.a}, ${n.t});\n}\n`,
    expected: (n) => `export function f() {\n  return make(${n.o}, ${n.t});\n}\n`,
  },
  {
    category: 'call arguments',
    ext: '.py',
    base: (n) => `def f():\n    return make(${n.a}, ${n.b}=1)\n`,
    ours: (n) => `def f():\n    return make(${n.a}, ${n.b}=1, ${n.o}=2)\n`,
    theirs: (n) => `def f():\n    return make(${n.a}, ${n.b}=1, ${n.t}=3)\n`,
    expected: (n) => `def f():\n    return make(${n.a}, ${n.b}=1, ${n.o}=2, ${n.t}=3)\n`,
    alternative: (n) => `def f():\n    return make(${n.a}, ${n.b}=1, ${n.t}=3, ${n.o}=2)\n`,
  },
  {
    category: 'array literals',
    ext: '.js',
    base: (n) => `export const steps = ['${n.a}', '${n.b}'];\n`,
    ours: (n) => `export const steps = ['${n.a}', '${n.b}', '${n.o}'];\n`,
    theirs: (n) => `export const steps = ['${n.a}', '${n.b}', '${n.t}'];\n`,
    expected: null,
  },
  {
    category: 'array literals',
    ext: '.js',
    base: (n) => `export const steps = ['${n.a}', '${n.b}', 'end'];\n`,
    ours: (n) => `export const steps = ['${n.o}', '${n.a}', '${n.b}', 'end'];\n`,
    theirs: (n) => `export const steps = ['${n.a}', '${n.b}', 'end', '${n.t}'];\n`,
    expected: (n) => `export const steps = ['${n.o}', '${n.a}', '${n.b}', 'end', '${n.t}'];\n`,
  },
  // ---- Python attribute docstrings
  {
    category: 'attribute docstrings',
    ext: '.py',
    base: (n) => `class Settings:\n    ${n.a} = 1\n    """About ${n.a}."""\n`,
    ours: (n) => `class Settings:\n    ${n.a} = 1\n    """About ${n.a}."""\n    ${n.o} = 2\n    """About ${n.o}."""\n`,
    theirs: (n) =>
      `class Settings:\n    ${n.a} = 1\n    """About ${n.a}."""\n    ${n.t} = 3\n    """About ${n.t}."""\n`,
    expected: (n) =>
      `class Settings:\n    ${n.a} = 1\n    """About ${n.a}."""\n    ${n.o} = 2\n    """About ${n.o}."""\n    ${n.t} = 3\n    """About ${n.t}."""\n`,
    alternative: (n) =>
      `class Settings:\n    ${n.a} = 1\n    """About ${n.a}."""\n    ${n.t} = 3\n    """About ${n.t}."""\n    ${n.o} = 2\n    """About ${n.o}."""\n`,
  },
  // ---- data files
  {
    category: 'package.json',
    ext: '.json',
    base: (n) => pkg([n.a, n.b]),
    ours: (n) => pkg([n.a, n.b, n.o]),
    theirs: (n) => pkg([n.a, n.b, n.t]),
    expected: (n) => pkg([n.a, n.b, n.o, n.t]),
    alternative: (n) => pkg([n.a, n.b, n.t, n.o]),
  },
  {
    category: 'package.json',
    ext: '.json',
    base: (n) => pkg([n.a, n.b]),
    ours: (n) => pkg([n.a, n.b], { [n.a]: '^2.0.0' }),
    theirs: (n) => pkg([n.a, n.b], { [n.a]: '^3.0.0' }),
    expected: null,
  },
  {
    category: 'package.json',
    ext: '.json',
    base: (n) => pkg([n.a, n.b]),
    ours: (n) => pkg([n.a, n.b], {}, ['build', 'lint']),
    theirs: (n) => pkg([n.a, n.b, n.t]),
    expected: (n) => pkg([n.a, n.b, n.t], {}, ['build', 'lint']),
  },
  {
    category: 'yaml',
    ext: '.yaml',
    base: (n) => `name: ci\njobs:\n  ${n.a}:\n    runs-on: linux\n`,
    ours: (n) => `name: ci\njobs:\n  ${n.a}:\n    runs-on: linux\n  ${n.o}:\n    runs-on: linux\n`,
    theirs: (n) => `name: ci\njobs:\n  ${n.a}:\n    runs-on: linux\n  ${n.t}:\n    runs-on: mac\n`,
    expected: (n) =>
      `name: ci\njobs:\n  ${n.a}:\n    runs-on: linux\n  ${n.o}:\n    runs-on: linux\n  ${n.t}:\n    runs-on: mac\n`,
    alternative: (n) =>
      `name: ci\njobs:\n  ${n.a}:\n    runs-on: linux\n  ${n.t}:\n    runs-on: mac\n  ${n.o}:\n    runs-on: linux\n`,
  },
  {
    category: 'yaml',
    ext: '.yaml',
    base: (n) => `name: ci\njobs:\n  ${n.a}:\n    runs-on: linux\n`,
    ours: (n) => `name: ci\njobs:\n  ${n.a}:\n    runs-on: mac\n`,
    theirs: (n) => `name: ci\njobs:\n  ${n.a}:\n    runs-on: windows\n`,
    expected: null,
  },
  {
    category: 'css',
    ext: '.css',
    base: (n) => `.${n.a} {\n  color: red;\n}\n`,
    ours: (n) => `.${n.a} {\n  color: red;\n}\n\n.${n.o} {\n  margin: 0;\n}\n`,
    theirs: (n) => `.${n.a} {\n  color: red;\n}\n\n.${n.t} {\n  padding: 0;\n}\n`,
    expected: (n) => `.${n.a} {\n  color: red;\n}\n\n.${n.o} {\n  margin: 0;\n}\n\n.${n.t} {\n  padding: 0;\n}\n`,
    alternative: (n) => `.${n.a} {\n  color: red;\n}\n\n.${n.t} {\n  padding: 0;\n}\n\n.${n.o} {\n  margin: 0;\n}\n`,
  },
  {
    category: 'css',
    ext: '.css',
    base: (n) => `.${n.a} { color: red; }\n`,
    ours: (n) => `.${n.a} { color: red; margin: 0; }\n`,
    theirs: (n) => `.${n.a} { color: red; padding: 0; }\n`,
    expected: (n) => `.${n.a} { color: red; margin: 0; padding: 0; }\n`,
    alternative: (n) => `.${n.a} { color: red; padding: 0; margin: 0; }\n`,
  },
  {
    category: 'css',
    ext: '.css',
    base: (n) => `.${n.a} { color: red; }\n`,
    ours: (n) => `.${n.a} { color: blue; }\n`,
    theirs: (n) => `.${n.a} { color: green; }\n`,
    expected: null,
  },
  {
    category: 'html',
    ext: '.html',
    base: (n) => page([n.a]),
    ours: (n) => page([n.a, n.o]),
    theirs: (n) => page([n.a, n.t]),
    expected: (n) => page([n.a, n.o, n.t]),
    alternative: (n) => page([n.a, n.t, n.o]),
  },
  {
    category: 'html',
    ext: '.html',
    base: (n) => page([n.a]),
    ours: (n) => page([n.a]).replace(`<p>${n.a}</p>`, `<p>${up(n.a)}</p>`),
    theirs: (n) => page([n.a]).replace(`<p>${n.a}</p>`, `<p>${cap(n.a)}</p>`),
    expected: null,
  },
  // ---- Go, Rust, Java
  {
    category: 'go',
    ext: '.go',
    base: (n) => goFile(['"fmt"'], [n.a]),
    ours: (n) => goFile(['"fmt"', '"os"'], [n.a, n.o]),
    theirs: (n) => goFile(['"fmt"', '"strings"'], [n.a, n.t]),
    expected: (n) => goFile(['"fmt"', '"os"', '"strings"'], [n.a, n.o, n.t]),
    alternative: (n) => goFile(['"fmt"', '"strings"', '"os"'], [n.a, n.t, n.o]),
  },
  {
    category: 'go',
    ext: '.go',
    base: (n) => `package app\n\ntype Config struct {\n\t${cap(n.a)} string\n}\n`,
    ours: (n) => `package app\n\ntype Config struct {\n\t${cap(n.a)} string\n\t${cap(n.o)} int\n}\n`,
    theirs: (n) => `package app\n\ntype Config struct {\n\t${cap(n.a)} string\n\t${cap(n.t)} bool\n}\n`,
    expected: (n) =>
      `package app\n\ntype Config struct {\n\t${cap(n.a)} string\n\t${cap(n.o)} int\n\t${cap(n.t)} bool\n}\n`,
    alternative: (n) =>
      `package app\n\ntype Config struct {\n\t${cap(n.a)} string\n\t${cap(n.t)} bool\n\t${cap(n.o)} int\n}\n`,
  },
  {
    category: 'go',
    ext: '.go',
    base: (n) => goFile(['"fmt"'], [n.a]),
    ours: (n) => goFile(['"fmt"'], [n.a]).replace(`"${n.a}"`, `"${n.a}!"`),
    theirs: (n) => goFile(['"fmt"'], [n.a]).replace(`"${n.a}"`, `"${n.a}?"`),
    expected: null,
  },
  {
    category: 'rust',
    ext: '.rs',
    base: (n) => rustFile([n.a]),
    ours: (n) => rustFile([n.a, n.o]),
    theirs: (n) => rustFile([n.a, n.t]),
    expected: (n) => rustFile([n.a, n.o, n.t]),
    alternative: (n) => rustFile([n.a, n.t, n.o]),
  },
  {
    category: 'rust',
    ext: '.rs',
    base: (n) => `enum Event {\n    ${cap(n.a)},\n}\n`,
    ours: (n) => `enum Event {\n    ${cap(n.a)},\n    ${cap(n.o)}(u32),\n}\n`,
    theirs: (n) => `enum Event {\n    ${cap(n.a)},\n    ${cap(n.t)} { id: u64 },\n}\n`,
    expected: (n) => `enum Event {\n    ${cap(n.a)},\n    ${cap(n.o)}(u32),\n    ${cap(n.t)} { id: u64 },\n}\n`,
    alternative: (n) => `enum Event {\n    ${cap(n.a)},\n    ${cap(n.t)} { id: u64 },\n    ${cap(n.o)}(u32),\n}\n`,
  },
  {
    category: 'java',
    ext: '.java',
    base: (n) => javaFile([n.a]),
    ours: (n) => javaFile([n.a, n.o]),
    theirs: (n) => javaFile([n.a, n.t]),
    expected: (n) => javaFile([n.a, n.o, n.t]),
    alternative: (n) => javaFile([n.a, n.t, n.o]),
  },
  {
    category: 'java',
    ext: '.java',
    base: (n) => javaFile([n.a]),
    ours: (n) => javaFile([n.a]).replace(`return "${n.a}";`, `return "${up(n.a)}";`),
    theirs: (n) => javaFile([n.a]).replace(`return "${n.a}";`, `return "${n.a}".trim();`),
    expected: null,
  },
  // ---- git merges these cleanly: ours must give git's result
  {
    category: 'git clean: far apart in one symbol',
    ext: '.ts',
    base: (n) => longFn(n, n.a, n.b),
    ours: (n) => longFn(n, n.o, n.b),
    theirs: (n) => longFn(n, n.a, n.t),
    expected: (n) => longFn(n, n.o, n.t),
  },
  {
    category: 'git clean: far apart in one symbol',
    ext: '.json',
    base: (n) => pkg([n.a, n.b], {}, ['build', 'test', 'lint', 'format', 'check', 'docs']),
    ours: (n) => pkg([n.a, n.b, n.o], {}, ['build', 'test', 'lint', 'format', 'check', 'docs']),
    theirs: (n) => pkg([n.a, n.b], {}, ['build', 'test', 'lint', 'format', 'check', 'docs', 'release']),
    expected: (n) => pkg([n.a, n.b, n.o], {}, ['build', 'test', 'lint', 'format', 'check', 'docs', 'release']),
  },
  {
    category: 'git clean: far apart in one symbol',
    ext: '.py',
    base: (n) => `SETTINGS = {\n    "${n.a}": 1,\n    "x1": 0,\n    "x2": 0,\n    "x3": 0,\n    "${n.b}": 2,\n}\n`,
    ours: (n) => `SETTINGS = {\n    "${n.a}": 10,\n    "x1": 0,\n    "x2": 0,\n    "x3": 0,\n    "${n.b}": 2,\n}\n`,
    theirs: (n) => `SETTINGS = {\n    "${n.a}": 1,\n    "x1": 0,\n    "x2": 0,\n    "x3": 0,\n    "${n.b}": 20,\n}\n`,
    expected: (n) =>
      `SETTINGS = {\n    "${n.a}": 10,\n    "x1": 0,\n    "x2": 0,\n    "x3": 0,\n    "${n.b}": 20,\n}\n`,
  },
];

function pkg(deps: string[], bumps: Record<string, string> = {}, scripts = ['build']): string {
  const dep = deps.map((d) => `    "${d}": "${bumps[d] ?? '^1.0.0'}"`).join(',\n');
  const run = scripts.map((s) => `    "${s}": "tool ${s}"`).join(',\n');
  return `{\n  "name": "web",\n  "private": true,\n  "scripts": {\n${run}\n  },\n  "dependencies": {\n${dep}\n  }\n}\n`;
}

function page(sections: string[]): string {
  const body = sections.map((id) => `      <section id="${id}">\n        <p>${id}</p>\n      </section>\n`).join('');
  return `<!doctype html>\n<html>\n  <body>\n    <main>\n${body}    </main>\n  </body>\n</html>\n`;
}

function goFile(imports: string[], fns: string[]): string {
  const body = fns.map((f) => `func ${cap(f)}() {\n\tfmt.Println("${f}")\n}\n`).join('\n');
  return `package app\n\nimport (\n${imports.map((i) => `\t${i}`).join('\n')}\n)\n\n${body}`;
}

function rustFile(methods: string[]): string {
  const body = methods.map((m) => `    pub fn ${m}(&self) -> usize {\n        self.items.len()\n    }\n`).join('\n');
  return `pub struct Store {\n    items: Vec<String>,\n}\n\nimpl Store {\n${body}}\n`;
}

function javaFile(methods: string[]): string {
  const body = methods.map((m) => `    public String ${m}() {\n        return "${m}";\n    }\n`).join('\n');
  return `package app;\n\npublic class Store {\n${body}}\n`;
}

function longFn(n: Names, first: string, last: string): string {
  const middle = ['const x = 1;', 'const y = 2;', 'const z = x + y;', 'log(z);'].map((l) => `  ${l}`).join('\n');
  return `export function run() {\n  start('${first}');\n${middle}\n  finish('${last}');\n}\n`;
}

export function patternCases(): Case[] {
  const cases: Case[] = [];
  [...patterns, ...round3Patterns].forEach((p, i) => {
    nameSets.forEach((n, j) => {
      cases.push({
        id: `pattern-${String(i + 1).padStart(2, '0')}${String.fromCharCode(97 + j)}`,
        category: p.category,
        file: `src/p${i + 1}${p.ext}`,
        base: p.base(n),
        ours: p.ours(n),
        theirs: p.theirs(n),
        expected: p.expected ? p.expected(n) : null,
        alternatives: p.alternative ? [p.alternative(n)] : [],
      });
    });
  });
  return cases;
}
