// Three-way merge of plain data (what a JSON or YAML file means): objects as sets of keys, arrays as
// ordered lists (edits at different places combine; at one place they conflict), anything else as a
// whole. It is the judge of the JSON and YAML merges: their text must mean exactly this value.
import { diffLines } from './lines.js';

export type Value = unknown;

/** The merged value, or a `Conflict` naming the first path both sides changed differently. */
export class Conflict {
  constructor(readonly path: string) {}
}

const absent = Symbol('absent');
type Slot = Value | typeof absent;

export function mergeValues(base: Value, ours: Value, theirs: Value): Value | Conflict {
  const merged = mergeSlot(base, ours, theirs, '');
  return merged === absent ? undefined : merged;
}

function mergeSlot(b: Slot, o: Slot, t: Slot, path: string): Slot | Conflict {
  if (same(o, t)) return o;
  if (same(b, o)) return t;
  if (same(b, t)) return o;
  if (isObject(b) && isObject(o) && isObject(t)) {
    const out: Record<string, Value> = {};
    for (const key of new Set([...Object.keys(o), ...Object.keys(t)])) {
      const merged = mergeSlot(slot(b, key), slot(o, key), slot(t, key), `${path}/${key}`);
      if (merged instanceof Conflict) return merged;
      if (merged !== absent) out[key] = merged;
    }
    return out;
  }
  if (Array.isArray(b) && Array.isArray(o) && Array.isArray(t)) return mergeArrays(b, o, t, path);
  return new Conflict(path || '/');
}

function slot(object: Record<string, Value>, key: string): Slot {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : absent;
}

function mergeArrays(b: Value[], o: Value[], t: Value[], path: string): Value[] | Conflict {
  if (b.length === o.length && o.length === t.length) {
    const out: Value[] = [];
    for (let i = 0; i < b.length; i++) {
      const merged = mergeSlot(b[i], o[i], t[i], `${path}/${i}`);
      if (merged instanceof Conflict) return merged;
      out.push(merged);
    }
    return out;
  }
  const [bs, os, ts] = [b, o, t].map((a) => a.map((v) => canonical(v)));
  const hunks = [
    ...diffLines(bs as string[], os as string[]).map((h) => ({ ...h, items: o })),
    ...diffLines(bs as string[], ts as string[]).map((h) => ({ ...h, items: t })),
  ].sort((x, y) => x.baseStart - y.baseStart || x.baseEnd - y.baseEnd);
  const out: Value[] = [];
  let cursor = 0;
  for (let i = 0; i < hunks.length; i++) {
    const h = hunks[i] as (typeof hunks)[number];
    const next = hunks[i + 1];
    // Two edits at one place (or touching places) in a list: which order is right is not knowable.
    if (next && next.baseStart <= h.baseEnd) {
      const a = h.items.slice(h.sideStart, h.sideEnd);
      const z = next.items.slice(next.sideStart, next.sideEnd);
      if (h.baseStart !== next.baseStart || h.baseEnd !== next.baseEnd || canonical(a) !== canonical(z))
        return new Conflict(`${path}/${h.baseStart}`);
      i++;
    }
    out.push(...b.slice(cursor, h.baseStart), ...h.items.slice(h.sideStart, h.sideEnd));
    cursor = h.baseEnd;
  }
  out.push(...b.slice(cursor));
  return out;
}

function isObject(v: Slot): v is Record<string, Value> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Same meaning: key order in objects does not count, array order does. */
export function same(a: Slot, b: Slot): boolean {
  if (a === absent || b === absent) return a === b;
  return canonical(a) === canonical(b);
}

function canonical(v: Value): string {
  return JSON.stringify(v, (_key, value: Value) =>
    isObject(value)
      ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : value,
  );
}
