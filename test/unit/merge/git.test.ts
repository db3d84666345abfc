import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBranchOwnership, mergeBranches } from '../../../activities/merge/index.js';
import { UserError } from '../../../core/errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
}

function write(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

/** A repo with `files` committed on main, plus branches a and b edited by the callbacks. */
function repo(files: Record<string, string>, a: Record<string, string>, b: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-merge-'));
  dirs.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  for (const [f, t] of Object.entries(files)) write(dir, f, t);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  for (const [branch, edits] of [
    ['a', a],
    ['b', b],
  ] as const) {
    git(dir, 'checkout', '-q', '-b', branch, 'main');
    for (const [f, t] of Object.entries(edits)) write(dir, f, t);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', '-m', `edit ${branch}`);
  }
  git(dir, 'checkout', '-q', 'main');
  return dir;
}

const service = `import { db } from './db';

export function getUser(id: string) {
  return db.users.find(id);
}

export function listUsers() {
  return db.users.all();
}
`;

const withTail = (name: string) => `${service}\nexport function ${name}() {\n  return db.${name}();\n}\n`;

describe('mergeBranches on real git repositories', () => {
  it('resolves a conflict git reports when both branches append different functions', async () => {
    const dir = repo(
      { 'src/service.ts': service, 'README.md': 'readme\n' },
      { 'src/service.ts': withTail('countUsers') },
      { 'src/service.ts': withTail('deleteUser'), 'README.md': 'readme\nmore\n' },
    );
    const result = await mergeBranches({ repoDir: dir, target: 'a', source: 'b' });
    expect(result.status).toBe('merged');
    expect(result.conflicts).toEqual([]);
    expect(result.resolvedConflicts.map((r) => r.file)).toEqual(['src/service.ts']);
    expect(result.mergedFiles.sort()).toEqual(['README.md', 'src/service.ts']);
    expect(result.unparsable).toEqual([]);
    const merged = readFileSync(path.join(dir, 'src/service.ts'), 'utf8');
    expect(merged).toBe(`${withTail('countUsers')}\nexport function deleteUser() {\n  return db.deleteUser();\n}\n`);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(result.commit);
    expect(git(dir, 'rev-list', '--parents', '-n', '1', 'HEAD').trim().split(' ')).toHaveLength(3);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('reports remaining conflicts with symbol names and aborts by default', async () => {
    const dir = repo(
      { 'src/service.ts': service },
      { 'src/service.ts': service.replace('find(id)', 'findById(id)') },
      { 'src/service.ts': service.replace('find(id)', 'get(id)') },
    );
    const headBefore = git(dir, 'rev-parse', 'a').trim();
    const result = await mergeBranches({ repoDir: dir, target: 'a', source: 'b' });
    expect(result.status).toBe('conflicts');
    expect(result.conflicts).toEqual([{ file: 'src/service.ts', symbols: ['getUser'], kinds: ['both-modified'] }]);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(headBefore);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('leaves the merge in progress with per-symbol markers when asked to', async () => {
    const dir = repo(
      { 'src/service.ts': service },
      { 'src/service.ts': service.replace('find(id)', 'findById(id)') },
      { 'src/service.ts': service.replace('find(id)', 'get(id)').replace('all()', 'list()') },
    );
    const result = await mergeBranches({ repoDir: dir, target: 'a', source: 'b', onConflict: 'leave' });
    expect(result.status).toBe('conflicts');
    const text = readFileSync(path.join(dir, 'src/service.ts'), 'utf8');
    expect(text).toContain('<<<<<<< ours');
    expect(text).toContain('return db.users.list();');
    git(dir, 'merge', '--abort');
  });

  it('merges cleanly without the engine when git can, and reports up-to-date merges', async () => {
    const dir = repo({ 'a.py': 'def a():\n    return 1\n' }, { 'b.py': 'x = 1\n' }, { 'c.py': 'y = 2\n' });
    const first = await mergeBranches({ repoDir: dir, target: 'a', source: 'b', message: 'land b' });
    expect(first.status).toBe('merged');
    expect(first.resolvedConflicts).toEqual([]);
    expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('land b');
    const second = await mergeBranches({ repoDir: dir, target: 'a', source: 'b' });
    expect(second.status).toBe('up-to-date');
  });

  it('merges package.json by key and keeps a lockfile both changed, flagged for regeneration', async () => {
    const manifest = (deps: string) => `{\n  "name": "web",\n  "dependencies": {\n${deps}\n  }\n}\n`;
    // Edits far apart: git alone would merge this lockfile as text.
    const lock = (v: string) =>
      `{\n  "lockfileVersion": 3,\n  "top": "${v === 'ours' ? 'ours' : 'base'}",\n  "x1": 1,\n  "x2": 2,\n  "x3": 3,\n  "bottom": "${v === 'theirs' ? 'theirs' : 'base'}"\n}\n`;
    const dir = repo(
      { 'package.json': manifest('    "a": "1"'), 'package-lock.json': lock('base') },
      { 'package.json': manifest('    "a": "1",\n    "b": "2"'), 'package-lock.json': lock('ours') },
      { 'package.json': manifest('    "a": "1",\n    "c": "3"'), 'package-lock.json': lock('theirs') },
    );
    const result = await mergeBranches({ repoDir: dir, target: 'a', source: 'b' });
    expect(result.status).toBe('merged');
    expect(result.regenerate).toEqual(['package-lock.json']);
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(
      manifest('    "a": "1",\n    "b": "2",\n    "c": "3"'),
    );
    expect(readFileSync(path.join(dir, 'package-lock.json'), 'utf8')).toBe(lock('ours'));
  });

  it('keeps git line conflicts for files it cannot parse structurally', async () => {
    const dir = repo({ 'notes.md': 'one\n' }, { 'notes.md': 'two\n' }, { 'notes.md': 'three\n' });
    const result = await mergeBranches({ repoDir: dir, target: 'a', source: 'b' });
    expect(result.conflicts).toEqual([{ file: 'notes.md', symbols: ['(file)'], kinds: ['text'] }]);
  });

  it('rejects a dirty working tree and unknown branches with a UserError', async () => {
    const dir = repo({ 'a.ts': 'export const a = 1;\n' }, {}, {});
    await expect(mergeBranches({ repoDir: dir, target: 'a', source: 'nope' })).rejects.toBeInstanceOf(UserError);
    write(dir, 'a.ts', 'export const a = 2;\n');
    await expect(mergeBranches({ repoDir: dir, target: 'a', source: 'b' })).rejects.toBeInstanceOf(UserError);
  });
});

describe('checkBranchOwnership', () => {
  it('lists the symbols a branch touched that it does not own', async () => {
    const dir = repo(
      { 'src/service.ts': service, 'src/other.py': 'def f():\n    return 1\n' },
      {},
      {
        'src/service.ts': withTail('countUsers').replace('find(id)', 'findById(id)').replace('all()', 'list()'),
        'src/other.py': 'def f():\n    return 2\n',
      },
    );
    const owners = { 'src/service.ts:getUser': 'gen-1', 'src/service.ts:countUsers': 'gen-1', 'src/other.py': 'gen-2' };
    const result = await checkBranchOwnership({ repoDir: dir, base: 'main', branch: 'b', owner: 'gen-1', owners });
    expect(result.ok).toBe(false);
    expect(result.violations).toMatchObject([
      { file: 'src/other.py', symbol: 'f', kind: 'symbol', change: 'modified', owner: 'gen-2' },
      { file: 'src/service.ts', symbol: 'listUsers', kind: 'symbol', change: 'modified', owner: null },
    ]);
  });
});
