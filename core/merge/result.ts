// What a merge reports: the merged text, and for every symbol both sides touched, whether it merged.
import type { FormatId, LanguageId } from './languages.js';

export type ConflictKind =
  /** Both sides changed the symbol differently and a line merge of it failed. */
  | 'both-modified'
  /** Both sides added a symbol of that name with different bodies. */
  | 'both-added'
  /** One side deleted the symbol, the other changed it. */
  | 'delete-modify'
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

export interface FileMergeResult {
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
  /** Merged text; contains diff3 conflict markers where `conflicts` is not empty. */
  text: string;
  clean: boolean;
  conflicts: SymbolConflict[];
  /** Symbols both sides changed that merged cleanly (what git would have reported as conflicts). */
  resolved: string[];
}
