// The acceptance check on a clean structural merge. "It still parses" is necessary but not enough
// (tree-sitter recovers from many errors, and a merge can drop or duplicate a definition and still
// parse), so the merged file must also have exactly the symbols, class members and collection elements
// the three-way rule asks for: an element is in the result when both sides have it, or when it is new
// (not in base) on either side. A merge that fails the check becomes a conflict.
import { listOf } from './collections.js';
import type { Entry } from './entries.js';
import type { LanguageId } from './languages.js';
import type { TreeSource } from './merge-entries.js';
import { withParse } from './parser.js';
import { segmentRoot } from './segment.js';
import type { Tree } from './tree.js';
import { rangeTree, snapshot } from './tree.js';

type Three<T> = [T, T, T];

export type Verdict = 'accepted' | 'unparsable' | 'rejected';

export function acceptMerge(merged: string, language: LanguageId, sides: Three<Entry[]>, trees: TreeSource): Verdict {
  // One parse serves both the symbol check and the element check; withParse refuses any tree with
  // ERROR or MISSING nodes.
  const parsed = withParse(merged, language, (node) => ({
    root: snapshot(node, merged),
    result: segmentRoot(merged, node),
  }));
  if (!parsed) return 'unparsable';
  const { root, result } = parsed;
  const resultTree = (entry: Entry) => rangeTree(root, entry.start, entry.start + entry.text.length);
  return entriesAgree(sides, result, trees, resultTree) ? 'accepted' : 'rejected';
}

function entriesAgree(
  sides: Three<readonly Entry[]>,
  result: readonly Entry[],
  trees: TreeSource,
  resultTree: (e: Entry) => Tree,
): boolean {
  const named = (list: readonly Entry[]) => new Map(list.filter((e) => e.kind !== 'gap').map((e) => [e.key, e]));
  const [b, o, t] = sides.map(named) as Three<Map<string, Entry>>;
  const r = named(result);
  const want = expected(new Set(b.keys()), new Set(o.keys()), new Set(t.keys()));
  // An import one side removed stays when the other side added names to it (their elements are checked).
  const extraImport = (key: string) => r.get(key)?.kind === 'import' && b.has(key) && (o.has(key) || t.has(key));
  // An import added where an identical one already is comes out once (duplicates.ts).
  const squash = (e: Entry) => e.text.trim().replace(/\s+/g, ' ');
  const keptImports = new Set([...r.values()].filter((e) => e.kind === 'import').map(squash));
  const repeated = (key: string) => {
    const added = o.get(key) ?? t.get(key);
    return added?.kind === 'import' && !b.has(key) && keptImports.has(squash(added));
  };
  if (![...want].every((k) => r.has(k) || repeated(k)) || ![...r.keys()].every((k) => want.has(k) || extraImport(k)))
    return false;
  for (const [key, entry] of r) {
    const [be, oe, te] = [b.get(key), o.get(key), t.get(key)];
    // Taken whole from the only side that changed it: nothing was combined inside it.
    const unchanged = (e: Entry | undefined) => e?.text === be?.text;
    if ((entry.text === oe?.text && unchanged(te)) || (entry.text === te?.text && unchanged(oe))) continue;
    if (entry.text === oe?.text && entry.text === te?.text) continue;
    if (be?.container && oe?.container && te?.container && entry.container) {
      const members: Three<Entry[]> = [be.container.members, oe.container.members, te.container.members];
      if (!entriesAgree(members, entry.container.members, trees, resultTree)) return false;
      continue;
    }
    const elements = ([be, oe, te] as const).map((e, side) => {
      const tree = e && trees(side as 0 | 1 | 2, e);
      return tree ? elementsOf(tree) : new Set<string>();
    }) as Three<Set<string>>;
    if (!sameSet(expected(...elements), elementsOf(resultTree(entry)))) return false;
  }
  return true;
}

/** The three-way rule on sets: kept by both sides, or added by either. */
function expected(b: Set<string>, o: Set<string>, t: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const x of new Set([...o, ...t])) if ((o.has(x) && t.has(x)) || !b.has(x)) out.add(x);
  return out;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Every element of every set-like collection, named by the keys of the collections around it. */
export function elementsOf(tree: Tree): Set<string> {
  const out = new Set<string>();
  const walk = (node: Tree, parent: Tree | undefined, path: string) => {
    const list = listOf(node, parent);
    if (list?.kind === 'set') {
      list.items.forEach((item, i) => {
        const here = `${path}/${node.type}>${list.keys[i] ?? ''}`;
        out.add(here);
        walk(item, node, here);
      });
      return;
    }
    for (const child of node.children) walk(child, node, path);
  };
  walk(tree, undefined, '');
  return out;
}
