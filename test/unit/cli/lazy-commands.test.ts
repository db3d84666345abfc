// The CLI loads only the module of the command it runs: the table of which module registers which
// command must stay true, or a command would be missing (it would fall back to loading all).
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, modulesFor } from '../../../cli/commands/index.js';

describe('lazy command modules', () => {
  it('each module registers exactly the commands the table lists for it', async () => {
    for (const mod of COMMAND_MODULES) {
      const program = new Command('dkmv');
      (await mod.load()).register(program);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...mod.commands].sort());
    }
  });

  it('loads no module for --version, one for a known command, all for help or an unknown command', () => {
    const argv = (...args: string[]) => ['node', 'dkmv', ...args];
    expect(modulesFor(argv('--version'))).toEqual([]);
    expect(modulesFor(argv('-V'))).toEqual([]);
    expect(modulesFor(argv('runs', '--json')).map((m) => m.commands)).toEqual([['runs', 'show', 'logs']]);
    expect(modulesFor(argv('down', '--force')).map((m) => m.commands[0])).toEqual(['up']);
    expect(modulesFor(argv('--help'))).toBe(COMMAND_MODULES);
    expect(modulesFor(argv('frobnicate'))).toBe(COMMAND_MODULES);
    expect(modulesFor(argv())).toBe(COMMAND_MODULES);
  });
});
