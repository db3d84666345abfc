// File inputs whose `src` is an absolute path outside the project (e.g. `/etc/passwd`, `~/notes`):
// allowed, as in DKMV, but the user is told which files leave their machine with the run.
import path from 'node:path';
import type { PlanBundle } from './plan-types.js';

function inside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The absolute source paths in the bundle inside none of `roots` (the project, the component's folder). */
export function outsideSources(bundle: PlanBundle, ...roots: string[]): string[] {
  return Object.keys(bundle.sources).filter((key) => path.isAbsolute(key) && !roots.some((r) => inside(key, r)));
}

/** One notice line per such file. */
export function outsideSourceNotices(bundle: PlanBundle | undefined, ...roots: string[]): string[] {
  if (!bundle) return [];
  return outsideSources(bundle, ...roots).map(
    (file) => `an input reads ${file}, outside the project: it is copied into the run's sandbox (.agent/)`,
  );
}
