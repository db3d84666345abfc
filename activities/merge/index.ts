// Merge activities: plain async functions, registered as Temporal activities by the worker.
export { mergeBranches } from './merge-branches.js';
export type {
  FileConflictReport,
  MergeBranchesInput,
  MergeBranchesResult,
  ResolvedFileReport,
} from './merge-branches.js';
export { checkBranchOwnership } from './ownership.js';
export type { BranchOwnershipInput, BranchOwnershipResult } from './ownership.js';
