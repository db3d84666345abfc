// Ownership check: the harness plan gives each generator exclusive symbols (or files); after a
// generator ran, list what its branch touched that it does not own. Uses the same segmentation as the
// merge, so "touched" means exactly what the merge would see as changed.
import type { Entry } from './entries.js';
import { alignGaps } from './gaps.js';
import { languageOf } from './languages.js';
import { initParsers } from './parser.js';
import { segmentFile } from './segment.js';

export type ChangeKind = 'added' | 'modified' | 'deleted';

export interface TouchedSymbol {
  file: string;
  /** `parse`, `Parser.next`, `import ./x`, `(top-level code)`, or `(file)` when the file is not parsed. */
  symbol: string;
  kind: 'symbol' | 'import' | 'gap' | 'file';
  change: ChangeKind;
  /** 1-based first and last line of the change (on the branch; on the base for a deletion). */
  lines?: [number, number];
  /** The change adds, edits or removes only comments and blank lines. */
  commentOnly?: boolean;
}

export interface FileChange {
  file: string;
  /** undefined when the file did not exist before (added) */
  base: string | undefined;
  /** undefined when the branch deleted the file */
  head: string | undefined;
}

/**
 * Owners, keyed by `path:Symbol` (a class also covers its members: `path:Class` owns `Class.method`),
 * by `path` (the whole file) or by `dir/` (everything below). Values are owner ids (e.g. generator names).
 */
export type OwnershipMap = Record<string, string>;

export interface OwnershipViolation extends TouchedSymbol {
  /** Who owns it according to the map, or null when nobody does. */
  owner: string | null;
}

export interface OwnershipCheckOptions {
  /** Imports are shared territory (they merge as a union): not reported unless this is true. */
  includeImports?: boolean;
  /** Symbols nobody owns (owner null) are not reported when this is true. */
  allowUnowned?: boolean;
}

/** The symbols a branch added, modified or deleted in the given files. */
export async function touchedSymbols(changes: readonly FileChange[]): Promise<TouchedSymbol[]> {
  await initParsers();
  return changes.flatMap(touchedInFile);
}

function touchedInFile(change: FileChange): TouchedSymbol[] {
  const { file } = change;
  const base = change.base ?? '';
  const head = change.head ?? '';
  if (base === head) return [];
  const language = languageOf(file);
  const b = language ? segmentFile(base, language) : undefined;
  const h = language ? segmentFile(head, language) : undefined;
  if (!b || !h) {
    const kind: ChangeKind = change.base === undefined ? 'added' : change.head === undefined ? 'deleted' : 'modified';
    return [{ file, symbol: '(file)', kind: 'file', change: kind }];
  }
  return diffEntries(file, b, h, { base, head });
}

interface Texts {
  base: string;
  head: string;
}

/** Line span of an entry's text in its file. */
function span(text: string, e: Entry): [number, number] {
  const first = text.slice(0, e.start).split('\n').length;
  const body = e.text.replace(/\s+$/, '');
  const lead = e.text.length - e.text.trimStart().length;
  const start = first + e.text.slice(0, lead).split('\n').length - 1;
  return [start, Math.max(start, first + body.split('\n').length - 1)];
}

/** The text without whole-line comments and blank lines (what a comment-only edit leaves equal). */
function codeOnly(text: string): string {
  return text
    .replace(/^\s*\/\*[\s\S]*?\*\/\s*$/gm, '')
    .split('\n')
    .filter((l) => !/^\s*(\/\/|#|\*|$)/.test(l))
    .map((l) => l.trimEnd())
    .join('\n');
}

function diffEntries(file: string, base: readonly Entry[], headIn: readonly Entry[], texts: Texts): TouchedSymbol[] {
  // Gaps are keyed by position: pair them with base first so a moved statement is not a change.
  const head = alignGaps(base, headIn);
  const before = new Map(base.map((e) => [e.key, e]));
  const after = new Map(head.map((e) => [e.key, e]));
  const out: TouchedSymbol[] = [];
  const seen = new Map<string, TouchedSymbol>();
  const report = (e: Entry, change: ChangeKind, was?: Entry) => {
    const lines = span(change === 'deleted' ? texts.base : texts.head, e);
    const commentOnly = codeOnly(was?.text ?? '') === codeOnly(change === 'deleted' ? '' : e.text);
    // Several changed gaps are still one "(top-level code)" entry (spanning them all).
    const id = `${e.kind}:${e.name}:${change}`;
    const prior = seen.get(id);
    if (prior) {
      prior.lines = [Math.min(prior.lines![0], lines[0]), Math.max(prior.lines![1], lines[1])];
      prior.commentOnly = prior.commentOnly! && commentOnly;
      return;
    }
    const touched: TouchedSymbol = { file, symbol: e.name, kind: e.kind, change, lines, commentOnly };
    seen.set(id, touched);
    out.push(touched);
  };
  for (const [key, h] of after) {
    const b = before.get(key);
    if (!b) report(h, 'added');
    else if (b.text !== h.text) {
      if (b.container && h.container && b.container.header === h.container.header) {
        out.push(...diffEntries(file, b.container.members, h.container.members, texts));
        if (b.container.footer !== h.container.footer) report(h, 'modified', b);
      } else report(h, 'modified', b);
    }
  }
  for (const [key, b] of before) if (!after.has(key)) report(b, 'deleted', b);
  return out;
}

/** Who owns `symbol` in `file`: the most specific matching key wins. */
export function ownerOf(owners: OwnershipMap, file: string, symbol: string): string | null {
  const parts = symbol.split('.');
  for (let i = parts.length; i > 0; i--) {
    const owner = owners[`${file}:${parts.slice(0, i).join('.')}`];
    if (owner !== undefined) return owner;
  }
  if (owners[file] !== undefined) return owners[file] ?? null;
  const dirs = Object.keys(owners)
    .filter((k) => k.endsWith('/') && file.startsWith(k))
    .sort((a, b) => b.length - a.length);
  return dirs[0] !== undefined ? (owners[dirs[0]] ?? null) : null;
}

/** The touched symbols that `owner` does not own. */
export async function checkOwnership(
  owner: string,
  owners: OwnershipMap,
  changes: readonly FileChange[],
  options: OwnershipCheckOptions = {},
): Promise<OwnershipViolation[]> {
  const touched = await touchedSymbols(changes);
  return touched
    .filter((t) => options.includeImports || t.kind !== 'import')
    .map((t) => ({ ...t, owner: ownerOf(owners, t.file, t.symbol) }))
    .filter((v) => v.owner !== owner && !(options.allowUnowned && v.owner === null));
}
