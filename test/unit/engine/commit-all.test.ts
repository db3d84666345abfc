// commitAll: the per-task commit with plain git processes — what it commits, what it leaves out,
// and the "nothing to commit" and failure cases.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, IGNORED_DIRS } from '../../../activities/git/workspace.js';

function repo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-commit-'));
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  writeFileSync(path.join(dir, '.git', 'info', 'exclude'), `${IGNORED_DIRS.join('\n')}\n`);
  return dir;
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

describe('commitAll', () => {
  it('commits the changes and the saved outputs, not the rest of dkmv folders', async () => {
    const dir = repo();
    mkdirSync(path.join(dir, '.agent'));
    writeFileSync(path.join(dir, 'app.js'), 'x');
    writeFileSync(path.join(dir, '.agent', 'plan.json'), '{}');
    writeFileSync(path.join(dir, '.agent', 'scratch.txt'), 'scratch');
    const result = await commitAll(dir, 'dkmv: plan', ['.agent/plan.json', '.agent/missing.json']);
    expect(result.committed).toBe(true);
    expect(result.head).toBe(git(dir, 'rev-parse', 'HEAD').trim());
    expect(git(dir, 'show', '--name-only', '--format=%s', 'HEAD').trim().split('\n')).toEqual([
      'dkmv: plan',
      '',
      '.agent/plan.json',
      'app.js',
    ]);
  });

  it('reports nothing committed (and the same head) when nothing changed', async () => {
    const dir = repo();
    writeFileSync(path.join(dir, 'a.txt'), 'a');
    const first = await commitAll(dir, 'one');
    const second = await commitAll(dir, 'two');
    expect(second).toEqual({ committed: false, head: first.head });
  });

  it('has no head in an empty repository with nothing to commit', async () => {
    expect(await commitAll(repo(), 'none')).toEqual({ committed: false, head: '' });
  });

  it("fails with git's own message outside a repository", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-norepo-'));
    await expect(commitAll(dir, 'x')).rejects.toThrow(/git commit failed: .*not a git repository/i);
  });

  it('never commits installed dependencies or virtualenvs, even when .gitignore does not ignore them', async () => {
    const dir = repo();
    for (const folder of ['node_modules/left-pad', 'web/node_modules/x', '.venv/lib', 'pkg/__pycache__']) {
      mkdirSync(path.join(dir, folder), { recursive: true });
      writeFileSync(path.join(dir, folder, 'f.js'), 'x');
    }
    writeFileSync(path.join(dir, 'package-lock.json'), '{}');
    writeFileSync(path.join(dir, 'app.js'), 'x');
    const result = await commitAll(dir, 'install');
    expect(result.committed).toBe(true);
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([
      'app.js',
      'package-lock.json',
    ]);
  });
});
