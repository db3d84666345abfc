// Pieces of `dkmv test` that need no server: answers for pause points, the default model script,
// and the throwaway repository.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultScript } from '../../../cli/commands/test.js';
import { answersFor, parseAnswers } from '../../../cli/test-run/driver.js';
import { commitsOn, makeThrowawayRepo } from '../../../cli/test-run/repo.js';
import { UserError } from '../../../core/errors.js';

const made: string[] = [];
const tmp = (): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-unit-test-cmd-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('dkmv test: answers', () => {
  const questions = [
    { id: 'next_step', question: 'What now?', options: ['fix', 'ship', 'abort'], default: 'fix' },
    { id: 'db', question: 'Which database?', options: ['sqlite', 'postgres'] },
    { id: 'name', question: 'Name it' },
  ];

  it('takes --answer, else the default, else the first option, else an empty answer', () => {
    expect(answersFor(questions, {})).toEqual({ next_step: 'fix', db: 'sqlite', name: '' });
    expect(answersFor(questions, { next_step: 'ship', name: 'auth' })).toEqual({
      next_step: 'ship',
      db: 'sqlite',
      name: 'auth',
    });
  });

  it('rejects an answer that is not an option, and malformed flags', () => {
    expect(() => answersFor(questions, { db: 'mysql' })).toThrow(/not one of the options \(sqlite, postgres\)/);
    expect(parseAnswers(['a=b=c', 'x='])).toEqual({ a: 'b=c', x: '' });
    expect(() => parseAnswers(['oops'])).toThrow(UserError);
  });
});

describe('dkmv test: model script and repository', () => {
  it("defaults to the component's model-script.yaml, or the only file in model-scripts/", () => {
    const a = tmp();
    writeFileSync(path.join(a, 'model-script.yaml'), 'sessions: []');
    expect(defaultScript(a)).toBe(path.join(a, 'model-script.yaml'));
    const b = tmp();
    mkdirSync(path.join(b, 'model-scripts'));
    writeFileSync(path.join(b, 'model-scripts', 'happy.yaml'), '');
    expect(defaultScript(b)).toBe(path.join(b, 'model-scripts', 'happy.yaml'));
    writeFileSync(path.join(b, 'model-scripts', 'sad.yaml'), '');
    expect(() => defaultScript(b)).toThrow(/no model-script.yaml/);
  });

  it('makes a bare repository whose main holds the seed files (or a README)', () => {
    const seed = tmp();
    mkdirSync(path.join(seed, 'src'));
    writeFileSync(path.join(seed, 'src', 'a.js'), 'export {};\n');
    const bare = makeThrowawayRepo(tmp(), seed);
    const files = execFileSync('git', ['-C', bare, 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' });
    expect(files.trim()).toBe('src/a.js');
    expect(commitsOn(bare, 'main')).toEqual(['initial commit (dkmv test)']);
    expect(commitsOn(bare, 'missing')).toEqual([]);
    const empty = makeThrowawayRepo(tmp());
    expect(execFileSync('git', ['-C', empty, 'show', 'main:README.md'], { encoding: 'utf8' })).toContain('dkmv test');
  });
});
