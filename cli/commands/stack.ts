// `dkmv up`, `dkmv down`, `dkmv status`, `dkmv worker`: the user's local stack (one per user, shared
// by all projects) and a foreground worker.
import type { Command } from 'commander';
import pc from 'picocolors';
import { temporalTargetFromEnv } from '../../core/temporal/connection-options.js';
import { down, up } from '../stack/local-stack.js';

const say = (line: string) => process.stderr.write(`${pc.dim('dkmv:')} ${line}\n`);

export function register(program: Command): void {
  program
    .command('up')
    .description(
      'start the local stack (one per user): a Temporal dev server (with Web UI) and a worker, in the background',
    )
    .option('--no-worker', 'start only the Temporal server')
    .action(async (opts: { worker: boolean }) => {
      const result = await up({ worker: opts.worker, log: say });
      if (!result.serverStarted) say(`Temporal server already running at ${result.address}`);
      if (result.otherBuild?.action === 'held') say(`warning: ${result.otherBuild.why}`);
      else if (opts.worker && !result.workerStarted) say('worker already running');
      console.log(`Temporal: ${result.address}`);
      console.log(`Web UI:   ${result.uiUrl}`);
    });

  program
    .command('down')
    .description('stop the local stack; refuses while runs are in flight (and names them) unless --force')
    .option('--force', 'stop even with runs in flight (they resume at the next `dkmv up`)')
    .action(async (opts: { force?: boolean }) => {
      const stopped = await down({ log: say, force: Boolean(opts.force) });
      console.log(
        stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing to stop (the local stack was not running)',
      );
    });

  program
    .command('status')
    .description('show the local stack: its server, its worker(s) and the runs in flight')
    .option('--json', 'print one JSON object (for scripts)')
    .action(async (opts: { json?: boolean }) => {
      const { stackStatus, statusText } = await import('../stack/status.js');
      const status = await stackStatus();
      console.log(opts.json ? JSON.stringify(status, null, 2) : statusText(status));
    });

  program
    .command('worker')
    .description('run a worker in the foreground (Ctrl-C drains and stops it)')
    .action(async () => {
      // Loaded here only: the worker's modules (SDK, activities, Docker) are the CLI's heaviest.
      const { runWorker } = await import('../../workers/worker.js');
      await runWorker({ target: temporalTargetFromEnv() });
      // Drained and stopped: leave now, even if the server went away first (its connection may linger).
      process.exit(0);
    });
}
