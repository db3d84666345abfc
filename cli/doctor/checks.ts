// `dkmv doctor`: what a machine needs to run dkmv (Node, Docker, the Temporal CLI, the sandbox
// image, agent credentials, a worker), each with what is missing and how to fix it.
import { spawnSync } from 'node:child_process';
import { resolveConfig } from '../../core/config/index.js';
import { resolveCredentials } from '../../core/agents/index.js';
import { temporalTargetFromEnv } from '../../core/temporal/connection-options.js';
import { serverAnswers } from '../stack/dev-server.js';
import { workerPolling } from '../stack/local-stack.js';
import { findTemporalCli } from '../stack/temporal-cli.js';

export interface Check {
  name: string;
  ok: boolean;
  /** What was found, or what is missing. */
  detail: string;
  /** How to fix it (only when not ok). */
  fix?: string;
  /** Not needed for every use: a missing one does not fail `dkmv doctor`. */
  optional?: boolean;
}

const SETUP = 'run `dkmv setup` (idempotent: installs what is missing, builds the images)';

export function nodeCheck(version = process.versions.node): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 10);
  return ok
    ? { name: 'node', ok, detail: `v${version}` }
    : { name: 'node', ok, detail: `v${version} (dkmv needs >= 20.10)`, fix: 'install Node.js 20.10 or newer' };
}

export function dockerCheck(): Check {
  const res = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 20_000 });
  if (res.error) return { name: 'docker', ok: false, detail: 'no docker client on PATH', fix: SETUP };
  if (res.status !== 0)
    return {
      name: 'docker',
      ok: false,
      detail: 'the Docker engine does not answer',
      fix: `start Docker (or ${SETUP}); your user must reach /var/run/docker.sock`,
    };
  return { name: 'docker', ok: true, detail: `engine ${res.stdout.trim()}` };
}

export function temporalCliCheck(): Check {
  const found = findTemporalCli();
  return found
    ? { name: 'temporal cli', ok: true, detail: found }
    : { name: 'temporal cli', ok: false, detail: 'not found (>= 1.5.1: dev server and Web UI)', fix: SETUP };
}

export function imageCheck(image = resolveConfig().values.image): Check {
  const res = spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { encoding: 'utf8' });
  return res.status === 0
    ? { name: 'sandbox image', ok: true, detail: image }
    : { name: 'sandbox image', ok: false, detail: `${image} is not built`, fix: `${SETUP}, or \`dkmv build\`` };
}

export async function credentialsCheck(): Promise<Check> {
  const creds = await resolveCredentials({ useGhCli: false });
  const found = [
    creds.anthropicApiKey && 'ANTHROPIC_API_KEY',
    creds.claudeOauthToken && 'CLAUDE_CODE_OAUTH_TOKEN',
    creds.claudeCredentialsFile && '~/.claude/.credentials.json',
    creds.openaiApiKey && creds.openaiApiKeySource,
  ].filter(Boolean);
  return found.length
    ? { name: 'agent credentials', ok: true, detail: found.join(', ') }
    : {
        name: 'agent credentials',
        ok: false,
        optional: true,
        detail: 'none (`dkmv test` needs none: it runs against a mock model)',
        fix: 'set ANTHROPIC_API_KEY (or log in with `claude`), or CODEX_API_KEY / OPENAI_API_KEY',
      };
}

export async function temporalCheck(): Promise<Check> {
  const target = temporalTargetFromEnv();
  if (!(await serverAnswers(target.address)))
    return {
      name: 'temporal server',
      ok: false,
      optional: !target.explicitAddress,
      detail: `nothing answers at ${target.address}${target.explicitAddress ? ' (TEMPORAL_ADDRESS)' : ''}`,
      fix: target.explicitAddress
        ? 'check TEMPORAL_ADDRESS, or unset it to use the local stack'
        : 'nothing to do: the first run starts the local stack (or start it now with `dkmv up`)',
    };
  const polling = await workerPolling(target).catch(() => false);
  return polling
    ? { name: 'temporal server', ok: true, detail: `${target.address}, a worker polls '${target.taskQueue}'` }
    : {
        name: 'temporal server',
        ok: false,
        optional: true,
        detail: `${target.address} answers, but no worker polls '${target.taskQueue}'`,
        fix: 'start one with `dkmv up` (background) or `dkmv worker`',
      };
}

export async function allChecks(): Promise<Check[]> {
  const docker = dockerCheck();
  return [
    nodeCheck(),
    docker,
    temporalCliCheck(),
    ...(docker.ok ? [imageCheck()] : []),
    await credentialsCheck(),
    await temporalCheck(),
  ];
}
