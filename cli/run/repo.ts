// The --repo value: a URL, or a local path to any git repository (made absolute so the worker
// can clone it). Checked before a run starts, so a typo is a clear error, not a failed run.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { display } from '../../core/component/files.js';
import { projectConfigPath } from '../../core/config/project-config.js';
import { requireRepo, type ResolvedConfig } from '../../core/config/index.js';
import { UserError } from '../../core/errors.js';

export function isRemoteUrl(repo: string): boolean {
  return /^(https?|ssh|git|file):\/\//.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo);
}

export function normalizeRepo(repo: string, cwd: string = process.cwd(), flag = '--repo'): string {
  if (repo.startsWith('file://')) return checkFileUrl(repo, flag);
  if (isRemoteUrl(repo)) return repo;
  const abs = path.resolve(cwd, repo);
  if (!existsSync(abs))
    throw new UserError(`${flag} ${repo}: no such directory`, {
      hint: 'pass a git URL or the path of a git repository',
    });
  const res = spawnSync('git', ['-C', abs, 'rev-parse', '--git-dir'], { encoding: 'utf8' });
  if (res.status !== 0)
    throw new UserError(`${flag} ${repo}: not a git repository`, {
      hint: 'pass a git URL or the path of a git repository',
    });
  return abs;
}

/** A file:// URL is on this machine: it must name a git repository (bare or not) now. */
function checkFileUrl(repo: string, flag: string): string {
  let dir: string;
  try {
    dir = fileURLToPath(repo);
  } catch {
    throw new UserError(`${flag} ${repo}: not a valid file:// URL`, { hint: 'e.g. file:///srv/git/project.git' });
  }
  if (!existsSync(dir))
    throw new UserError(`${flag} ${repo}: ${dir} does not exist`, {
      hint: 'check the path, or create the repository first (git init --bare <path>)',
    });
  const res = spawnSync('git', ['-C', dir, 'rev-parse', '--git-dir'], { encoding: 'utf8' });
  if (res.status !== 0)
    throw new UserError(`${flag} ${repo}: ${dir} is not a git repository`, {
      hint: 'pass the path of a git repository (a bare one ends in .git)',
    });
  return repo;
}

/**
 * A branch name git accepts (git check-ref-format --branch: no "..", spaces, "~^:?*[\\", leading
 * "-", trailing "/" or ".lock", ...), checked before anything starts.
 */
export function checkBranchName(branch: string, flag = '--branch'): void {
  const res = spawnSync('git', ['check-ref-format', '--branch', branch], { encoding: 'utf8' });
  if (res.status === 0 && !branch.startsWith('-')) return;
  const why = /\.\./.test(branch)
    ? 'it contains ".."'
    : /\s/.test(branch)
      ? 'it contains a space'
      : /\/$/.test(branch)
        ? 'it ends with "/"'
        : /[~^:?*[\\]/.test(branch)
          ? 'it contains one of ~ ^ : ? * [ \\'
          : 'git does not accept it as a branch name';
  throw new UserError(`${flag} ${JSON.stringify(branch)}: not a valid branch name (${why})`, {
    hint: 'use letters, digits, "-", "_", "." and "/" between parts, e.g. --branch feature/auth (see `git check-ref-format --help`)',
  });
}

/** DKMV derives the feature name from the branch: `feature/auth` → `auth`. */
export function featureFromBranch(branch: string): string {
  return branch.split('/').pop() || branch;
}

/** The run's repository from the config cascade, checked; a bad one from .dkmv/config.json is reported there. */
export function checkedRepo(config: ResolvedConfig): string {
  const repo = requireRepo(config);
  if (config.repoSource.kind !== 'config.json') return normalizeRepo(repo, config.projectRoot);
  try {
    return normalizeRepo(repo, config.projectRoot, 'repo');
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    throw new UserError(err.message, {
      location: { file: display(projectConfigPath(config.projectRoot)), field: 'repo' },
      hint: 'fix "repo" in .dkmv/config.json (a git URL or the path of a git repository), or pass --repo <url-or-path> for this run',
    });
  }
}
