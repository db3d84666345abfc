// The README's tour cannot drift: every command in it (between the tour markers) is run by the demo
// (scripts/demo) or by a test, with the same subcommand, arguments and flags (values aside).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DKMV_HOME } from '../../../core/project.js';

interface TourCommand {
  line: string;
  /** Subcommand and literal arguments, in order (placeholders like `<run-id>` left out). */
  words: string[];
  flags: string[];
}

function tourCommands(readme: string): TourCommand[] {
  const start = readme.indexOf('<!-- tour:start -->');
  const end = readme.indexOf('<!-- tour:end -->');
  if (start < 0 || end < start) throw new Error('README.md has no tour markers');
  const commands: TourCommand[] = [];
  for (const raw of readme.slice(start, end).split('\n')) {
    const line = raw.replace(/\s#\s.*$/, '').trim();
    if (!line || line.startsWith('#') || line.startsWith('```') || line.startsWith('<!--')) continue;
    if (line.startsWith('alias ')) continue;
    for (const part of line.split('&&').map((p) => p.trim())) {
      if (part.startsWith('cd ')) continue;
      const tokens = part.split(/\s+/);
      const words: string[] = [];
      const flags: string[] = [];
      let afterFlag = false;
      for (const t of tokens.slice(1)) {
        if (t.startsWith('-')) {
          flags.push(t);
          afterFlag = true;
        } else if (afterFlag)
          afterFlag = false; // the flag's value
        else if (!t.startsWith('<')) words.push(t);
      }
      commands.push({ line: part, words: tokens[0] === 'dkmv' ? words : [tokens[0]!, ...words], flags });
    }
  }
  return commands;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : testFiles(full);
    return e.name.endsWith('.ts') && full !== fileURLToPath(import.meta.url) ? [full] : [];
  });
}

/** Every CLI invocation written down: argument arrays in the tests, `bin/dkmv.js …` lines in the demo. */
function invocations(): string[][] {
  const found: string[][] = [];
  for (const file of testFiles(path.join(DKMV_HOME, 'test'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\[([^[\]]*)\]/g)) {
      const strings = [...m[1]!.matchAll(/'([^']*)'|"([^"]*)"/g)].map((s) => s[1] ?? s[2]!);
      if (strings.length) found.push(strings);
    }
  }
  for (const line of readFileSync(path.join(DKMV_HOME, 'scripts/demo'), 'utf8').split('\n')) {
    const at = line.indexOf('bin/dkmv.js ');
    if (at >= 0)
      found.push(
        line
          .slice(at + 'bin/dkmv.js '.length)
          .trim()
          .split(/\s+/),
      );
  }
  return found;
}

const startsWith = (list: string[], prefix: string[]) => prefix.every((w, i) => list[i] === w);

/** Run as written, or through a helper that adds the subcommand itself (`dkmvTest(['hello'])`). */
function covered(cmd: TourCommand, runs: string[][]): boolean {
  return runs.some(
    (run) =>
      (startsWith(run, cmd.words) || (cmd.words.length > 1 && startsWith(run, cmd.words.slice(1)))) &&
      cmd.flags.every((f) => run.includes(f)),
  );
}

describe('README tour', () => {
  const commands = tourCommands(readFileSync(path.join(DKMV_HOME, 'README.md'), 'utf8'));
  const runs = invocations();

  it('has commands', () => {
    expect(commands.length).toBeGreaterThan(10);
  });

  it('would catch a command nobody runs, or a flag nobody passes', () => {
    expect(covered({ line: 'dkmv test tour-zz', words: ['test', 'tour-zz'], flags: [] }, runs)).toBe(false);
    expect(covered({ line: 'dkmv runs --tour-zz', words: ['runs'], flags: ['--tour-zz'] }, runs)).toBe(false);
  });

  it.each(commands.map((c) => [c.line, c] as const))('%s is run by the demo or a test', (_line, cmd) => {
    expect(covered(cmd, runs)).toBe(true);
  });
});
