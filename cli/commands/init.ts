// `dkmv init [--yes] [--repo] [--name]`: set up `.dkmv/` in the current folder.
import path from 'node:path';
import { input, select } from '@inquirer/prompts';
import type { Command } from 'commander';
import pc from 'picocolors';
import { readProjectConfig } from '../../core/config/index.js';
import { UserError } from '../../core/errors.js';
import { normalizeRepo } from '../run/repo.js';
import { describeSource, detect, writeProject, type InitChoices } from '../init/init.js';

interface InitOptions {
  yes?: boolean;
  repo?: string;
  name?: string;
}

const ok = (text: string) => `${pc.green('✓')} ${text}`;
const warn = (text: string) => `${pc.yellow('!')} ${text}`;

export function register(program: Command): void {
  program
    .command('init')
    .description('set up dkmv in this project: detect credentials, Docker and Temporal; create .dkmv/')
    .option('-y, --yes', 'accept all defaults, ask nothing')
    .option('--repo <url-or-path>', 'the repository runs work on (default: git remote origin)')
    .option('--name <name>', 'project name (default: the folder name)')
    .addHelpText(
      'after',
      '\nCreates .dkmv/config.json (repo, defaults, where credentials come from — never their values),\n' +
        '.dkmv/components.json (your registered components) and .dkmv/runs/ (run records).\n' +
        'Afterwards --repo is optional on every command. Running it again updates the config.',
    )
    .action(async (opts: InitOptions) => {
      await init(opts);
    });
}

async function init(opts: InitOptions): Promise<void> {
  const projectRoot = process.cwd();
  // A --repo that is not there is refused before anything is written (a run would fail on it later).
  if (opts.repo !== undefined) normalizeRepo(opts.repo, projectRoot);
  if (opts.name !== undefined && !opts.name.trim())
    throw new UserError('--name must not be empty', { hint: 'e.g. --name my-project (default: the folder name)' });
  const existing = readProjectConfig(projectRoot);
  const detection = await detect(projectRoot);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  log(pc.bold('Credentials'));
  const { claude, codex, github } = detection.credentials;
  log(claude.source === 'none' ? warn('Claude Code: not found') : ok(`Claude Code: ${describeSource(claude)}`));
  log(codex.source === 'none' ? pc.dim('  Codex: not found (optional)') : ok(`Codex: ${describeSource(codex)}`));
  log(
    github.source === 'none'
      ? pc.dim('  GitHub: not found (needed for private repos and --create-pr)')
      : ok(`GitHub: ${describeSource(github)}`),
  );
  if (claude.source === 'none' && codex.source === 'none')
    log(
      warn(
        'no agent credentials: set ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN, log in with `claude`,\n' +
          '  or set CODEX_API_KEY / OPENAI_API_KEY (or use --model-url with a gateway or `dkmv mock-model`)',
      ),
    );
  log(pc.bold('Environment'));
  log(
    detection.docker.ok
      ? ok(`Docker engine ${detection.docker.version}`)
      : warn(`Docker: ${detection.docker.error} (install or start Docker; runs need it)`),
  );
  if (detection.docker.ok)
    log(
      detection.image.present
        ? ok(`sandbox image ${detection.image.name}`)
        : warn(`sandbox image ${detection.image.name} missing: build it with \`dkmv build\``),
    );
  log(
    detection.temporal.reachable
      ? ok(`Temporal at ${detection.temporal.address}`)
      : detection.temporal.cli
        ? pc.dim(`  Temporal not running at ${detection.temporal.address}: \`dkmv up\` starts it (runs do too)`)
        : warn('Temporal CLI not found: run `npm run setup`, or set TEMPORAL_ADDRESS to a server'),
  );

  const interactive = !opts.yes && Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const defaultRepo = opts.repo ?? existing?.repo ?? detection.gitRemote;
  const defaultName = opts.name ?? existing?.name ?? path.basename(projectRoot);
  const choices: InitChoices = { name: defaultName, repo: defaultRepo };
  if (interactive) {
    log('');
    if (opts.repo === undefined)
      choices.repo =
        (
          await input({
            message: 'Repository (URL or path) runs work on',
            ...(defaultRepo ? { default: defaultRepo } : {}),
            validate: (value) => {
              if (!value.trim()) return true;
              try {
                normalizeRepo(value.trim(), projectRoot);
                return true;
              } catch (err) {
                return err instanceof UserError ? err.message : String(err);
              }
            },
          })
        ).trim() || undefined;
    if (opts.name === undefined)
      choices.name = (await input({ message: 'Project name', default: defaultName })).trim() || defaultName;
    const agentDefault =
      (existing?.defaults.agent as 'claude' | 'codex' | undefined) ??
      (claude.source === 'none' && codex.source !== 'none' ? 'codex' : 'claude');
    choices.agent = await select<'claude' | 'codex'>({
      message: 'Default agent',
      choices: [
        { name: `Claude Code${claude.source === 'none' ? ' (no credentials found)' : ''}`, value: 'claude' },
        { name: `Codex${codex.source === 'none' ? ' (no credentials found)' : ''}`, value: 'codex' },
      ],
      default: agentDefault,
    });
  }
  if (!choices.name.trim()) throw new UserError('--name must not be empty');

  const result = writeProject(projectRoot, choices, detection);
  log('');
  log(result.updated ? ok('updated .dkmv/config.json') : ok(`initialized dkmv in ${projectRoot}`));
  for (const c of result.created) log(`  created ${c}`);
  console.log(
    `project ${pc.bold(result.config.name ?? choices.name)}` +
      (result.config.repo
        ? ` · repo ${result.config.repo}`
        : pc.yellow(' · no repo set (pass --repo, or dkmv init --repo …)')),
  );
  console.log(pc.dim('next: dkmv run <component> --branch <branch>   (dkmv components lists them)'));
}
