// Public surface of the structural merge engine.
export { mergeFile, mergeFileSync } from './merge.js';
export type { FileVersions } from './merge.js';
export type {
  CleanMerge,
  ConflictedMerge,
  ConflictKind,
  FileMergeResult,
  MarkedText,
  MergeMethod,
  SymbolConflict,
} from './result.js';
export { initParsers } from './parser.js';
export { formatOf, languageOf, lockfileNames } from './languages.js';
export type { FormatId, LanguageId } from './languages.js';
export { mergeLines } from './lines.js';
export { checkOwnership, ownerOf, touchedSymbols } from './ownership.js';
export type {
  ChangeKind,
  FileChange,
  OwnershipCheckOptions,
  OwnershipMap,
  OwnershipViolation,
  TouchedSymbol,
} from './ownership.js';
