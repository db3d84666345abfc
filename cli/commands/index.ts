// Every CLI verb lives in its own module that exports `register(program)`.
import type { Command } from 'commander';
import { register as init } from './init.js';
import { register as pipelines } from './pipelines.js';
import { register as components } from './components.js';
import { register as runs } from './runs.js';
import { register as control } from './control.js';
import { register as build } from './build.js';
import { register as stack } from './stack.js';
import { register as run } from './run.js';
import { register as mockModel } from './mock-model.js';
import { register as test } from './test.js';
import { register as harness } from './harness.js';

type Registrar = (program: Command) => void;

const registrars: Registrar[] = [
  init,
  pipelines,
  run,
  components,
  runs,
  control,
  build,
  stack,
  mockModel,
  test,
  harness,
];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
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
