// Three-way merge of one symbol's syntax trees, used when both sides changed the same symbol and a line
// merge of it conflicts (two edits on one line, or on touching lines). It walks base / ours / theirs in
// step: a node one side left alone takes the other side's version; collections merge as sets or ordered
// lists (collections.ts); any other node merges child by child when all three have the same shape.
// Anything else is no answer (undefined): the caller keeps the conflict. It never guesses.
import type { ListView } from './collections.js';
import { listOf } from './collections.js';
import { groupDecorators } from './decorator-runs.js';
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
    separators: [],
    mixed: false,
    suffix: '',
    keys: [text.replace(/\s+/g, ' ').trim()],
    defaultSeparator: ' | ',
  };
  return mergeLists(single, ol, tl);
}

/** Same number and kinds of children on all three sides: merge each child and each gap between them. */
function mergeChildren(b: Tree, o: Tree, t: Tree): string | undefined {
  const children = groupDecorators([b.children, o.children, t.children]);
  const n = children[0].length;
  if (n === 0 || children[1].length !== n || children[2].length !== n) return undefined;
  let out = '';
  let runStart = 0;
  const cursor: Three<number> = [b.start, o.start, t.start];
  const sides: Three<Tree> = [b, o, t];
  for (let i = 0; i <= n; i++) {
    const kids = children.map((c) => c[i]) as Three<Tree | undefined>;
    const gaps = sides.map((s, k) => s.source.slice(cursor[k], kids[k]?.start ?? s.end)) as Three<string>;
    const gap = pick(...gaps);
    if (gap === undefined) return undefined;
    // Decorators run straight into what they decorate (one side removed its only one): no answer.
    if (gap === '' && runBefore(children[0], i) && out.length > runStart) return undefined;
    out += gap;
    runStart = out.length;
    const [bk, ok, tk] = kids;
    if (!bk || !ok || !tk) break;
    const merged = mergeTrees(bk, ok, tk, sides);
    if (merged === undefined) return undefined;
    out += merged;
    sides.forEach((_, k) => (cursor[k] = (kids[k] as Tree).end));
  }
  return out;
}

const runBefore = (children: Tree[], i: number) => i > 0 && children[i - 1]?.type === '(decorators)';

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
  if (b.kind === 'set' && o.kind === 'set' && t.kind === 'set') {
    if ([b, o, t].some((v) => v.strictOrder) && !orderIsClear(b.keys, o.keys, t.keys)) return undefined;
    const keyed = mergeSetKeyed(b, o, t);
    if (keyed && [b, o, t].some((v) => v.mixed)) return joinMixed(keyed, frame, [o, t, b]);
    items = keyed?.map((k) => k.text);
  } else if (b.keywordsFrom !== undefined && o.keywordsFrom !== undefined && t.keywordsFrom !== undefined) {
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

/**
 * A list whose elements are separated in different ways: each element is followed by the separator
 * that followed it on a side that has it there (the frame side first), so `@Override` keeps its line.
 */
function joinMixed(items: Keyed[], frame: Frame, views: ListView[]): string | undefined {
  if (items.length === 0) return frame.view.items.length === 0 ? frame.view.prefix + frame.view.suffix : undefined;
  const order = [frame.view, ...views];
  const after = (key: string): string => {
    for (const v of order) {
      const i = v.keys.indexOf(key);
      if (i >= 0 && i < v.separators.length) return v.separators[i] as string;
    }
    for (const v of order) {
      const i = v.keys.indexOf(key);
      if (i > 0) return v.separators[i - 1] as string;
    }
    return frame.separator;
  };
  const body = items.map((item, i) => (i < items.length - 1 ? item.text + after(item.key) : item.text)).join('');
  return frame.view.prefix + body + frame.view.suffix;
}

/**
 * For lists whose order matters: neither side reordered what it kept, and no two elements the sides
 * added sit after the same element (which comes first would be a guess).
 */
function orderIsClear(b: string[], o: string[], t: string[]): boolean {
  const inBase = new Set(b);
  const keptInOrder = (side: string[]) => {
    const kept = side.filter((k) => inBase.has(k));
    const baseKept = b.filter((k) => kept.includes(k));
    return kept.every((k, i) => baseKept[i] === k);
  };
  if (!keptInOrder(o) || !keptInOrder(t)) return false;
  const anchors = (side: string[], other: string[]) => {
    const out = new Map<string, string>();
    let anchor = '(start)';
    for (const k of side) {
      if (inBase.has(k)) anchor = k;
      else if (!other.includes(k)) out.set(anchor, k);
    }
    return out;
  };
  const [oa, ta] = [anchors(o, t), anchors(t, o)];
  return [...oa.keys()].every((anchor) => !ta.has(anchor));
}

interface Keyed {
  key: string;
  text: string;
}

function mergeSet(b: ListView, o: ListView, t: ListView): string[] | undefined {
  return mergeSetKeyed(b, o, t)?.map((k) => k.text);
}

/** Elements keyed by name: additions from both sides, removals stand, an element both changed merges. */
function mergeSetKeyed(b: ListView, o: ListView, t: ListView): Keyed[] | undefined {
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
  return mergeOrder(b.keys, o.keys, t.keys, new Set(texts.keys())).map((key) => ({
    key,
    text: texts.get(key) as string,
  }));
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
