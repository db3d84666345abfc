// Every CLI verb lives in its own module that exports `register(program)`. A module is imported only
// when one of its commands runs (all of them for the top-level help or an unknown command), so a
// command pays the start-up cost of its own dependencies and no others.
import type { Command } from 'commander';

type Registrar = (program: Command) => void;
interface CommandModule {
  /** The commands the module registers (test/unit/cli/lazy-commands.test.ts keeps this true). */
  commands: string[];
  load: () => Promise<{ register: Registrar }>;
}

export const COMMAND_MODULES: CommandModule[] = [
  { commands: ['init'], load: () => import('./init.js') },
  { commands: ['plan', 'dev', 'qa', 'docs', 'ship'], load: () => import('./pipelines.js') },
  { commands: ['run'], load: () => import('./run.js') },
  { commands: ['components', 'register', 'unregister'], load: () => import('./components.js') },
  { commands: ['runs', 'show', 'logs'], load: () => import('./runs.js') },
  { commands: ['attach', 'stop', 'clean', 'approve'], load: () => import('./control.js') },
  { commands: ['build'], load: () => import('./build.js') },
  { commands: ['up', 'down', 'status', 'worker'], load: () => import('./stack.js') },
  { commands: ['mock-model'], load: () => import('./mock-model.js') },
  { commands: ['test'], load: () => import('./test.js') },
  { commands: ['harness'], load: () => import('./harness.js') },
  { commands: ['cost'], load: () => import('./cost.js') },
  { commands: ['doctor', 'setup'], load: () => import('./doctor.js') },
];

/** The modules needed for `argv`: none for --version, the one that owns its command, or all of them. */
export function modulesFor(argv: string[]): CommandModule[] {
  const args = argv.slice(2);
  const name = args.find((a) => !a.startsWith('-'));
  if (name === undefined && (args.includes('--version') || args.includes('-V'))) return [];
  const owner = name === undefined ? undefined : COMMAND_MODULES.find((m) => m.commands.includes(name));
  return owner ? [owner] : COMMAND_MODULES;
}

export async function registerCommands(program: Command, argv: string[] = []): Promise<void> {
  const modules = argv.length ? modulesFor(argv) : COMMAND_MODULES;
  for (const { register } of await Promise.all(modules.map((m) => m.load()))) register(program);
  // A usage error names what is wrong, then the command's usage line (not the whole help).
  for (const cmd of program.commands) {
    cmd.showHelpAfterError(
      `usage: dkmv ${cmd.name()} ${cmd.usage()}\n(run \`dkmv ${cmd.name()} --help\` for all options)`,
    );
  }
  program.addHelpText(
    'after',
    '\nExit codes: 0 success · 1 the run failed (or was cancelled) · 2 usage or input error ·\n' +
      '3 the run waits for input (answer it with `dkmv approve <run-id>`).\n' +
      'Start here: dkmv init, then dkmv run <component> --branch <branch>. Help on a command: dkmv <command> --help',
  );
}
