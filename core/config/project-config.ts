// `.dkmv/config.json`: the project's repo, name, defaults and where credentials come from.
// It never holds secret values: credentials are recorded only as a source (e.g. "env:ANTHROPIC_API_KEY").
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { dkmvDir } from '../project.js';
import { closest } from '../component/did-you-mean.js';

export const CONFIG_KEYS = [
  'agent',
  'model',
  'max_turns',
  'image',
  'output_dir',
  'timeout_minutes',
  'memory',
  'max_budget_usd',
  'temporal_address',
  'temporal_namespace',
  'model_url',
  'task_queue',
  'host_start_timeout_seconds',
  'heartbeat_timeout_seconds',
  'max_daily_budget_usd',
  'on_budget_exhausted',
  'web_ui_url',
  'temporal_http_url',
  'notify',
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** How a credential is found at run time: a source, never the secret itself. */
export const CredentialSourceSchema = z.strictObject({
  /** env = worker environment, dotenv = the project's .env, file = a credentials file, command = e.g. `gh auth token`. */
  source: z.enum(['env', 'dotenv', 'file', 'command', 'keychain', 'none']),
  /** Variable name, file path or command, e.g. "ANTHROPIC_API_KEY" or "~/.claude/.credentials.json". */
  detail: z
    .string()
    .max(200)
    .refine((v) => !looksSecret(v), { message: 'looks like a secret value; store where it comes from, not the value' })
    .optional(),
});
export type CredentialSource = z.output<typeof CredentialSourceSchema>;

const defaultsShape = Object.fromEntries(
  CONFIG_KEYS.map((k) => [k, z.union([z.string(), z.number()]).optional()]),
) as Record<ConfigKey, z.ZodOptional<z.ZodUnion<[z.ZodString, z.ZodNumber]>>>;

export const ProjectConfigSchema = z.strictObject({
  version: z.literal(1).default(1),
  name: z.string().min(1).optional(),
  repo: z.string().min(1).optional(),
  defaults: z.strictObject(defaultsShape).default({}),
  /** Webhook URLs told when a run pauses for a decision or ends (same as defaults.notify). */
  notify: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  credentials: z
    .strictObject({
      claude: CredentialSourceSchema.optional(),
      codex: CredentialSourceSchema.optional(),
      github: CredentialSourceSchema.optional(),
    })
    .default({}),
});
export type ProjectConfig = z.output<typeof ProjectConfigSchema>;

/** Heuristic guard: API keys and tokens must never be written to config.json. */
export function looksSecret(value: string): boolean {
  return /^(sk-|sk_|ghp_|gho_|github_pat_|xox[abp]-)/.test(value) || /^[A-Za-z0-9_\-+/=]{40,}$/.test(value);
}

export function projectConfigPath(projectRoot: string): string {
  return path.join(dkmvDir(projectRoot), 'config.json');
}

/** Reads `.dkmv/config.json`; undefined when the project is not initialized. */
export function readProjectConfig(projectRoot: string): ProjectConfig | undefined {
  const file = projectConfigPath(projectRoot);
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`.dkmv/config.json is not valid JSON: ${(err as Error).message}`, {
      location: { file },
      hint: 'fix it by hand, or delete it and run dkmv init again',
    });
  }
  const result = ProjectConfigSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known =
      issue.path[0] === 'defaults'
        ? [...CONFIG_KEYS]
        : issue.path[0] === 'credentials'
          ? ['claude', 'codex', 'github']
          : ['version', 'name', 'repo', 'defaults', 'credentials', 'notify'];
    const suggestion = closest(key, known);
    throw new UserError(`unknown field "${field ? `${field}.` : ''}${key}" in .dkmv/config.json`, {
      location: { file, field: `${field ? `${field}.` : ''}${key}` },
      hint: suggestion ? `did you mean "${suggestion}"?` : `allowed: ${known.join(', ')}`,
    });
  }
  if (issue.path[0] === 'defaults' && issue.path.length === 2) throw defaultTypeError(String(issue.path[1]), file);
  throw new UserError(`.dkmv/config.json: ${field || 'file'}: ${issue.message}`, {
    location: { file, ...(field ? { field } : {}) },
    hint: 'fix the value by hand, or delete the file and run dkmv init again',
  });
}

/** Defaults that hold a number; the others hold text. */
const NUMERIC_DEFAULTS = new Set<string>([
  'max_turns',
  'timeout_minutes',
  'max_budget_usd',
  'host_start_timeout_seconds',
  'heartbeat_timeout_seconds',
  'max_daily_budget_usd',
]);

/** A default of the wrong JSON type (true, a list, an object, null): say which type it takes. */
function defaultTypeError(key: string, file: string): UserError {
  const wanted = NUMERIC_DEFAULTS.has(key) ? 'a number (e.g. 100)' : 'a text value in double quotes';
  return new UserError(`defaults.${key} in .dkmv/config.json must be ${wanted}`, {
    location: { file, field: `defaults.${key}` },
    hint: `write it as "${key}": ${NUMERIC_DEFAULTS.has(key) ? '100' : '"…"'}, or remove it to use the built-in default`,
  });
}

/** Writes `.dkmv/config.json` (validated; refuses anything that looks like a secret). */
export function writeProjectConfig(projectRoot: string, config: z.input<typeof ProjectConfigSchema>): ProjectConfig {
  const result = ProjectConfigSchema.safeParse(config);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UserError(`invalid project config (${issue.path.map(String).join('.') || 'root'}): ${issue.message}`);
  }
  for (const [key, value] of Object.entries(result.data.defaults)) {
    if (typeof value === 'string' && looksSecret(value)) {
      throw new UserError(`refusing to write defaults.${key}: it looks like a secret value`);
    }
  }
  mkdirSync(dkmvDir(projectRoot), { recursive: true });
  const ordered: ProjectConfig = {
    version: 1,
    ...(result.data.name !== undefined ? { name: result.data.name } : {}),
    ...(result.data.repo !== undefined ? { repo: result.data.repo } : {}),
    ...(result.data.notify !== undefined ? { notify: result.data.notify } : {}),
    defaults: result.data.defaults,
    credentials: result.data.credentials,
  };
  writeFileSync(projectConfigPath(projectRoot), `${JSON.stringify(ordered, null, 2)}\n`);
  return ordered;
}
