// The dkmv CLI program: parse flags, then hand over to one command module per verb (cli/commands/*.ts).
// Kept light on purpose: `dkmv --version` loads nothing but commander, and a command loads only
// its own module (cli/commands/index.ts).
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isUserError } from '../core/errors.js';
import { DKMV_HOME, findProjectRoot } from '../core/project.js';
import { classifyTemporalError } from './temporal-errors.js';
import { registerCommands } from './commands/index.js';
import { keepRuntimeWarningsFromUsers } from './runtime-warnings.js';
import { exitQuietlyOnEpipe } from './epipe.js';

function version(): string {
  try {
    return (JSON.parse(readFileSync(`${DKMV_HOME}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The program with the commands `argv` needs (all of them when argv is not given). */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('dkmv')
    .description('Declarative agent workflows (Claude Code, Codex) that run durably on Temporal')
    .version(version())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // The project's .env and config reach the environment only when a command runs (not for --help).
  program.hook('preAction', async () => {
    const { applyProjectEnvironment } = await import('../core/config/project-env.js');
    applyProjectEnvironment(findProjectRoot());
  });
  await registerCommands(program, argv);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  exitQuietlyOnEpipe();
  keepRuntimeWarningsFromUsers();
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err);
  }
}

/**
 * A Temporal error raised after connecting (the server went away, the namespace was removed):
 * still the user's to fix, so reported like one. Only gRPC-shaped errors are looked at.
 */
function temporalUserError(err: unknown): ReturnType<typeof classifyTemporalError> {
  if (!(err instanceof Error) || !/ServiceError|TransportError|GrpcError/.test(`${err.name} ${err.constructor.name}`))
    if (typeof (err as { code?: unknown } | undefined)?.code !== 'number') return undefined;
  // The environment's settings, read plainly (a config profile may say more; this is a fallback).
  const env = process.env;
  return classifyTemporalError(err, {
    address: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.DKMV_TASK_QUEUE || 'dkmv',
    explicitAddress: Boolean(env.TEMPORAL_ADDRESS),
    ...(env.TEMPORAL_API_KEY ? { apiKey: 'set' } : {}),
  });
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
  const temporal = temporalUserError(err);
  if (temporal) {
    process.stderr.write(`error: ${temporal.format()}\n`);
    return temporal.exitCode;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`dkmv: unexpected error (this is a bug, please report it):\n${message}\n`);
  return 1;
}
