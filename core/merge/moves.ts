// Moved symbols. A symbol one side moved to another parent (a function into an `impl` or a class, a
// method out to the top level) keeps its key but not its path, so entry by entry it looks deleted in
// one place and added in another, and the other side's edit of it would conflict (delete / modify).
// Here a move is found by name and kind across parents: the other side's edit is merged into the moved
// copy (re-indented to its new place) and the old place counts as deleted on both sides. Two sides
// moving one symbol to different places is a conflict; so is a move against a deletion.
// Moves within one parent need nothing here: the key is unchanged and the order rules place it.
import type { Entry } from './entries.js';
import { joinEntries } from './entries.js';
import { mergeLines } from './lines.js';
import type { EntryConflict } from './merge-entries.js';

interface Located {
  /** Keys of the containers from the top of the file down to the entry's list. */
  path: string[];
  entry: Entry;
}

export interface FollowedMoves {
  ours: Entry[];
  theirs: Entry[];
  conflicts: EntryConflict[];
}

export function followMoves(base: Entry[], ours: Entry[], theirs: Entry[]): FollowedMoves {
  const out: FollowedMoves = { ours, theirs, conflicts: [] };
  const b = locate(base);
  for (const [mover, other] of [['ours', 'theirs'] as const, ['theirs', 'ours'] as const]) {
    for (const move of movesOf(b, locate(out[mover]))) {
      const elsewhere = movesOf(b, locate(out[other])).find((m) => m.from === move.from);
      const kept = find(locate(out[other]), move.from);
      if (elsewhere) {
        if (pathKey(elsewhere.to) !== pathKey(move.to) && mover === 'ours')
          out.conflicts.push({ symbol: move.from.entry.name, kind: 'both-moved' });
        continue;
      }
      if (!kept) {
        out.conflicts.push({ symbol: move.from.entry.name, kind: 'delete-modify' });
        continue;
      }
      if (kept.entry.text === move.from.entry.text) continue; // moved, not edited: the entry rules suffice
      const merged = mergeMoved(move.from.entry.text, move.to.entry.text, kept.entry.text);
      if (merged === undefined) {
        out.conflicts.push({ symbol: move.from.entry.name, kind: 'both-modified' });
        continue;
      }
      out[mover] = rewrite(out[mover], move.to, merged);
      out[other] = rewrite(out[other], kept, undefined);
    }
  }
  return out;
}

interface Move {
  from: Located;
  to: Located;
}

/** Symbols of base missing from their place on `side` and found, once, under another parent there. */
function movesOf(base: Located[], side: Located[]): Move[] {
  const moves: Move[] = [];
  const at = new Set(side.map(pathKey));
  const baseAt = new Set(base.map(pathKey));
  for (const from of base) {
    if (from.entry.kind !== 'symbol' || from.entry.key.includes('#') || at.has(pathKey(from))) continue;
    const same = (l: Located) => l.entry.kind === 'symbol' && l.entry.key === from.entry.key;
    const targets = side.filter((l) => same(l) && !baseAt.has(pathKey(l)));
    const sources = base.filter((l) => same(l) && !at.has(pathKey(l)));
    const to = targets[0];
    if (to && targets.length === 1 && sources.length === 1) moves.push({ from, to });
  }
  return moves;
}

function locate(entries: readonly Entry[], path: string[] = []): Located[] {
  return entries.flatMap((entry) => [
    { path, entry },
    ...(entry.container ? locate(entry.container.members, [...path, entry.key]) : []),
  ]);
}

const pathKey = (l: Located) => [...l.path, l.entry.key].join('\u0000');

function find(list: Located[], like: Located): Located | undefined {
  return list.find((l) => pathKey(l) === pathKey(like));
}

/** Three-way merge of the moved text with the other side's edit, compared without indentation. */
function mergeMoved(base: string, moved: string, edited: string): string | undefined {
  const merged = mergeLines(dedent(base), dedent(moved), dedent(edited));
  if (merged.conflicts > 0) return undefined;
  return indent(merged.text, indentOf(moved));
}

function indentOf(text: string): string {
  const widths = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => /^[ \t]*/.exec(l)?.[0] ?? '');
  return widths.reduce((a, w) => (w.length < a.length ? w : a), widths[0] ?? '');
}

function dedent(text: string): string {
  const cut = indentOf(text).length;
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? l.trimStart() : l.slice(cut)))
    .join('\n');
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? l : by + l))
    .join('\n');
}

/** The entries with the one at `target` given new text (or removed), containers' texts rebuilt. */
function rewrite(entries: readonly Entry[], target: Located, text: string | undefined): Entry[] {
  const [head, ...rest] = target.path;
  if (head === undefined) {
    return entries.flatMap((e) => {
      if (e.key !== target.entry.key) return [e];
      return text === undefined ? [] : [{ ...e, text, container: undefined, moved: true }];
    });
  }
  return entries.map((e) => {
    if (e.key !== head || !e.container) return e;
    const members = rewrite(e.container.members, { path: rest, entry: target.entry }, text);
    const container = { ...e.container, members };
    return { ...e, container, text: container.header + joinEntries(members) + container.footer, moved: true };
  });
}
