// File inputs whose `src` is an absolute path outside the project (e.g. `/etc/passwd`, `~/notes`):
// allowed, as in DKMV, but the user is told which files leave their machine with the run.
import path from 'node:path';
import type { PlanBundle } from './plan-types.js';

/** The absolute source paths in the bundle that are not inside `projectRoot`. */
export function outsideSources(bundle: PlanBundle, projectRoot: string): string[] {
  return Object.keys(bundle.sources).filter((key) => {
    if (!path.isAbsolute(key)) return false;
    const rel = path.relative(projectRoot, key);
    return rel.startsWith('..') || path.isAbsolute(rel);
  });
}

/** One notice line per such file. */
export function outsideSourceNotices(bundle: PlanBundle | undefined, projectRoot: string): string[] {
  if (!bundle) return [];
  return outsideSources(bundle, projectRoot).map(
    (file) => `an input reads ${file}, outside the project: it is copied into the run's sandbox (.agent/)`,
  );
}
