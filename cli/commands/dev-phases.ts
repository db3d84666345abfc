// `dkmv dev` passes the phase files (`phase<N>_<name>.md`) of --impl-docs as the `phases` var, in
// the shape DKMV's CLI passes them: `[{phase_number, phase_name, phase_file}]` (name with `_` read
// as spaces, file name only), so DKMV's own dev component (`for_each: phases`, `item.phase_file`)
// runs unchanged. for_each is expanded when the run is planned, before any container exists, so
// the files are listed from the folder on this machine, else from the branch in the local checkout.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.js';

const PHASE_FILE = /^phase(\d+)[_-](.*)\.md$/i;

/** One entry of the `phases` var, as DKMV's CLI builds it. */
export interface Phase {
  phase_number: number;
  phase_name: string;
  phase_file: string;
}

/** Phase file names in order of their number. */
export function sortPhases(names: string[]): string[] {
  return names
    .filter((n) => PHASE_FILE.test(n))
    .sort((a, b) => Number(PHASE_FILE.exec(a)![1]) - Number(PHASE_FILE.exec(b)![1]) || a.localeCompare(b));
}

/** `phase2_user_api.md` → `{phase_number: 2, phase_name: "user api", phase_file: "phase2_user_api.md"}`. */
export function toPhase(file: string): Phase {
  const m = PHASE_FILE.exec(file)!;
  const name = m[2]!.replace(/_/g, ' ').trim();
  return { phase_number: Number(m[1]), phase_name: name || `phase${Number(m[1])}`, phase_file: file };
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

/**
 * The phases of --impl-docs, in order; with `startPhase`, only those numbered from it on (DKMV's
 * --start-phase: a phase number, not a position).
 */
export function discoverPhases(
  implDocs: string,
  branch: string | undefined,
  cwd: string = process.cwd(),
  startPhase?: number,
): Phase[] {
  const files = fromFolder(path.resolve(cwd, implDocs)) ?? (branch ? fromGit(cwd, branch, implDocs) : undefined);
  if (!files?.length) {
    throw new UserError(`no phase files (phase<N>_<name>.md) found in ${implDocs}`, {
      hint:
        'point --impl-docs at the folder `dkmv plan` wrote (checked out here, or on the branch in this git checkout), ' +
        `or list them yourself: --var 'phases=[{"phase_number":1,"phase_name":"x","phase_file":"phase1_x.md"}]'`,
    });
  }
  const phases = files.map(toPhase);
  if (startPhase === undefined) return phases;
  const later = phases.filter((p) => p.phase_number >= startPhase);
  if (!later.length) {
    throw new UserError(`--start-phase ${startPhase}: no phase numbered ${startPhase} or higher in ${implDocs}`, {
      hint: `the phases there: ${phases.map((p) => p.phase_number).join(', ')}`,
    });
  }
  return later;
}
