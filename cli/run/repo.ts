// The --repo value: a URL, or a local path to any git repository (made absolute so the worker
// can clone it). Checked before a run starts, so a typo is a clear error, not a failed run.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { UserError } from '../../core/errors.js';

export function isRemoteUrl(repo: string): boolean {
  return /^(https?|ssh|git|file):\/\//.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo);
}

export function normalizeRepo(repo: string, cwd: string = process.cwd()): string {
  if (isRemoteUrl(repo)) return repo;
  const abs = path.resolve(cwd, repo);
  if (!existsSync(abs))
    throw new UserError(`--repo ${repo}: no such directory`, {
      hint: 'pass a git URL or the path of a git repository',
    });
  const res = spawnSync('git', ['-C', abs, 'rev-parse', '--git-dir'], { encoding: 'utf8' });
  if (res.status !== 0)
    throw new UserError(`--repo ${repo}: not a git repository`, {
      hint: 'pass a git URL or the path of a git repository',
    });
  return abs;
}

/** DKMV derives the feature name from the branch: `feature/auth` → `auth`. */
export function featureFromBranch(branch: string): string {
  return branch.split('/').pop() || branch;
}
