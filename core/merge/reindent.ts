// One side re-indented a symbol's code (wrapped it in a block, moved it one level in or out), the other
// side edited it: nearly every line differs between the two, so a line merge conflicts. Here the sides
// are compared without leading whitespace: the re-indenting side's own changes (the new `if (...) {`
// and `}` lines) and the editor's changes must not overlap; lines the editor kept take the re-indented
// version, lines it wrote get the indentation change of the line they replace (or follow).
import type { Hunk } from './lines.js';
import { diffLines, splitLines } from './lines.js';

/** The merge, or undefined when neither side re-indents or the two sides' changes collide. */
export function mergeReindented(base: string, ours: string, theirs: string): string | undefined {
  return replay(base, ours, theirs) ?? replay(base, theirs, ours);
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)?.[0] ?? '';
const trimmed = (lines: string[]) => lines.map((l) => l.trimStart());

interface Tagged extends Hunk {
  side: 'shifter' | 'editor';
}

function replay(base: string, shifted: string, edited: string): string | undefined {
  const [b, s, e] = [splitLines(base), splitLines(shifted), splitLines(edited)];
  const shifts = diffLines(trimmed(b), trimmed(s));
  const map = unchangedMap(shifts, b.length);
  const reindents = [...map].some(([bi, si]) => b[bi] !== s[si]);
  if (!reindents) return undefined;
  const hunks: Tagged[] = [
    ...shifts.map((h) => ({ ...h, side: 'shifter' as const })),
    ...diffLines(b, e).map((h) => ({ ...h, side: 'editor' as const })),
  ].sort((x, y) => x.baseStart - y.baseStart || x.baseEnd - y.baseEnd || (x.side === 'shifter' ? -1 : 1));
  if (!separate(hunks)) return undefined;
  const out: string[] = [];
  let cursor = 0;
  for (const h of hunks) {
    for (let i = cursor; i < h.baseStart; i++) out.push(s[map.get(i) as number] as string);
    if (h.side === 'shifter') out.push(...s.slice(h.sideStart, h.sideEnd));
    else {
      const anchor = h.baseStart < h.baseEnd || h.baseStart === 0 ? h.baseStart : h.baseStart - 1;
      const si = map.get(anchor);
      if (si === undefined) return undefined;
      const shift = shiftOf(b[anchor] ?? '', s[si] ?? '');
      for (const line of e.slice(h.sideStart, h.sideEnd)) {
        const moved = shift(line);
        if (moved === undefined) return undefined;
        out.push(moved);
      }
    }
    cursor = Math.max(cursor, h.baseEnd);
  }
  for (let i = cursor; i < b.length; i++) out.push(s[map.get(i) as number] as string);
  return out.join('');
}

/** Base line -> re-indented side's line, for the lines that side kept (ignoring indentation). */
function unchangedMap(hunks: Hunk[], baseLength: number): Map<number, number> {
  const map = new Map<number, number>();
  let [bi, si] = [0, 0];
  for (const h of [...hunks, { baseStart: baseLength, baseEnd: baseLength, sideStart: 0, sideEnd: 0 }]) {
    while (bi < h.baseStart) map.set(bi++, si++);
    bi = h.baseEnd;
    si = h.sideEnd;
  }
  return map;
}

/**
 * No two changes of different sides overlap or touch, except a line block the re-indenting side only
 * inserted right before or after a block the editor replaced (`if (x) {` above an edited line).
 */
function separate(sorted: Tagged[]): boolean {
  const pairs = sorted.flatMap((p, i) => sorted.slice(i + 1).map((h) => [p, h] as const));
  for (const [p, h] of pairs) {
    if (h.baseStart > p.baseEnd || p.side === h.side) continue;
    const insert = p.baseStart === p.baseEnd ? p : h.baseStart === h.baseEnd ? h : undefined;
    const other = insert === p ? h : p;
    const clean = insert?.side === 'shifter' && other.baseStart < other.baseEnd;
    const atEdge = insert && (insert.baseStart === other.baseStart || insert.baseStart === other.baseEnd);
    if (!clean || !atEdge) return false;
  }
  return true;
}

/** How the re-indenting side changed one line's indentation, as a function on other lines. */
function shiftOf(before: string, after: string): (line: string) => string | undefined {
  const [from, to] = [indentOf(before), indentOf(after)];
  if (to.startsWith(from)) {
    const extra = to.slice(from.length);
    return (l) => (l.trim() === '' ? l : extra + l);
  }
  if (from.startsWith(to)) {
    const cut = from.length - to.length;
    return (l) => (l.trim() === '' ? l : /^[ \t]*$/.test(l.slice(0, cut)) ? l.slice(cut) : undefined);
  }
  return () => undefined;
}
