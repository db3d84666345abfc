// Builds dist/ and the workflow bundles once, before any test file starts: the bundle of the
// TypeScript sources (in-process test workers) and the one of dist/ (`dkmv worker` processes).
// Files that start together then read the cached bundle instead of each running webpack on a new
// source version. Run by global-setup.ts in a process of its own (tsx), so the test runner's own
// process never loads the Temporal worker.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DKMV_HOME } from '../../core/project.js';
import { workflowBundle } from '../../workers/bundle.js';

const { ensureBuilt } = (await import(pathToFileURL(path.join(DKMV_HOME, 'scripts/build.js')).href)) as {
  ensureBuilt: () => void | Promise<void>;
};
await ensureBuilt();
await workflowBundle();
const compiled = (await import(pathToFileURL(path.join(DKMV_HOME, 'dist/workers/bundle.js')).href)) as {
  workflowBundle: () => Promise<unknown>;
};
await compiled.workflowBundle();
