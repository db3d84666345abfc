// The throwaway repository `dkmv test` runs a component on: a bare repo in a temp folder (the
// "remote") whose `main` holds one commit, optionally seeded with the files of a folder.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.js';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=dkmv-test', '-c', 'user.email=dkmv-test@localhost', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Creates `<root>/remote.git` with a first commit on `main`: the files of `seedDir` (recursively,
 * without `.git`), or a README when there is none. Returns the bare repository's path.
 */
export function makeThrowawayRepo(root: string, seedDir?: string): string {
  const bare = path.join(root, 'remote.git');
  const work = path.join(root, 'seed');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  execFileSync('git', ['init', '-q', '-b', 'main', work]);
  if (seedDir) {
    if (!existsSync(seedDir) || !statSync(seedDir).isDirectory()) {
      throw new UserError(`--seed ${seedDir}: no such folder`, {
        hint: 'pass a folder whose files become the first commit of the throwaway repository',
      });
    }
    for (const entry of readdirSync(seedDir)) {
      if (entry === '.git') continue;
      cpSync(path.join(seedDir, entry), path.join(work, entry), { recursive: true });
    }
  }
  if (readdirSync(work).filter((e) => e !== '.git').length === 0) {
    mkdirSync(work, { recursive: true });
    writeFileSync(path.join(work, 'README.md'), '# throwaway repository for dkmv test\n');
  }
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'initial commit (dkmv test)');
  git(work, 'push', '-q', bare, 'HEAD:refs/heads/main');
  return bare;
}

/** Subjects of the commits on `branch` of a repository, newest first (empty when it is missing). */
export function commitsOn(repo: string, branch: string): string[] {
  try {
    return git(repo, 'log', '--format=%s', `refs/heads/${branch}`).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
