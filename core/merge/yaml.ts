// YAML merge: a block mapping is cut into entries, one per key (nested block mappings become containers
// of their own keys), and merged by the same entry rules as code: keys as a set, the text of each key
// taken from the side that changed it. The `yaml` library finds the keys; the result must then mean
// what values.ts says the three documents merge to, or it is a conflict.
import type { Pair, YAMLMap } from 'yaml';
import { isMap, isScalar, parseAllDocuments, parse } from 'yaml';
import type { Entry } from './entries.js';
import { joinEntries } from './entries.js';
import { mergeEntries } from './merge-entries.js';
import type { EntryConflict } from './merge-entries.js';
import { lineEnd, lineStart } from './segment.js';
import { Conflict, mergeValues, same } from './values.js';

export interface YamlMerge {
  text: string;
  conflicts: EntryConflict[];
  resolved: string[];
}

/** undefined: a side is not a single block mapping that parses (the caller falls back to lines). */
export function mergeYaml(base: string, ours: string, theirs: string): YamlMerge | undefined {
  const sides = [base, ours, theirs].map(segmentYaml);
  const [b, o, t] = sides;
  if (!b || !o || !t) return undefined;
  const merged = mergeEntries(b, o, t);
  if (merged.conflicts.length > 0) return merged;
  // The judge: the merged text must mean the three-way merge of the three documents' values.
  const want = mergeValues(...([base, ours, theirs].map(value) as [unknown, unknown, unknown]));
  const got = segmentYaml(merged.text) ? value(merged.text) : undefined;
  if (want instanceof Conflict || got === undefined || !same(got, want))
    return {
      ...merged,
      conflicts: [{ symbol: want instanceof Conflict ? want.path : '(file)', kind: 'both-modified' }],
    };
  return merged;
}

function value(text: string): unknown {
  return parse(text) as unknown;
}

/** Entries of a YAML file whose document is one block mapping; undefined otherwise. */
export function segmentYaml(text: string): Entry[] | undefined {
  if (text.trim() === '') return [];
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 1) return undefined;
  const doc = docs[0];
  if (!doc || doc.errors.length > 0 || !isMap(doc.contents) || doc.contents.flow) return undefined;
  const entries = segmentMap(text, doc.contents, 0, text.length, '');
  return entries && joinEntries(entries) === text ? entries : undefined;
}

function segmentMap(text: string, map: YAMLMap, rangeStart: number, rangeEnd: number, scope: string) {
  const entries: Entry[] = [];
  let cursor = rangeStart;
  let pending = rangeStart;
  for (const pair of map.items as Pair[]) {
    const key = pair.key;
    if (!isScalar(key) || !key.range) return undefined;
    const name = String(key.value);
    const start = Math.max(lineStart(text, key.range[0]), cursor);
    const valueRange = (pair.value as { range?: [number, number, number] } | null)?.range;
    const end = Math.min(lineEnd(text, valueRange?.[1] ?? key.range[1]), rangeEnd);
    if (start < cursor || end <= start) return undefined;
    const full = scope ? `${scope}.${name}` : name;
    if (start > pending) entries.push(gap(text, pending, start, `symbol:${name}`));
    const entry: Entry = { key: `symbol:${name}`, kind: 'symbol', name: full, text: text.slice(start, end), start };
    const inner = pair.value;
    if (isMap(inner) && !inner.flow && inner.items.length > 0) {
      const firstKey = (inner.items[0] as Pair).key as { range?: [number, number, number] } | null;
      const headerEnd = firstKey?.range ? lineStart(text, firstKey.range[0]) : -1;
      if (headerEnd > start) {
        const members = segmentMap(text, inner, headerEnd, end, full);
        if (!members) return undefined;
        entry.container = { header: text.slice(start, headerEnd), members, footer: '' };
      }
    }
    entries.push(entry);
    cursor = end;
    pending = end;
  }
  if (pending < rangeEnd) entries.push(gap(text, pending, rangeEnd, 'END'));
  return entries;
}

function gap(text: string, start: number, end: number, next: string): Entry {
  return { key: `gap@${next}`, kind: 'gap', name: '(top-level code)', text: text.slice(start, end), start };
}
