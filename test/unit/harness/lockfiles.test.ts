// The lockfile step before SHIP, with real git and a scripted install: which lockfiles are due (the
// branch tracks them, or a commit of the run touched them), nothing runs when none is due, a failed
// install commits nothing and says why, and only changed lockfiles are committed.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isLockfile,
  regenerateLockfilesWith,
  type Installer,
  type LockfilesInput,
} from '../../../activities/harness/lockfiles.js';
import { makeBareRepo } from '../../support/e2e.js';
import { gitIn, useLandingRoot } from '../../support/landing-root.js';

const git = gitIn;
const landingRoot = useLandingRoot('lockfiles');

/** A remote whose `main` has `files`; returns the input for a run started at its head. */
function repoWith(name: string, files: Record<string, string>): { input: LockfilesInput; seed: string } {
  const dir = mkdtempSync(path.join(landingRoot(), `${name}-`));
  const repo = makeBareRepo(dir, files);
  const seed = path.join(dir, 'seed');
  const base = git(seed, 'rev-parse', 'HEAD').trim();
  const input = { runId: name, repo, branch: 'main', base, install: 'npm install', timeoutS: 60, image: 'x' };
  return { input, seed };
}

/** A scripted install that answers `files` and records that it ran. */
function installer(files: Record<string, string | undefined>, calls: string[][]): Installer {
  return (_input, due) => {
    calls.push(due);
    return Promise.resolve({ ok: true, files });
  };
}

describe('lockfiles regenerated at integration', () => {
  it('knows lockfiles by name, not inside installed dependencies, and not binary ones', () => {
    expect(['package-lock.json', 'web/yarn.lock', 'Cargo.lock', 'poetry.lock'].map(isLockfile)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['node_modules/x/package-lock.json', 'bun.lockb', 'package.json'].map(isLockfile)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('runs no install when no lockfile is due', async () => {
    const { input } = repoWith('none', { 'package.json': '{}\n' });
    const calls: string[][] = [];
    const result = await regenerateLockfilesWith(input, installer({}, calls));
    expect(result).toEqual({ files: [], head: input.base });
    expect(calls).toEqual([]);
  });

  it('commits a tracked lockfile the install changed, and one a commit of the run added', async () => {
    const { input, seed } = repoWith('due', { 'package.json': '{}\n', 'package-lock.json': '{"old":1}\n' });
    // a commit of the run (a landed unit's `npm install`) touched web/package-lock.json
    mkdirSync(path.join(seed, 'web'));
    writeFileSync(path.join(seed, 'web/package-lock.json'), '{"unit":1}\n');
    git(seed, 'add', '.');
    git(seed, 'commit', '-qm', 'npm install');
    git(seed, 'rm', '-q', 'web/package-lock.json');
    git(seed, 'commit', '-qm', 'landing dropped it');
    git(seed, 'push', '-q', 'origin', 'HEAD:main');
    const calls: string[][] = [];
    const files = { 'package-lock.json': '{"new":1}\n', 'web/package-lock.json': '{"regenerated":1}\n' };
    const result = await regenerateLockfilesWith(input, installer(files, calls));
    expect(calls).toEqual([['package-lock.json', 'web/package-lock.json']]);
    expect(result.files).toEqual(['package-lock.json', 'web/package-lock.json']);
    expect(git(input.repo, 'rev-parse', 'main').trim()).toBe(result.head);
    expect(git(input.repo, 'show', 'main:package-lock.json')).toBe('{"new":1}\n');
    expect(git(input.repo, 'show', 'main:web/package-lock.json')).toBe('{"regenerated":1}\n');
    // run again (a retry after the commit): nothing changed, nothing committed
    const again = await regenerateLockfilesWith(input, installer(files, []));
    expect(again).toEqual({ files: [], head: result.head });
  });

  it('a failed install commits nothing and says why', async () => {
    const { input } = repoWith('fails', { 'package.json': '{}\n', 'package-lock.json': '{}\n' });
    const failing: Installer = () => Promise.resolve({ ok: false, problem: '`npm install` exited 1 (ERESOLVE)' });
    const result = await regenerateLockfilesWith(input, failing);
    expect(result).toEqual({ files: [], head: input.base, problem: '`npm install` exited 1 (ERESOLVE)' });
    expect(git(input.repo, 'rev-parse', 'main').trim()).toBe(input.base);
  });
});
