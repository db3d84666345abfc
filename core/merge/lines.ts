// Line diff (Myers) and a git-style three-way line merge (diff3). Used inside one symbol changed on
// both sides, for text between symbols, and as the whole-file fallback for unsupported languages.
// Like git, changes that overlap *or touch* conflict: merging adjacent edits is where wrong merges hide.

/** Splits text into lines that keep their line ending, so joining them gives the text back exactly. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      lines.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** A changed region: base lines [baseStart, baseEnd) became side lines [sideStart, sideEnd). */
export interface Hunk {
  baseStart: number;
  baseEnd: number;
  sideStart: number;
  sideEnd: number;
}

/** Myers' O(ND) diff; returns the changed regions of `side` relative to `base`. */
export function diffLines(base: readonly string[], side: readonly string[]): Hunk[] {
  let prefix = 0;
  while (prefix < base.length && prefix < side.length && base[prefix] === side[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < base.length - prefix &&
    suffix < side.length - prefix &&
    base[base.length - 1 - suffix] === side[side.length - 1 - suffix]
  ) {
    suffix++;
  }
  const a = base.slice(prefix, base.length - suffix);
  const b = side.slice(prefix, side.length - suffix);
  return myersHunks(a, b).map((h) => ({
    baseStart: h.baseStart + prefix,
    baseEnd: h.baseEnd + prefix,
    sideStart: h.sideStart + prefix,
    sideEnd: h.sideEnd + prefix,
  }));
}

/** Past this many edits the diff gives up and reports one changed block (more conflicts, never wrong). */
const MAX_EDITS = 3000;

/** One step of the Myers search: furthest x per diagonal k, stored for k in [-d-1, d+1]. */
interface Frontier {
  d: number;
  xs: Int32Array;
}

const at = (f: Frontier, k: number): number => f.xs[k + f.d + 1] ?? 0;

function myersHunks(a: readonly string[], b: readonly string[]): Hunk[] {
  const n = a.length;
  const m = b.length;
  const whole = [{ baseStart: 0, baseEnd: n, sideStart: 0, sideEnd: m }];
  if (n === 0 && m === 0) return [];
  if (n === 0 || m === 0) return whole;
  const trace: Frontier[] = [];
  let prev: Frontier = { d: 0, xs: new Int32Array(3) };
  const limit = Math.min(n + m, MAX_EDITS);
  for (let d = 0; d <= limit; d++) {
    const cur: Frontier = { d, xs: new Int32Array(2 * d + 3) };
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && at(prev, k - 1) < at(prev, k + 1)) ? at(prev, k + 1) : at(prev, k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      cur.xs[k + d + 1] = x;
      if (x >= n && y >= m) {
        trace.push(cur);
        return backtrack(trace, n, m, a, b);
      }
    }
    trace.push(cur);
    prev = cur;
  }
  return whole;
}

/** Walks the Myers trace back from (n, m), collecting matched line pairs, then groups the gaps into hunks. */
function backtrack(trace: Frontier[], n: number, m: number, a: readonly string[], b: readonly string[]): Hunk[] {
  const pairs: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1] as Frontier;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(prev, k - 1) < at(prev, k + 1)) ? k + 1 : k - 1;
    const prevX = at(prev, prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      pairs.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0 && a[x - 1] === b[y - 1]) {
    x--;
    y--;
    pairs.push([x, y]);
  }
  pairs.reverse();
  const hunks: Hunk[] = [];
  let bi = 0;
  let si = 0;
  for (const [pb, ps] of [...pairs, [n, m] as [number, number]]) {
    if (pb > bi || ps > si) hunks.push({ baseStart: bi, baseEnd: pb, sideStart: si, sideEnd: ps });
    bi = pb + 1;
    si = ps + 1;
  }
  return hunks;
}

export interface LineMergeResult {
  /** Merged text; contains conflict markers when `conflicts` > 0. */
  text: string;
  conflicts: number;
}

