// Three-way merge of one symbol's syntax trees, used when both sides changed the same symbol and a line
// merge of it conflicts (two edits on one line, or on touching lines). It walks base / ours / theirs in
// step: a node one side left alone takes the other side's version; collections merge as sets or ordered
// lists (collections.ts); any other node merges child by child when all three have the same shape.
// Anything else is no answer (undefined): the caller keeps the conflict. It never guesses.
import type { ListView } from './collections.js';
import { listOf } from './collections.js';
import { mergeOrder } from './layout.js';
import { diffLines } from './lines.js';
import type { Tree } from './tree.js';
import { textOf } from './tree.js';

type Three<T> = [T, T, T];

export function mergeTrees(b: Tree, o: Tree, t: Tree, parents?: Three<Tree | undefined>): string | undefined {
  const [bt, ot, tt] = [textOf(b), textOf(o), textOf(t)];
  if (ot === tt) return ot;
  if (bt === ot) return tt;
  if (bt === tt) return ot;
  if (o.type === 'union_type' && t.type === 'union_type' && b.type !== 'union_type') return mergeGrownUnion(b, o, t);
  if (b.type !== o.type || o.type !== t.type) return undefined;
  const lists = [listOf(b, parents?.[0]), listOf(o, parents?.[1]), listOf(t, parents?.[2])];
  const [bl, ol, tl] = lists;
  if (bl && ol && tl) return mergeLists(bl, ol, tl);
  if (lists.some((l) => l !== undefined)) return undefined;
  return mergeChildren(b, o, t);
}

/** `type U = 'a'` that both sides grew into unions: base is a union of one. */
function mergeGrownUnion(b: Tree, o: Tree, t: Tree): string | undefined {
  const [ol, tl] = [listOf(o, undefined), listOf(t, undefined)];
  if (!ol || !tl || ol.kind !== 'set' || tl.kind !== 'set') return undefined;
  const text = textOf(b);
  const single: ListView = {
    kind: 'set',
    prefix: '',
    items: [b],
    separator: undefined,
    suffix: '',
    keys: [text.replace(/\s+/g, ' ').trim()],
    defaultSeparator: ' | ',
  };
  return mergeLists(single, ol, tl);
}

/** Same number and kinds of children on all three sides: merge each child and each gap between them. */
function mergeChildren(b: Tree, o: Tree, t: Tree): string | undefined {
  const n = b.children.length;
  if (n === 0 || o.children.length !== n || t.children.length !== n) return undefined;
  let out = '';
  const cursor: Three<number> = [b.start, o.start, t.start];
  const sides: Three<Tree> = [b, o, t];
  for (let i = 0; i <= n; i++) {
    const kids = sides.map((s) => s.children[i]) as Three<Tree | undefined>;
    const gaps = sides.map((s, k) => s.source.slice(cursor[k], kids[k]?.start ?? s.end)) as Three<string>;
    const gap = pick(...gaps);
    if (gap === undefined) return undefined;
    out += gap;
    const [bk, ok, tk] = kids;
    if (!bk || !ok || !tk) break;
    const merged = mergeTrees(bk, ok, tk, sides);
    if (merged === undefined) return undefined;
    out += merged;
    sides.forEach((_, k) => (cursor[k] = (kids[k] as Tree).end));
  }
  return out;
}

/** Plain three-way choice between texts: one side's change wins over an unchanged side. */
export function pick(b: string, o: string, t: string): string | undefined {
  if (o === t || t === b) return o;
  if (o === b) return t;
  return undefined;
}

function mergeLists(b: ListView, o: ListView, t: ListView): string | undefined {
  const frame = pickFrame(b, o, t);
  if (!frame) return undefined;
  let items: string[] | undefined;
  if (b.kind === 'set' && o.kind === 'set' && t.kind === 'set') items = mergeSet(b, o, t);
  else if (b.keywordsFrom !== undefined && o.keywordsFrom !== undefined && t.keywordsFrom !== undefined) {
    // A Python call: positional arguments in order, then keyword arguments as a set.
    const [bp, op, tp] = [b, o, t].map((v) => positional(v, 0, v.keywordsFrom)) as Three<ListView>;
    const [bk, ok, tk] = [b, o, t].map((v) => positional(v, v.keywordsFrom ?? 0, undefined, 'set')) as Three<ListView>;
    const head = mergeSequence(bp, op, tp);
    const tail = mergeSet(bk, ok, tk);
    items = head && tail ? [...head, ...tail] : undefined;
  } else items = mergeSequence(b, o, t);
  if (!items) return undefined;
  // An emptied list would leave the frame side's separators dangling; let a person look at it.
  if (items.length === 0) return frame.view.items.length === 0 ? frame.view.prefix + frame.view.suffix : undefined;
  return frame.view.prefix + items.join(frame.separator) + frame.view.suffix;
}

