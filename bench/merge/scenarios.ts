// The corpus: parallel-edit scenarios over the bases, each with its expected result. Deterministic:
// the same code always yields the same cases. `expected` is null when the edits are a real conflict
// (a careful person could not merge them without choosing); alternatives list other acceptable orders.
import type { Base } from './bases.js';
import { bases, cap, extensionOf, fn, method } from './bases.js';
import type { Block, Cls, Dialect, Fn, Model } from './model.js';
import { clone, render } from './model.js';

export type Edit = (m: Model) => void;

export interface Case {
  id: string;
  category: string;
  file: string;
  base: string;
  ours: string;
  theirs: string;
  /** null: a real conflict, any clean result is wrong. */
  expected: string | null;
  /** Other results that are just as right (e.g. the two additions in the other order). */
  alternatives: string[];
}

// ---- edits -------------------------------------------------------------------------------------

const fnOf = (m: Model, name: string): Fn => {
  const b = m.blocks.find((x) => x.name === name);
  if (!b || b.kind !== 'fn') throw new Error(`no function ${name}`);
  return b;
};
const classOf = (m: Model): Cls => m.blocks.find((x): x is Cls => x.kind === 'class') as Cls;
const methodOf = (m: Model, name: string): Fn => classOf(m).methods.find((x) => x.name === name) as Fn;

/** Replaces body line `index` with a variant tagged `tag` (keeps it valid code). */
function tweak(line: string, tag: string, d: Dialect): string {
  const q = d === 'py' ? '"' : "'";
  const at = line.lastIndexOf(')');
  // Applying the same edit twice (both sides made it) must give the same line.
  if (at < 0) throw new Error(`no call to tweak in: ${line}`);
  if (line.includes(`${q}${tag}${q}`)) return line;
  return `${line.slice(0, at)}, ${q}${tag}${q}${line.slice(at)}`;
}

const editLine =
  (name: string, index: number, tag: string): Edit =>
  (m) => {
    const f = fnOf(m, name);
    f.body[index] = tweak(f.body[index] as string, tag, m.dialect);
  };

const editMethod =
  (name: string, index: number, tag: string): Edit =>
  (m) => {
    const f = methodOf(m, name);
    f.body[index] = tweak(f.body[index] as string, tag, m.dialect);
  };

/** Inserts a block after `after` (and after blocks an earlier edit inserted there), or at the end. */
const addBlock =
  (block: Block, after?: string): Edit =>
  (m) => {
    // Both sides adding the very same block: it is there once.
    if (
      m.blocks.some(
        (b) =>
          JSON.stringify({ ...b, insertedAfter: undefined }) === JSON.stringify({ ...block, insertedAfter: undefined }),
      )
    )
      return;
    let at = m.blocks.length;
    if (after) {
      at = m.blocks.findIndex((b) => b.name === after) + 1;
      while (at < m.blocks.length && m.blocks[at]?.insertedAfter === after) at++;
      block.insertedAfter = after;
    }
    m.blocks.splice(at, 0, structuredClone(block));
    if (m.dialect === 'cjs' && block.kind === 'fn') {
      m.tail = m.tail.map((l) => l.replace(' };', `, ${block.name} };`));
    }
  };

const addFn = (d: Dialect, name: string, after?: string): Edit => addBlock(fn(d, name), after);

const addMethod =
  (d: Dialect, name: string): Edit =>
  (m) => {
    classOf(m).methods.push(method(d, name));
  };

const addImport =
  (module: string, names: string[], defaultName?: string): Edit =>
  (m) => {
    m.imports.push(defaultName ? { module, names, defaultName } : { module, names });
  };

const addName =
  (module: string, name: string): Edit =>
  (m) => {
    m.imports.find((i) => i.module === module)?.names.push(name);
  };

const removeImport =
  (module: string): Edit =>
  (m) => {
    m.imports = m.imports.filter((i) => i.module !== module);
  };

const deleteBlock =
  (name: string): Edit =>
  (m) => {
    m.blocks = m.blocks.filter((b) => b.name !== name);
    if (m.dialect === 'cjs') m.tail = m.tail.map((l) => l.replace(` ${name},`, ''));
  };

const rename =
  (from: string, to: string): Edit =>
  (m) => {
    fnOf(m, from).name = to;
    if (m.dialect === 'cjs') m.tail = m.tail.map((l) => l.replace(` ${from},`, ` ${to},`));
  };

