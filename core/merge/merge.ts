// Entry point of the engine: three-way merge of one file's base / ours / theirs.
// Order of preference: trivial (one side unchanged) -> structural (symbol by symbol) -> line merge,
// the last for unsupported languages, inputs that do not parse, and structural results that do not
// parse back (the merge must never hand back broken code as "clean").
import { languageOf } from './languages.js';
import { mergeLines } from './lines.js';
import { mergeEntries } from './merge-entries.js';
import { initParsers, parsersReady, parsesCleanly } from './parser.js';
import type { FileMergeResult } from './result.js';
import { segmentFile } from './segment.js';

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
  if (!language) return lineFallback(input, 'unsupported-language');
  if (!parsersReady()) throw new Error('tree-sitter parsers are not loaded: use mergeFile or await initParsers()');

  const [b, o, t] = [base, ours, theirs].map((text) => segmentFile(text, language));
  if (!b || !o || !t) return lineFallback(input, 'unparsable-input');
  const merged = mergeEntries(b, o, t);
  const clean = merged.conflicts.length === 0;
  if (clean && !parsesCleanly(merged.text, language)) return lineFallback(input, 'unparsable-result');
  return {
    file,
    language,
    method: 'structural',
    text: merged.text,
    clean,
    conflicts: merged.conflicts.map((c) => ({ file, ...c })),
    resolved: merged.resolved,
  };
}

function lineFallback(input: FileVersions, reason: NonNullable<FileMergeResult['fallbackReason']>): FileMergeResult {
  const { file, base, ours, theirs } = input;
  const language = languageOf(file);
  const merged = mergeLines(base, ours, theirs);
  // A clean line merge of pieces that then fail to parse is still not acceptable.
  const brokenResult =
    reason === 'unparsable-result' && merged.conflicts === 0 && language && !parsesCleanly(merged.text, language);
  const clean = merged.conflicts === 0 && !brokenResult;
  return {
    file,
    language,
    method: 'line',
    fallbackReason: reason,
    text: merged.text,
    clean,
    conflicts: clean
      ? []
      : [{ file, symbol: '(file)', kind: reason === 'unparsable-result' ? 'unparsable-result' : 'text' }],
    resolved: [],
  };
}
