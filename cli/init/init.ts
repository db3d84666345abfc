// `dkmv init`: detect credentials (which source, never the value), the Docker engine and Temporal;
// create `.dkmv/config.json`, `.dkmv/components.json` and `.dkmv/runs/`. Afterwards --repo is
// optional everywhere and run folders go to `.dkmv/runs/`.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveCredentials, agentCredentialSource, type Credentials } from '../../core/agents/credentials.js';
import {
  readDotenv,
  readProjectConfig,
  resolveConfig,
  writeProjectConfig,
  type CredentialSource,
  type ProjectConfig,
} from '../../core/config/index.js';
import { registryPath } from '../../core/component/index.js';
import { originalEnvironment } from '../../core/config/project-env.js';
import { dkmvDir } from '../../core/project.js';
import { temporalTargetFromEnv } from '../../core/temporal/connection-options.js';
import { serverAnswers } from '../stack/dev-server.js';
import { findTemporalCli } from '../stack/temporal-cli.js';

export interface Detection {
  credentials: { claude: CredentialSource; codex: CredentialSource; github: CredentialSource };
  docker: { ok: boolean; version?: string; error?: string };
  image: { name: string; present: boolean };
  temporal: { address: string; reachable: boolean; cli: string | undefined };
  gitRemote: string | undefined;
}

const tilde = (p: string): string => (p.startsWith(os.homedir()) ? `~${p.slice(os.homedir().length)}` : p);

/** Where each credential comes from: env (the shell), dotenv (the project's .env), file or command. */
export function credentialSources(
  creds: Credentials,
  processEnv: NodeJS.ProcessEnv,
): { claude: CredentialSource; codex: CredentialSource; github: CredentialSource } {
  const from = (variable: string): CredentialSource => ({
    source: processEnv[variable]?.trim() ? 'env' : 'dotenv',
    detail: variable,
  });
  const claudeSource = agentCredentialSource('claude', creds);
  const claude: CredentialSource = !claudeSource
    ? { source: 'none' }
    : claudeSource === creds.claudeCredentialsFile
      ? { source: 'file', detail: tilde(claudeSource) }
      : from(claudeSource);
  const codex: CredentialSource = creds.openaiApiKeySource ? from(creds.openaiApiKeySource) : { source: 'none' };
  const github: CredentialSource = !creds.githubTokenSource
    ? { source: 'none' }
    : creds.githubTokenSource === 'gh auth token'
      ? { source: 'command', detail: 'gh auth token' }
      : from(creds.githubTokenSource);
  return { claude, codex, github };
}

export function describeSource(s: CredentialSource): string {
  switch (s.source) {
    case 'none':
      return 'not found';
    case 'env':
      return `${s.detail} (environment)`;
    case 'dotenv':
      return `${s.detail} (.env)`;
    case 'file':
      return `${s.detail} (credentials file)`;
    case 'command':
      return `\`${s.detail}\``;
    default:
      return `${s.source}${s.detail ? `: ${s.detail}` : ''}`;
  }
}

function gitRemote(cwd: string): string | undefined {
  const res = spawnSync('git', ['remote', 'get-url', 'origin'], { cwd, encoding: 'utf8' });
  return res.status === 0 && res.stdout.trim() ? res.stdout.trim() : undefined;
}

export async function detect(projectRoot: string): Promise<Detection> {
  const dot = readDotenv(path.join(projectRoot, '.env'));
  const env = { ...dot, ...process.env };
  const creds = await resolveCredentials({ env });
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 });
  const docker: Detection['docker'] =
    info.error || info.status !== 0
      ? {
          ok: false,
          error: info.error ? 'docker client not found' : (info.stderr || 'no answer').trim().split('\n')[0],
        }
      : { ok: true, version: info.stdout.trim() };
  const config = resolveConfig({ projectRoot });
  const imageName = config.values.image;
  const present =
    docker.ok &&
    spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', imageName], { encoding: 'utf8' }).status === 0;
  const target = temporalTargetFromEnv();
  return {
    credentials: credentialSources(creds, originalEnvironment()),
    docker,
    image: { name: imageName, present },
    temporal: { address: target.address, reachable: await serverAnswers(target.address), cli: findTemporalCli() },
    gitRemote: gitRemote(projectRoot),
  };
}

export interface InitChoices {
  name: string;
  repo: string | undefined;
  agent?: 'claude' | 'codex';
}

export interface InitResult {
  config: ProjectConfig;
  created: string[];
  updated: boolean;
}

/** Writes `.dkmv/` (idempotent: an existing config keeps its defaults; given fields replace old ones). */
export function writeProject(projectRoot: string, choices: InitChoices, detection: Detection): InitResult {
  const existing = readProjectConfig(projectRoot);
  const created: string[] = [];
  const defaults = { ...(existing?.defaults ?? {}) };
  if (choices.agent && choices.agent !== 'claude') defaults.agent = choices.agent;
  else if (choices.agent === 'claude' && defaults.agent !== undefined) delete defaults.agent;
  const config = writeProjectConfig(projectRoot, {
    version: 1,
    name: choices.name,
    ...(choices.repo ? { repo: choices.repo } : {}),
    defaults,
    credentials: detection.credentials,
  });
  if (!existing) created.push('.dkmv/config.json');
  const registry = registryPath(projectRoot);
  if (!existsSync(registry)) {
    writeFileSync(registry, '{}\n');
    created.push('.dkmv/components.json');
  }
  const runs = path.join(dkmvDir(projectRoot), 'runs');
  if (!existsSync(runs)) {
    mkdirSync(runs, { recursive: true });
    created.push('.dkmv/runs/');
  }
  if (existsSync(path.join(projectRoot, '.git'))) {
    const gitignore = path.join(projectRoot, '.gitignore');
    const text = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
    if (!/^\/?\.dkmv\/runs\/?$/m.test(text)) {
      appendFileSync(gitignore, `${text && !text.endsWith('\n') ? '\n' : ''}# dkmv run records\n.dkmv/runs/\n`);
      created.push('.gitignore entry .dkmv/runs/');
    }
  }
  return { config, created, updated: Boolean(existing) };
}
