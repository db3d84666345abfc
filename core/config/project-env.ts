// The project's `.env` and `.dkmv/config.json` reach the parts of dkmv that read the process
// environment: credentials (checked by the CLI, used by workers it starts) and the Temporal
// target. Values already in the environment win, as the configuration cascade says.
import path from 'node:path';
import { readDotenv } from './cascade.js';
import { readProjectConfig } from './project-config.js';

/** The environment as the shell gave it, before any project values were added. */
const shellEnvironment: Readonly<Record<string, string | undefined>> = { ...process.env };

export function originalEnvironment(): Readonly<Record<string, string | undefined>> {
  return shellEnvironment;
}

/** Variables taken from `.env` into the process environment. */
const FROM_DOTENV = [
  'ANTHROPIC_API_KEY',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'CODEX_API_KEY',
  'OPENAI_API_KEY',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_PROFILE',
  'TEMPORAL_CONFIG_FILE',
  // deprecated names (still read, with a notice)
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
  'TEMPORAL_TLS_CA',
  'DKMV_TASK_QUEUE',
  'DKMV_WEB_UI_URL',
];

/** config.json defaults that name the Temporal target, and their variables. */
const FROM_CONFIG: Record<string, string> = {
  temporal_address: 'TEMPORAL_ADDRESS',
  temporal_namespace: 'TEMPORAL_NAMESPACE',
  task_queue: 'DKMV_TASK_QUEUE',
  web_ui_url: 'DKMV_WEB_UI_URL',
};

export function applyProjectEnvironment(projectRoot: string, env: NodeJS.ProcessEnv = process.env): void {
  const dot = safely(() => readDotenv(path.join(projectRoot, '.env'))) ?? {};
  for (const key of FROM_DOTENV) if (env[key] === undefined && dot[key]) env[key] = dot[key];
  const defaults = (safely(() => readProjectConfig(projectRoot))?.defaults ?? {}) as Record<string, unknown>;
  for (const [key, variable] of Object.entries(FROM_CONFIG)) {
    const value = defaults[key];
    if (env[variable] === undefined && value !== undefined && value !== '') env[variable] = String(value);
  }
}

/** A broken .env or config.json is reported by the command that reads it, with its location. */
function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