export interface MarkerLabels {
  ours: string;
  base: string;
  theirs: string;
}

const defaultLabels: MarkerLabels = { ours: 'ours', base: 'base', theirs: 'theirs' };

interface SideHunk extends Hunk {
  side: 'ours' | 'theirs';
}

/** Three-way line merge of whole texts, git-style (diff3 conflict markers). */
export function mergeLines(
  base: string,
  ours: string,
  theirs: string,
  labels: MarkerLabels = defaultLabels,
): LineMergeResult {
  if (ours === theirs) return { text: ours, conflicts: 0 };
  if (base === ours) return { text: theirs, conflicts: 0 };
  if (base === theirs) return { text: ours, conflicts: 0 };
  const b = splitLines(base);
  const o = splitLines(ours);
  const t = splitLines(theirs);
  const hunks: SideHunk[] = [
    ...diffLines(b, o).map((h) => ({ ...h, side: 'ours' as const })),
    ...diffLines(b, t).map((h) => ({ ...h, side: 'theirs' as const })),
  ].sort((x, y) => x.baseStart - y.baseStart || x.baseEnd - y.baseEnd);

  const out: string[] = [];
  let conflicts = 0;
  let cursor = 0;
  for (const group of groupTouching(hunks)) {
    const start = Math.min(...group.map((h) => h.baseStart));
    const end = Math.max(...group.map((h) => h.baseEnd));
    out.push(...b.slice(cursor, start));
    const oursText = sideText(b, o, group, 'ours', start, end);
    const theirsText = sideText(b, t, group, 'theirs', start, end);
    const hasOurs = group.some((h) => h.side === 'ours');
    const hasTheirs = group.some((h) => h.side === 'theirs');
    if (!hasTheirs || oursText.join('') === theirsText.join('')) out.push(...oursText);
    else if (!hasOurs) out.push(...theirsText);
    else {
      conflicts++;
      out.push(...conflictBlock(oursText, b.slice(start, end), theirsText, labels));
    }
    cursor = end;
  }
  out.push(...b.slice(cursor));
  return { text: out.join(''), conflicts };
}

/** Groups hunks whose base ranges overlap or touch; each group is merged (or conflicts) as a unit. */
function groupTouching(sorted: SideHunk[]): SideHunk[][] {
  const groups: SideHunk[][] = [];
  let current: SideHunk[] = [];
  let end = -1;
  for (const h of sorted) {
    if (current.length > 0 && h.baseStart <= end) {
      current.push(h);
      end = Math.max(end, h.baseEnd);
    } else {
      if (current.length > 0) groups.push(current);
      current = [h];
      end = h.baseEnd;
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** What one side has in place of base lines [start, end), given its hunks inside the group. */
function sideText(
  base: readonly string[],
  side: readonly string[],
  group: readonly SideHunk[],
  which: SideHunk['side'],
  start: number,
  end: number,
): string[] {
  const out: string[] = [];
  let cursor = start;
  for (const h of group) {
    if (h.side !== which) continue;
    out.push(...base.slice(cursor, h.baseStart), ...side.slice(h.sideStart, h.sideEnd));
    cursor = h.baseEnd;
  }
  out.push(...base.slice(cursor, end));
  return out;
}

/** A diff3-style conflict block; every part ends with a newline so markers start a line. */
export function conflictBlock(
  ours: readonly string[],
  base: readonly string[],
  theirs: readonly string[],
  labels: MarkerLabels = defaultLabels,
): string[] {
  const terminated = (lines: readonly string[]): string[] =>
    lines.map((l, i) => (i === lines.length - 1 && !l.endsWith('\n') ? `${l}\n` : l));
  return [
    `<<<<<<< ${labels.ours}\n`,
    ...terminated(ours),
    `||||||| ${labels.base}\n`,
    ...terminated(base),
    '=======\n',
    ...terminated(theirs),
    `>>>>>>> ${labels.theirs}\n`,
  ];
}
