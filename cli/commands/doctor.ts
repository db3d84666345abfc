// `dkmv doctor` (what is missing on this machine and how to fix it) and `dkmv setup` (install it:
// the same idempotent steps as a checkout's scripts/setup, run from the installed package).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { DKMV_HOME } from '../../core/project.js';
import { allChecks, type Check } from '../doctor/checks.js';

function line(c: Check): string {
  const mark = c.ok ? pc.green('ok     ') : c.optional ? pc.yellow('note   ') : pc.red('missing');
  return `${mark} ${c.name.padEnd(18)} ${c.detail}${!c.ok && c.fix ? `\n        ${' '.repeat(18)} fix: ${c.fix}` : ''}`;
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'check what dkmv needs on this machine (Node, Docker, Temporal CLI, sandbox image, credentials, worker)',
    )
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { json?: boolean }) => {
      const checks = await allChecks();
      console.log(opts.json ? JSON.stringify(checks, null, 2) : checks.map(line).join('\n'));
      process.exitCode = checks.some((c) => !c.ok && !c.optional) ? 1 : 0;
    });

  program
    .command('setup')
    .description(
      'install what dkmv needs on this machine (Docker engine, Temporal CLI, sandbox images): idempotent, from the installed package',
    )
    .action(() => {
      // The installed package has its dependencies and compiled code already: only the machine steps.
      const res = spawnSync('bash', [path.join(DKMV_HOME, 'scripts', 'setup')], {
        stdio: 'inherit',
        env: { ...process.env, DKMV_SETUP_MACHINE_ONLY: '1' },
      });
      process.exitCode = res.status ?? 1;
    });
}
