// What a merge reports: the merged text, and for every symbol both sides touched, whether it merged.
// The result is a discriminated union so that "a conflict whose text has no markers" cannot be built:
// conflict text is a `MarkedText`, and the only way to get one is `markedText`, which wraps the whole
// file in a conflict block when the text it is given carries no markers (a line merge that happened to
// be clean, a structural merge that failed its check). Anything that writes the text out lands markers.
import type { FormatId, LanguageId } from './languages.js';
import { conflictBlock, splitLines } from './lines.js';

export type ConflictKind =
  /** Both sides changed the symbol differently and a line merge of it failed. */
  | 'both-modified'
  /** Both sides added a symbol of that name with different bodies. */
  | 'both-added'
  /** One side deleted the symbol, the other changed it. */
  | 'delete-modify'
  /** Both sides moved the symbol, to different places. */
  | 'both-moved'
  /** Line-level conflict in a file the structural merge could not handle (unsupported or unparsable). */
  | 'text'
  /** The merged symbols did not pass the acceptance check (parse, symbol and element sets). */
  | 'unparsable-result';

export interface SymbolConflict {
  file: string;
  /** `parse`, `Parser.next`, `import ./x`, `(top-level code)`, or `(file)` for a line-merge conflict. */
  symbol: string;
  kind: ConflictKind;
}

export type MergeMethod = 'trivial' | 'structural' | 'line' | 'lockfile';

declare const marked: unique symbol;
/** Text holding at least one complete diff3 conflict block (see markedText). */
export type MarkedText = string & { readonly [marked]: true };

interface MergeReport {
  file: string;
  language: LanguageId | undefined;
  /** Files merged by their own structure: JSON, YAML, HTML, or a lockfile (never merged as text). */
  format?: FormatId;
  /** A lockfile both sides changed: ours is kept; reinstall (npm install, cargo, ...) to regenerate it. */
  regenerate?: boolean;
  /** trivial: one side changed; structural: by symbol or key; line: git-style fallback; lockfile: ours, regenerate. */
  method: MergeMethod;
  /** Why the line fallback was used, when it was. */
  fallbackReason?: 'unsupported-language' | 'unparsable-input' | 'unparsable-result' | 'rejected-result';
  /** Symbols both sides changed that merged cleanly (what git would have reported as conflicts). */
  resolved: string[];
}

export interface CleanMerge extends MergeReport {
  kind: 'clean';
  clean: true;
  /** The merged text, free of conflict markers added by the merge. */
  text: string;
  conflicts: [];
}

export interface ConflictedMerge extends MergeReport {
  kind: 'conflict';
  clean: false;
  /** The merge with diff3 conflict markers around every part a person has to decide. */
  text: MarkedText;
  conflicts: [SymbolConflict, ...SymbolConflict[]];
}

export type FileMergeResult = CleanMerge | ConflictedMerge;

const opener = /^<{7} /m;
const closer = /^>{7} /m;

/**
 * `text` when it carries conflict markers; otherwise a single conflict block over the whole file
 * (ours | base | theirs), so a conflict is never handed back as text that looks merged.
 */
export function markedText(text: string, base: string, ours: string, theirs: string): MarkedText {
  if (opener.test(text) && closer.test(text)) return text as MarkedText;
  return conflictBlock(splitLines(ours), splitLines(base), splitLines(theirs)).join('') as MarkedText;
}
