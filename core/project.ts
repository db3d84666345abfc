// Where dkmv keeps its state for a project: `.dkmv/` at the project root.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Root of the dkmv source tree (where package.json, components/ and images/ live). This file runs
 * from `core/` (tests, tsx) or from the compiled `dist/core/`, one level further down.
 */
const PARENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DKMV_HOME = existsSync(path.join(PARENT, 'package.json')) ? PARENT : path.dirname(PARENT);

/** Walks up from `start` to the nearest folder holding `.dkmv/`; falls back to `start`. */
export function findProjectRoot(start: string = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, '.dkmv'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

export function dkmvDir(projectRoot: string = findProjectRoot()): string {
  return path.join(projectRoot, '.dkmv');
}

export function runsDir(projectRoot: string = findProjectRoot()): string {
  return path.join(dkmvDir(projectRoot), 'runs');
}
