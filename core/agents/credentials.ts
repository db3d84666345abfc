// Credentials are resolved at run time on the worker (never passed through workflow inputs or
// history) and handed to the adapter that injects them into the container's environment.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { AgentName } from './events.js';

export interface Credentials {
  anthropicApiKey?: string;
  claudeOauthToken?: string;
  /** Host path of `~/.claude/.credentials.json`, mounted read-only into the container. */
  claudeCredentialsFile?: string;
  /** `CODEX_API_KEY`, else `OPENAI_API_KEY`. */
  openaiApiKey?: string;
  openaiApiKeySource?: 'CODEX_API_KEY' | 'OPENAI_API_KEY';
  /** `GITHUB_TOKEN`, `GH_TOKEN`, else `gh auth token`. */
  githubToken?: string;
  githubTokenSource?: 'GITHUB_TOKEN' | 'GH_TOKEN' | 'gh auth token';
  /** Token values found inside the credentials file (for redaction only). */
  fileSecrets: string[];
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** Home folder holding `.claude/.credentials.json` (default: the worker's home). */
  home?: string;
  /** Ask the GitHub CLI for a token when no env var has one (default true). */
  useGhCli?: boolean;
  /** How to run `gh auth token` (tests). */
  ghAuthToken?: () => Promise<string | undefined>;
}

const nonEmpty = (v: string | undefined): string | undefined => (v && v.trim() ? v.trim() : undefined);

export async function resolveCredentials(options: ResolveOptions = {}): Promise<Credentials> {
  const env = options.env ?? process.env;
  const creds: Credentials = { fileSecrets: [] };
  const anthropic = nonEmpty(env.ANTHROPIC_API_KEY);
  if (anthropic) creds.anthropicApiKey = anthropic;
  const oauth = nonEmpty(env.CLAUDE_CODE_OAUTH_TOKEN);
  if (oauth) creds.claudeOauthToken = oauth;

  const file = path.join(options.home ?? os.homedir(), '.claude', '.credentials.json');
  const fileSecrets = await readCredentialsFile(file);
  if (fileSecrets) {
    creds.claudeCredentialsFile = file;
    creds.fileSecrets = fileSecrets;
  }

  const codexKey = nonEmpty(env.CODEX_API_KEY);
  const openaiKey = nonEmpty(env.OPENAI_API_KEY);
  if (codexKey) Object.assign(creds, { openaiApiKey: codexKey, openaiApiKeySource: 'CODEX_API_KEY' });
  else if (openaiKey) Object.assign(creds, { openaiApiKey: openaiKey, openaiApiKeySource: 'OPENAI_API_KEY' });

  const github = nonEmpty(env.GITHUB_TOKEN);
  const gh = nonEmpty(env.GH_TOKEN);
  if (github) Object.assign(creds, { githubToken: github, githubTokenSource: 'GITHUB_TOKEN' });
  else if (gh) Object.assign(creds, { githubToken: gh, githubTokenSource: 'GH_TOKEN' });
  else if (options.useGhCli !== false) {
    const token = nonEmpty(await (options.ghAuthToken ?? ghAuthToken)());
    if (token) Object.assign(creds, { githubToken: token, githubTokenSource: 'gh auth token' });
  }
  return creds;
}

/** The string values of a Claude credentials file (tokens), or undefined when there is no usable file. */
async function readCredentialsFile(file: string): Promise<string[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const values: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') {
        if (v.length >= 16) values.push(v);
      } else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(JSON.parse(text));
    return values.length ? values : undefined;
  } catch {
    return undefined;
  }
}

function ghAuthToken(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('gh', ['auth', 'token'], { timeout: 5000 }, (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}

/** Every secret value in play, for `redact`. */
export function secretValues(creds: Credentials): string[] {
  return [
    creds.anthropicApiKey,
    creds.claudeOauthToken,
    creds.openaiApiKey,
    creds.githubToken,
    ...creds.fileSecrets,
  ].filter((v): v is string => !!v);
}

/** Which credential an agent would use; undefined when it has none. */
export function agentCredentialSource(agent: AgentName, creds: Credentials): string | undefined {
  if (agent === 'claude') {
    if (creds.anthropicApiKey) return 'ANTHROPIC_API_KEY';
    if (creds.claudeOauthToken) return 'CLAUDE_CODE_OAUTH_TOKEN';
    if (creds.claudeCredentialsFile) return creds.claudeCredentialsFile;
    return undefined;
  }
  return creds.openaiApiKeySource;
}

/**
 * Fails before any container starts when the agent has no credential and no model URL override
 * (a model URL may be a keyless gateway or the mock model).
 */
export function requireAgentCredentials(agent: AgentName, creds: Credentials, modelUrl?: string): void {
  if (modelUrl || agentCredentialSource(agent, creds)) return;
  if (agent === 'claude') {
    throw new UserError('no credentials for Claude Code', {
      hint:
        'set ANTHROPIC_API_KEY, or CLAUDE_CODE_OAUTH_TOKEN (from `claude setup-token`), or log in with `claude` so ' +
        '~/.claude/.credentials.json exists; or point the agent at another endpoint with --model-url / DKMV_MODEL_URL',
    });
  }
  throw new UserError('no credentials for Codex', {
    hint: 'set CODEX_API_KEY or OPENAI_API_KEY; or point the agent at another endpoint with --model-url / DKMV_MODEL_URL',
  });
}

/** The environment switch of the opt-in below (the flag is `--agent-github-token`). */
export const AGENT_GITHUB_TOKEN_ENV = 'DKMV_AGENT_GITHUB_TOKEN';

/** True when `DKMV_AGENT_GITHUB_TOKEN` turns the opt-in on (1, true, yes); off by default. */
export function agentGithubTokenAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes|on)$/i.test((env[AGENT_GITHUB_TOKEN_ENV] ?? '').trim());
}

/**
 * What an agent task's process gets when the user allowed the GitHub token for agents: the token
 * as `GITHUB_TOKEN`/`GH_TOKEN` (for `gh pr create`), and git told to ask `gh` for HTTPS credentials
 * to github.com (so the agent's own `git push` authenticates). Nothing without the opt-in or a token.
 * The token is one of `secretValues`, so it is redacted from everything dkmv writes.
 */
export function agentGithubEnv(creds: Credentials, allowed: boolean): Record<string, string> {
  if (!allowed || !creds.githubToken) return {};
  return {
    GITHUB_TOKEN: creds.githubToken,
    GH_TOKEN: creds.githubToken,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'credential.https://github.com.helper',
    GIT_CONFIG_VALUE_0: '!gh auth git-credential',
  };
}
