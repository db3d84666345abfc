// Run folders as the CLI reads them: the reading itself lives in core/runs/run-folder.ts, shared
// with the worker's records activity (which reads a run folder on its own host for a remote CLI).
export * from '../../core/runs/run-folder.js';