const wrapSignature =
  (name: string): Edit =>
  (m) => {
    fnOf(m, name).wrapped = true;
  };

const decorate =
  (name: string, decorator: string): Edit =>
  (m) => {
    fnOf(m, name).decorator = decorator;
  };

const addField =
  (field: string): Edit =>
  (m) => {
    const i = m.blocks.find((b) => b.kind === 'iface');
    if (i && i.kind === 'iface') i.fields.push(field);
  };

const editTail =
  (from: string, to: string): Edit =>
  (m) => {
    m.tail = m.tail.map((l) => l.replace(from, to));
  };

const both =
  (...edits: Edit[]): Edit =>
  (m) => {
    for (const e of edits) e(m);
  };

// ---- scenarios ---------------------------------------------------------------------------------

interface Spec {
  category: string;
  ours: Edit;
  theirs: Edit;
  /** A real conflict: no expected text. */
  conflict?: boolean;
  /** The two sides' additions may also appear theirs-first. */
  unordered?: boolean;
  /** Build the expected result by applying theirs first (ours renames what theirs edits). */
  theirsFirst?: boolean;
}

function apply(base: Model, ...edits: Edit[]): Model {
  const m = clone(base);
  for (const e of edits) e(m);
  return m;
}

function specsFor(b: Base): Spec[] {
  const d = b.model.dialect;
  const [f0, f1, f2, f3] = b.fns as [string, string, string, string];
  const [m0, m1] = b.methods as [string, string];
  // Body lines with a call in them (tweak edits calls): first, middle, last.
  const [e0, e1, e2] = d === 'tsx' ? [0, 1, 3] : d === 'py' ? [0, 3, 5] : [0, 3, 6];
  const sfx = d === 'py' ? '_v2' : 'V2';
  const newName = (s: string) => (d === 'py' ? `${s}_extra` : `${s}Extra`);
  const importA = d === 'py' ? addImport('re', []) : addImport('node:os', [], 'os');
  const importB = d === 'py' ? addImport('math', ['floor']) : addImport('./metrics.js', ['count']);
  const existing = b.model.imports.find((i) => i.names.length > 0) as Model['imports'][number];
  const lastImport = b.model.imports[b.model.imports.length - 1] as Model['imports'][number];
  const specs: Spec[] = [
    { category: 'different functions', ours: editLine(f0, e0, 'ours'), theirs: editLine(f1, e0, 'theirs') },
    { category: 'different functions', ours: editLine(f1, e2, 'ours'), theirs: editLine(f2, e0, 'theirs') },
    {
      category: 'different functions',
      ours: both(editLine(f0, e1, 'ours'), editLine(f2, e2, 'ours')),
      theirs: editLine(f3, e0, 'theirs'),
    },
    { category: 'same function, apart', ours: editLine(f2, e0, 'ours'), theirs: editLine(f2, e2, 'theirs') },
    { category: 'same function, same change', ours: editLine(f1, e1, 'both'), theirs: editLine(f1, e1, 'both') },
    {
      category: 'same function, conflict',
      ours: editLine(f0, e1, 'ours'),
      theirs: editLine(f0, e1, 'theirs'),
      conflict: true,
    },
    {
      category: 'same function, conflict',
      ours: editLine(f3, e0, 'ours'),
      theirs: editLine(f3, e0, 'theirs'),
      conflict: true,
    },
    { category: 'additions at the same spot', ours: addFn(d, 'alpha'), theirs: addFn(d, 'beta'), unordered: true },
    {
      category: 'additions at the same spot',
      ours: addFn(d, 'gamma', f1),
      theirs: addFn(d, 'delta', f1),
      unordered: true,
    },
    {
      category: 'additions at the same spot',
      ours: both(addFn(d, 'one', f0), addFn(d, 'two')),
      theirs: both(addFn(d, 'three', f0), addFn(d, 'four')),
      unordered: true,
    },
    { category: 'additions at the same spot', ours: addFn(d, 'same'), theirs: addFn(d, 'same') },
    {
      category: 'additions at the same spot',
      ours: addFn(d, 'clash'),
      theirs: both(addFn(d, 'clash'), editLine('clash', e0, 'theirs')),
      conflict: true,
    },
    { category: 'imports', ours: importA, theirs: importB, unordered: true },
    {
      category: 'imports',
      ours: both(importA, addFn(d, 'useOs')),
      theirs: both(importB, addFn(d, 'useMetrics')),
      unordered: true,
    },
    {
      category: 'imports',
      ours: addName(existing.module, 'alpha'),
      theirs: addName(existing.module, 'beta'),
      unordered: true,
    },
    { category: 'imports', ours: removeImport(lastImport.module), theirs: importB },
    { category: 'imports', ours: removeImport(lastImport.module), theirs: editLine(f0, e0, 'theirs') },
    { category: 'class methods', ours: addMethod(d, 'ours'), theirs: addMethod(d, 'theirs'), unordered: true },
    { category: 'class methods', ours: editMethod(m0, 0, 'ours'), theirs: addMethod(d, 'extra') },
    { category: 'class methods', ours: editMethod(m0, 2, 'ours'), theirs: editMethod(m1, 0, 'theirs') },
    { category: 'class methods', ours: editMethod(m1, 0, 'ours'), theirs: editMethod(m1, 0, 'theirs'), conflict: true },
    { category: 'renames', ours: rename(f1, f1 + sfx), theirs: editLine(f3, e0, 'theirs') },
    { category: 'renames', ours: rename(f2, f2 + sfx), theirs: editLine(f2, e2, 'theirs'), theirsFirst: true },
    { category: 'renames', ours: rename(f0, f0 + sfx), theirs: rename(f0, newName(f0)), conflict: true },
    { category: 'deletions', ours: deleteBlock(f3), theirs: editLine(f0, e0, 'theirs') },
    { category: 'deletions', ours: deleteBlock(f1), theirs: editLine(f1, e2, 'theirs'), conflict: true },
    { category: 'deletions', ours: deleteBlock(f2), theirs: addFn(d, 'fresh', f2), theirsFirst: true },
    { category: 'formatting only', ours: wrapSignature(f0), theirs: editLine(f1, e0, 'theirs') },
    { category: 'formatting only', ours: wrapSignature(f2), theirs: editLine(f2, e2, 'theirs') },
    { category: 'formatting only', ours: wrapSignature(f3), theirs: wrapSignature(f3) },
  ];
  if (d === 'py') {
    specs.push({ category: 'decorators', ours: decorate(f0, '@cached'), theirs: editLine(f1, e0, 'theirs') });
    specs.push({
      category: 'decorators',
      ours: decorate(f2, '@cached'),
      theirs: decorate(f2, '@traced'),
      conflict: true,
    });
  } else if (b.iface) {
    specs.push({
      category: 'interfaces',
      ours: addField('ours?: string'),
      theirs: addField('theirs?: number'),
      unordered: true,
    });
    specs.push({
      category: 'interfaces',
      ours: both(addField('count?: number'), addFn(d, cap('extraView'))),
      theirs: editLine(f0, e0, 'theirs'),
      unordered: true,
    });
  }
  if (b.model.tail.some((l) => l.includes('3000'))) {
    specs.push({ category: 'top-level code', ours: editTail('3000', '8080'), theirs: addFn(d, 'health') });
    specs.push({
      category: 'top-level code',
      ours: editTail('3000', '8080'),
      theirs: editTail('3000', '9090'),
      conflict: true,
    });
  }
  return specs;
}

/** Renders the model with `theirs` edits applied and ours's additions after theirs' at each spot. */
function alternative(base: Model, spec: Spec): string {
  return render(apply(base, spec.theirs, spec.ours));
}

export function corpus(): Case[] {
  const cases: Case[] = [];
  for (const b of bases()) {
    specsFor(b).forEach((spec, i) => {
      const ours = apply(b.model, spec.ours);
      const theirs = apply(b.model, spec.theirs);
      const order = spec.theirsFirst ? [spec.theirs, spec.ours] : [spec.ours, spec.theirs];
      const expected = spec.conflict ? null : render(apply(b.model, ...order));
      cases.push({
        id: `${b.id}-${String(i + 1).padStart(2, '0')}`,
        category: spec.category,
        file: `src/${b.id}${extensionOf[b.model.dialect]}`,
        base: render(b.model),
        ours: render(ours),
        theirs: render(theirs),
        expected,
        alternatives: spec.unordered && expected !== null ? [alternative(b.model, spec)] : [],
      });
    });
  }
  return cases;
}
