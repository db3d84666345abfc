// The three-way rules, applied entry by entry (symbols, imports, gaps between them):
//   changed on one side only -> that side; same change on both -> once;
//   both changed differently -> merge members (classes), names (imports) or lines, else a conflict;
//   added on both sides differently, or deleted on one side and changed on the other -> a conflict.
import type { Entry } from './entries.js';
import { dropRepeatedImports, shareAddedGaps } from './duplicates.js';
import { alignGaps } from './gaps.js';
import { mergeOrder } from './layout.js';
import { mergeReindented } from './reindent.js';
import { alignRenames } from './renames.js';
import { conflictBlock, mergeLines, splitLines } from './lines.js';
import type { ConflictKind } from './result.js';
import { mergeSpecifiers } from './specifiers.js';
import type { Tree } from './tree.js';
import { mergeTrees } from './tree-merge.js';

/**
 * The syntax nodes of an entry on one side (0 base, 1 ours, 2 theirs), for the tree merge. With
 * `treesFirst`, symbols both sides changed are merged by their trees even where a line merge is clean
 * (the second attempt, after a line merge's result failed the acceptance check).
 */
export type TreeSource = ((side: 0 | 1 | 2, entry: Entry) => Tree | undefined) & { treesFirst?: boolean };

export interface EntryConflict {
  symbol: string;
  kind: ConflictKind;
}

export interface EntriesMerge {
  text: string;
  conflicts: EntryConflict[];
  /** Symbols both sides changed that still merged cleanly. */
  resolved: string[];
}

interface Decision {
  keep: boolean;
  text: string;
}

export function mergeEntries(
  base: readonly Entry[],
  oursIn: readonly Entry[],
  theirsIn: readonly Entry[],
  trees?: TreeSource,
): EntriesMerge {
  const ours = alignGaps(base, alignRenames(base, oursIn, theirsIn));
  const theirs = shareAddedGaps(base, ours, alignGaps(base, alignRenames(base, theirsIn, oursIn)));
  const b = byKey(base);
  const o = byKey(ours);
  const t = byKey(theirs);
  const acc: EntriesMerge = { text: '', conflicts: [], resolved: [] };
  const decisions = new Map<string, Decision>();
  for (const key of new Set([...b.keys(), ...o.keys(), ...t.keys()])) {
    decisions.set(key, decide(b.get(key), o.get(key), t.get(key), acc, trees));
  }
  const keep = new Set([...decisions].filter(([, d]) => d.keep).map(([k]) => k));
  const imports = new Set([...ours, ...theirs, ...base].filter((e) => e.kind === 'import').map((e) => e.key));
  const order = dropRepeatedImports(
    mergeOrder(keys(base), keys(ours), keys(theirs), keep),
    (k) => decisions.get(k)?.text ?? '',
    (k) => imports.has(k),
    (k) => b.has(k),
  );
  acc.text = joinTexts(order.map((k) => decisions.get(k)?.text ?? ''));
  return acc;
}

function byKey(entries: readonly Entry[]): Map<string, Entry> {
  return new Map(entries.map((e) => [e.key, e]));
}

function keys(entries: readonly Entry[]): string[] {
  return entries.map((e) => e.key);
}

/** Joins entry texts, making sure an entry without a final newline does not run into the next one. */
function joinTexts(texts: string[]): string {
  let out = '';
  for (const text of texts) {
    if (text === '') continue;
    if (out !== '' && !out.endsWith('\n')) out += '\n';
    out += text;
  }
  return out;
}

const dropped: Decision = { keep: false, text: '' };
const kept = (text: string): Decision => ({ keep: true, text });

function decide(
  b: Entry | undefined,
  o: Entry | undefined,
  t: Entry | undefined,
  acc: EntriesMerge,
  trees: TreeSource | undefined,
): Decision {
  if (o && t) {
    if (o.text === t.text) return kept(o.text);
    if (b && b.text === o.text) return kept(t.text);
    if (b && b.text === t.text) return kept(o.text);
    return mergeBothChanged(b, o, t, acc, trees);
  }
  const only = o ?? t;
  if (!only) return dropped; // deleted on both sides (or never there)
  if (!b) return kept(only.text); // added on one side
  if (b.text === only.text) return dropped; // deleted on one side, untouched on the other
  if (only.kind === 'import') {
    // A side that dropped the import keeps its removals; names the other side added survive.
    const merged = mergeSpecifiers(b, o, t);
    if (merged !== undefined) return resolvedAs(merged, only, acc);
  }
  return conflict(o, b, t, 'delete-modify', acc);
}

