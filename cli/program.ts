// The dkmv CLI program: parse flags, then hand over to one command module per verb (cli/commands/*.ts).
import { Command, CommanderError } from 'commander';
import { applyProjectEnvironment } from '../core/config/project-env.js';
import { isUserError } from '../core/errors.js';
import { findProjectRoot } from '../core/project.js';
import { registerCommands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('dkmv')
    .description('Declarative agent workflows (Claude Code, Codex) that run durably on Temporal')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  applyProjectEnvironment(findProjectRoot());
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err);
  }
}

/** Turns an error into an exit code; user mistakes are printed without a stack trace. */
export function reportError(err: unknown): number {
  if (err instanceof Error && err.name === 'ExitPromptError') {
    // Ctrl-C at an @inquirer/prompts prompt: the user cancelled, nothing went wrong.
    process.stderr.write('cancelled\n');
    return 130;
  }
  if (err instanceof CommanderError) {
    // Commander already printed the message (and help); 0 for --help/--version.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (isUserError(err)) {
    process.stderr.write(`error: ${err.format()}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`dkmv: unexpected error (this is a bug, please report it):\n${message}\n`);
  return 1;
}