function positional(v: ListView, from: number, to: number | undefined, kind = v.kind): ListView {
  return { ...v, kind, items: v.items.slice(from, to), keys: v.keys.slice(from, to) };
}

interface Frame {
  view: ListView;
  separator: string;
}

/**
 * Prefix, suffix and separator come from one side together: the side that changed them, or either when
 * neither did. Both changed them differently (one reformatted, the other reformatted too): no answer.
 */
function pickFrame(b: ListView, o: ListView, t: ListView): Frame | undefined {
  const same = (x: ListView, y: ListView) =>
    x.prefix === y.prefix &&
    x.suffix === y.suffix &&
    (x.separator === undefined || y.separator === undefined || x.separator === y.separator);
  let view: ListView;
  if (same(o, t)) view = o;
  else if (same(b, o)) view = t;
  else if (same(b, t)) view = o;
  else return undefined;
  const separator =
    view.separator ??
    [o, t, b].find((v) => v.separator !== undefined && same(v, view))?.separator ??
    view.defaultSeparator;
  return { view, separator };
}

/** Elements keyed by name: additions from both sides, removals stand, an element both changed merges. */
function mergeSet(b: ListView, o: ListView, t: ListView): string[] | undefined {
  const maps = [b, o, t].map((v) => new Map(v.keys.map((k, i) => [k, v.items[i] as Tree])));
  const [bm, om, tm] = maps as Three<Map<string, Tree>>;
  const texts = new Map<string, string>();
  for (const key of new Set([...b.keys, ...o.keys, ...t.keys])) {
    const [x, y, z] = [bm.get(key), om.get(key), tm.get(key)];
    if (y && z) {
      const merged = x ? mergeTrees(x, y, z) : textOf(y) === textOf(z) ? textOf(y) : undefined;
      if (merged === undefined) return undefined;
      texts.set(key, merged);
    } else if (y ?? z) {
      const only = (y ?? z) as Tree;
      if (!x) texts.set(key, textOf(only));
      // Deleted on one side and changed on the other: a real conflict.
      else if (textOf(x) !== textOf(only)) return undefined;
    }
  }
  return mergeOrder(b.keys, o.keys, t.keys, new Set(texts.keys())).map((k) => texts.get(k) as string);
}

/**
 * Ordered elements: edits at different positions both apply; two edits at one position (or touching
 * ones) are a conflict, except one element that both sides changed in place, which merges recursively.
 */
function mergeSequence(b: ListView, o: ListView, t: ListView): string[] | undefined {
  const [bt, ot, tt] = [b, o, t].map((v) => v.items.map(textOf)) as Three<string[]>;
  if (bt.length === ot.length && ot.length === tt.length) {
    // Nothing inserted or removed: element i is element i on every side.
    const out: string[] = [];
    for (let i = 0; i < bt.length; i++) {
      const merged = mergeTrees(b.items[i] as Tree, o.items[i] as Tree, t.items[i] as Tree);
      if (merged === undefined) return undefined;
      out.push(merged);
    }
    return out;
  }
  const hunks = [
    ...diffLines(bt, ot).map((h) => ({ ...h, side: 1 })),
    ...diffLines(bt, tt).map((h) => ({ ...h, side: 2 })),
  ].sort((x, y) => x.baseStart - y.baseStart || x.baseEnd - y.baseEnd);
  const out: string[] = [];
  let cursor = 0;
  for (let i = 0; i < hunks.length; i++) {
    const h = hunks[i] as (typeof hunks)[number];
    const next = hunks[i + 1];
    out.push(...bt.slice(cursor, h.baseStart));
    const sideItems = h.side === 1 ? ot : tt;
    if (next && next.baseStart <= h.baseEnd) {
      // Both sides touched this spot: only the very same edit, or one element changed in place by both.
      const a = h.side === 1 ? h : next;
      const z = h.side === 1 ? next : h;
      const after = hunks[i + 2];
      if (next.side === h.side || (after && after.baseStart <= Math.max(h.baseEnd, next.baseEnd))) return undefined;
      const oursPart = ot.slice(a.sideStart, a.sideEnd);
      const theirsPart = tt.slice(z.sideStart, z.sideEnd);
      const sameRange = a.baseStart === z.baseStart && a.baseEnd === z.baseEnd;
      if (!sameRange) return undefined;
      if (oursPart.join('\0') === theirsPart.join('\0')) out.push(...oursPart);
      else if (a.baseEnd - a.baseStart === 1 && oursPart.length === 1 && theirsPart.length === 1) {
        const merged = mergeTrees(
          b.items[a.baseStart] as Tree,
          o.items[a.sideStart] as Tree,
          t.items[z.sideStart] as Tree,
        );
        if (merged === undefined) return undefined;
        out.push(merged);
      } else return undefined;
      cursor = a.baseEnd;
      i++;
      continue;
    }
    out.push(...sideItems.slice(h.sideStart, h.sideEnd));
    cursor = h.baseEnd;
  }
  out.push(...bt.slice(cursor));
  return out;
}
