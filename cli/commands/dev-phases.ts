// `dkmv dev` needs the phase files (`phase<N>_*.md`) of --impl-docs as the `phases` var, because
// for_each is expanded when the run is planned, before any container exists. They are listed from
// the folder on this machine, else from the branch in the local git checkout.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.js';

const PHASE_FILE = /^phase(\d+)[_-].*\.md$/i;

/** Phase file names in order of their number. */
export function sortPhases(names: string[]): string[] {
  return names
    .filter((n) => PHASE_FILE.test(n))
    .sort((a, b) => Number(PHASE_FILE.exec(a)![1]) - Number(PHASE_FILE.exec(b)![1]) || a.localeCompare(b));
}

function fromFolder(dir: string): string[] | undefined {
  try {
    if (!statSync(dir).isDirectory()) return undefined;
    return sortPhases(readdirSync(dir));
  } catch {
    return undefined;
  }
}

function fromGit(cwd: string, branch: string, docs: string): string[] | undefined {
  const rel = docs.replace(/^\.\//, '').replace(/\/+$/, '');
  for (const ref of [branch, `origin/${branch}`]) {
    const res = spawnSync('git', ['ls-tree', '--name-only', `${ref}:${rel}`], { cwd, encoding: 'utf8' });
    if (res.status === 0) return sortPhases(res.stdout.split('\n').filter(Boolean));
  }
  return undefined;
}

/** The `phases` var (a JSON list) for `dkmv dev`. */
export function discoverPhases(implDocs: string, branch: string | undefined, cwd: string = process.cwd()): string {
  const phases = fromFolder(path.resolve(cwd, implDocs)) ?? (branch ? fromGit(cwd, branch, implDocs) : undefined);
  if (!phases?.length) {
    throw new UserError(`no phase files (phase<N>_*.md) found in ${implDocs}`, {
      hint:
        'point --impl-docs at the folder `dkmv plan` wrote (checked out here, or on the branch in this git checkout), ' +
        `or list them yourself: --var 'phases=["phase1_x.md","phase2_y.md"]'`,
    });
  }
  return JSON.stringify(phases);
}