function mergeBothChanged(
  b: Entry | undefined,
  o: Entry,
  t: Entry,
  acc: EntriesMerge,
  trees: TreeSource | undefined,
): Decision {
  if (o.kind === 'import' && t.kind === 'import') {
    const merged = mergeSpecifiers(b, o, t);
    if (merged !== undefined) return resolvedAs(merged, o, acc);
  }
  if (!b) {
    if (o.kind === 'gap') return lineMerged('', o, t, acc);
    return conflict(o, b, t, 'both-added', acc);
  }
  if (b.container && o.container && t.container) return mergeContainers(b, o, t, acc, trees);
  if (trees?.treesFirst) {
    const merged = treeMerged(b, o, t, trees);
    if (merged !== undefined) return resolvedAs(merged, o, acc);
  }
  // Git's answer where git has one; the syntax trees where lines collide (two edits on one line).
  const lines = mergeLines(b.text, o.text, t.text);
  if (lines.conflicts === 0) return resolvedAs(lines.text, o, acc);
  const merged = treeMerged(b, o, t, trees) ?? mergeReindented(b.text, o.text, t.text);
  if (merged !== undefined) return resolvedAs(merged, o, acc);
  acc.conflicts.push({ symbol: o.name, kind: 'both-modified' });
  return kept(lines.text);
}

function treeMerged(b: Entry, o: Entry, t: Entry, trees: TreeSource | undefined): string | undefined {
  if (!trees) return undefined;
  const [bt, ot, tt] = [trees(0, b), trees(1, o), trees(2, t)];
  return bt && ot && tt ? mergeTrees(bt, ot, tt) : undefined;
}

/** Classes and interfaces: header and footer merge as lines, members merge as entries. */
function mergeContainers(b: Entry, o: Entry, t: Entry, acc: EntriesMerge, trees: TreeSource | undefined): Decision {
  const [bc, oc, tc] = [b.container, o.container, t.container];
  if (!bc || !oc || !tc) return lineMerged(b.text, o, t, acc);
  const header = mergeHeader(b, o, t, trees);
  const footer = mergeLines(bc.footer, oc.footer, tc.footer);
  const members = mergeEntries(bc.members, oc.members, tc.members, trees);
  if (header.conflicts > 0 || footer.conflicts > 0) acc.conflicts.push({ symbol: o.name, kind: 'both-modified' });
  acc.conflicts.push(...members.conflicts);
  acc.resolved.push(...members.resolved);
  return kept(header.text + members.text + footer.text);
}

/**
 * A class header both sides changed (`implements A, B` grown on both, a modifier added on one and an
 * annotation on the other): lines first, then the syntax of the header alone (its lists merge as sets).
 */
function mergeHeader(b: Entry, o: Entry, t: Entry, trees: TreeSource | undefined) {
  const [bh, oh, th] = [b, o, t].map((e) => e.container?.header ?? '') as [string, string, string];
  const lines = mergeLines(bh, oh, th);
  if (lines.conflicts === 0 || !trees) return lines;
  const part = (e: Entry, header: string): Entry => ({ ...e, text: header, container: undefined });
  const merged = treeMerged(part(b, bh), part(o, oh), part(t, th), trees);
  return merged === undefined ? lines : { text: merged, conflicts: 0 };
}

function lineMerged(base: string, o: Entry, t: Entry, acc: EntriesMerge): Decision {
  const merged = mergeLines(base, o.text, t.text);
  if (merged.conflicts > 0) {
    acc.conflicts.push({ symbol: o.name, kind: base === '' ? 'both-added' : 'both-modified' });
    return kept(merged.text);
  }
  return resolvedAs(merged.text, o, acc);
}

function resolvedAs(text: string, entry: Entry, acc: EntriesMerge): Decision {
  if (entry.kind !== 'gap') acc.resolved.push(entry.name);
  return text === '' ? dropped : kept(text);
}

function conflict(
  o: Entry | undefined,
  b: Entry | undefined,
  t: Entry | undefined,
  kind: ConflictKind,
  acc: EntriesMerge,
): Decision {
  const named = (o ?? t ?? b) as Entry;
  acc.conflicts.push({ symbol: named.name, kind });
  const lines = (e: Entry | undefined) => (e ? splitLines(e.text) : []);
  return kept(conflictBlock(lines(o), lines(b), lines(t)).join(''));
}
