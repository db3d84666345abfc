// Entry point of the engine: three-way merge of one file's base / ours / theirs.
// Order of preference: trivial (one side unchanged) -> structural (symbol by symbol) -> line merge,
// the last for unsupported languages, inputs that do not parse, and structural results that do not
// parse back (the merge must never hand back broken code as "clean").
import { acceptMerge } from './acceptance.js';
import type { LanguageId } from './languages.js';
import { formatOf, languageOf } from './languages.js';
import type { FormatId } from './languages.js';
import { mergeJson } from './json.js';
import { mergeHtml } from './html.js';
import { mergeYaml } from './yaml.js';
import { mergeLines } from './lines.js';
import { followMoves } from './moves.js';
import type { TreeSource } from './merge-entries.js';
import { mergeEntries } from './merge-entries.js';
import { initParsers, parseTree, parsersReady } from './parser.js';
import type { FileMergeResult, SymbolConflict } from './result.js';
import { markedText } from './result.js';
import { segmentFile } from './segment.js';
import type { Tree } from './tree.js';
import { rangeTree } from './tree.js';

export interface FileVersions {
  /** Path inside the repository; its extension picks the language. */
  file: string;
  /** Common ancestor text; '' when the file did not exist there (added on both sides). */
  base: string;
  ours: string;
  theirs: string;
}

/** Merges one file. Loads the parsers on first use. */
export async function mergeFile(input: FileVersions): Promise<FileMergeResult> {
  await initParsers();
  return mergeFileSync(input);
}

/** Same as mergeFile, for callers that already awaited initParsers() (benchmarks, tight loops). */
export function mergeFileSync(input: FileVersions): FileMergeResult {
  const { file, base, ours, theirs } = input;
  const language = languageOf(file);
  const trivial = (text: string): FileMergeResult => ({
    kind: 'clean',
    file,
    language,
    method: 'trivial',
    text,
    clean: true,
    conflicts: [],
    resolved: [],
  });
  if (ours === theirs || base === theirs) return trivial(ours);
  if (base === ours) return trivial(theirs);
  const format = formatOf(file);
  if (format) return mergeFormat(input, format);
  if (!language) return lineFallback(input, 'unsupported-language');
  if (!parsersReady()) throw new Error('tree-sitter parsers are not loaded: use mergeFile or await initParsers()');

  const texts = [base, ours, theirs] as const;
  const [b, o, t] = texts.map((text) => segmentFile(text, language));
  if (!b || !o || !t) return lineFallback(input, 'unparsable-input');
  const trees = treeSource(texts, language);
  const moves = followMoves(b, o, t);
  const [om, tm] = [moves.ours, moves.theirs];
  let merged = mergeEntries(b, om, tm, trees);
  merged.conflicts.unshift(...moves.conflicts);
  const clean = merged.conflicts.length === 0;
  if (clean) {
    let verdict = acceptMerge(merged.text, language, [b, om, tm], trees);
    if (verdict !== 'accepted') {
      // A line merge inside a symbol can be clean and still wrong (both sides inserted the same key at
      // different places): try once more with the trees, then give up.
      const retry = mergeEntries(b, om, tm, Object.assign(treeSource(texts, language), { treesFirst: true }));
      const second = retry.conflicts.length === 0 ? acceptMerge(retry.text, language, [b, om, tm], trees) : verdict;
      if (second === 'accepted') [merged, verdict] = [retry, second];
    }
    if (verdict === 'unparsable') return lineFallback(input, 'unparsable-result');
    if (verdict === 'rejected') return lineFallback(input, 'rejected-result');
  }
  const report = { file, language, method: 'structural' as const, resolved: merged.resolved };
  return outcome(input, report, merged.text, merged.conflicts);
}

/** The clean or conflicted result, by whether any conflict was found. */
function outcome(
  input: FileVersions,
  report: Omit<FileMergeResult, 'kind' | 'clean' | 'text' | 'conflicts'>,
  text: string,
  conflicts: readonly Omit<SymbolConflict, 'file'>[],
): FileMergeResult {
  const [first, ...rest] = conflicts.map((c) => ({ ...c, file: input.file }));
  if (!first) return { ...report, kind: 'clean', clean: true, text, conflicts: [] };
  const marked = markedText(text, input.base, input.ours, input.theirs);
  return { ...report, kind: 'conflict', clean: false, text: marked, conflicts: [first, ...rest] };
}

/**
 * Data files. A lockfile is never merged as text (a textual merge of two dependency resolutions is not
 * a resolution): ours is kept and the result asks for a reinstall to regenerate it from the manifest.
 */
function mergeFormat(input: FileVersions, format: FormatId): FileMergeResult {
  const { base, ours, theirs } = input;
  const result = (text: string, conflicts: { symbol: string }[], resolved: string[] = []): FileMergeResult =>
    outcome(
      input,
      { file: input.file, language: undefined, format, method: 'structural', resolved },
      text,
      conflicts.map((c) => ({ symbol: c.symbol, kind: 'both-modified' })),
    );
  if (format === 'lockfile') return { ...result(ours, []), method: 'lockfile', regenerate: true };
  if (format === 'yaml' || format === 'html') {
    const merged = format === 'yaml' ? mergeYaml(base, ours, theirs) : mergeHtml(base, ours, theirs);
    if (!merged) return lineFallback(input, 'unparsable-input');
    return result(merged.text, merged.conflicts, merged.resolved);
  }
  const merged = mergeJson(base, ours, theirs);
  if (!merged) return lineFallback(input, 'unparsable-input');
  if ('text' in merged) return result(merged.text, []);
  return result(mergeLines(base, ours, theirs).text, [{ symbol: merged.conflict }]);
}

/** Each side's syntax tree, parsed on first use (most merges never need one). */
function treeSource(texts: readonly [string, string, string], language: LanguageId): TreeSource {
  const roots: (Tree | undefined)[] = [];
  return (side, entry) => {
    if (entry.moved) return undefined;
    roots[side] ??= parseTree(texts[side], language);
    const root = roots[side];
    return root && rangeTree(root, entry.start, entry.start + entry.text.length);
  };
}

function lineFallback(input: FileVersions, reason: NonNullable<FileMergeResult['fallbackReason']>): FileMergeResult {
  const { file, base, ours, theirs } = input;
  const language = languageOf(file);
  const merged = mergeLines(base, ours, theirs);
  // A structural result that failed its checks is a conflict, never a guess: not even git's line merge
  // (the activity only asks when git's merge conflicted, so a clean line merge here is rare anyway).
  const rejected = reason === 'unparsable-result' || reason === 'rejected-result';
  const clean = merged.conflicts === 0 && !rejected;
  const report = { file, language, method: 'line' as const, fallbackReason: reason, resolved: [] };
  const conflicts = clean
    ? []
    : [{ symbol: '(file)', kind: rejected ? ('unparsable-result' as const) : ('text' as const) }];
  return outcome(input, report, merged.text, conflicts);
}
