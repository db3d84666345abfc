// The configuration cascade: flags > environment > .env > .dkmv/config.json > built-in defaults.
// Every value remembers where it came from (for `dkmv init` and `dkmv show`). Secrets (API keys,
// tokens) are deliberately not part of it: activities read them from the worker's environment.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { UserError } from '../errors.js';
import { findProjectRoot } from '../project.js';
import { DEFAULT_MODELS } from '../component/params.js';
import { DEFAULT_HEARTBEAT_TIMEOUT_SECONDS, DEFAULT_HOST_START_TIMEOUT_SECONDS } from '../engine/run-types.js';
import { AGENTS } from '../component/schema.js';
import type { AgentName, ExecutionParams } from '../component/schema.js';
import { CONFIG_KEYS, projectConfigPath, readProjectConfig } from './project-config.js';
import type { ConfigKey, ProjectConfig } from './project-config.js';
import { parseNotifyUrls } from '../notify/targets.js';
import { resolveRunsDir } from './runs-dir.js';

export interface DkmvConfig {
  agent: AgentName;
  model: string;
  max_turns: number;
  image: string;
  /** Absolute folder that contains `runs/` (`.dkmv` in an initialized project, else `./outputs`), as in DKMV. */
  output_dir: string;
  /** Absolute folder of the run folders: `<output_dir>/runs` (or output_dir itself in dkmv's old layout). */
  runs_dir: string;
  timeout_minutes: number;
  memory: string;
  max_budget_usd: number | undefined;
  temporal_address: string;
  temporal_namespace: string;
  model_url: string | undefined;
  task_queue: string;
  /** How long a sandbox host's work may wait for that host's worker before the host counts as lost. */
  host_start_timeout_seconds: number;
  /** How long a silent agent activity counts as alive: the wait before a new worker takes over. */
  heartbeat_timeout_seconds: number;
  /** The project's spend ceiling per UTC day across every run and harness (the budget ledger). */
  max_daily_budget_usd: number | undefined;
  /** What a run does when the day's ceiling leaves no room for its grant. */
  on_budget_exhausted: 'wait' | 'fail';
  /** The Temporal Web UI's address for the CLI's links (default: the local stack's UI port). */
  web_ui_url: string | undefined;
  /** Temporal's HTTP API (for the curl answer in notifications; the local stack's is known). */
  temporal_http_url: string | undefined;
  /** Webhook URLs told when a run pauses for a decision or ends (--notify, DKMV_NOTIFY_URL, notify). */
  notify: string[] | undefined;
}

export type ConfigSourceKind = 'flag' | 'env' | '.env' | 'config.json' | 'default' | 'unset';

export interface ConfigSource {
  kind: ConfigSourceKind;
  /** Human-readable origin, e.g. "--max-turns", "DKMV_MAX_TURNS in .env", "built-in default". */
  label: string;
  /** The raw value as written there (settings here are never secrets). */
  raw?: string;
}

export interface ResolvedConfig {
  values: DkmvConfig;
  sources: Record<ConfigKey, ConfigSource>;
  /** From flags or .dkmv/config.json. */
  repo: string | undefined;
  repoSource: ConfigSource;
  /** Project name from .dkmv/config.json, else the project folder's name. */
  name: string;
  projectRoot: string;
  /** True when `.dkmv/config.json` exists. */
  initialized: boolean;
  project: ProjectConfig | undefined;
  /** One-line notices about the configuration for stderr (e.g. run folders in an old layout). */
  notices: string[];
}

/** Settings that the run commands (`dkmv run`, `dkmv dev`, …) accept as flags; the rest come only from
 * the environment, .env or .dkmv/config.json. */
export type FlagKey =
  | 'agent'
  | 'model'
  | 'max_turns'
  | 'timeout_minutes'
  | 'max_budget_usd'
  | 'memory'
  | 'model_url'
  | 'max_daily_budget_usd'
  | 'on_budget_exhausted'
  | 'notify';

interface Setting {
  env: string;
  /** The run-command flag, only for settings that have one (error hints name it). */
  flag?: string;
  default: (ctx: { projectRoot: string; initialized: boolean }) => unknown;
  parse: (raw: string, ctx: { projectRoot: string }) => { value: unknown } | { error: string };
}

/** The smallest container memory limit accepted (Claude Code / Codex + git need a few hundred MB). */
export const MIN_MEMORY = '256m';
const MEMORY_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const MIN_MEMORY_BYTES = 256 * 1024 ** 2;

const ok = (value: unknown): { value: unknown } => ({ value });
const str = (raw: string): { value: unknown } | { error: string } =>
  raw.trim() ? ok(raw.trim()) : { error: 'must not be empty' };
const posInt = (raw: string): { value: unknown } | { error: string } =>
  /^\s*\d+\s*$/.test(raw) && Number(raw) > 0 ? ok(Number(raw)) : { error: 'must be a whole number greater than 0' };
const httpUrl = (raw: string): { value: unknown } | { error: string } => {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? ok(raw.trim().replace(/\/+$/, ''))
      : { error: 'must be an http(s) URL' };
  } catch {
    return { error: 'must be an http(s) URL, e.g. http://127.0.0.1:4010' };
  }
};
const posNum = (raw: string): { value: unknown } | { error: string } =>
  /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(raw) && Number(raw) > 0
    ? ok(Number(raw))
    : { error: 'must be a number greater than 0' };

export const SETTINGS: Record<ConfigKey, Setting> = {
  agent: {
    env: 'DKMV_AGENT',
    flag: '--agent',
    default: () => 'claude',
    parse: (raw) =>
      (AGENTS as readonly string[]).includes(raw.trim().toLowerCase())
        ? ok(raw.trim().toLowerCase())
        : { error: `must be one of ${AGENTS.join(', ')}` },
  },
  model: { env: 'DKMV_MODEL', flag: '--model', default: () => DEFAULT_MODELS.claude, parse: str },
  max_turns: { env: 'DKMV_MAX_TURNS', flag: '--max-turns', default: () => 100, parse: posInt },
  image: { env: 'DKMV_IMAGE', default: () => 'dkmv-sandbox:latest', parse: str },
  output_dir: {
    env: 'DKMV_OUTPUT_DIR',
    default: ({ projectRoot, initialized }) =>
      initialized ? path.join(projectRoot, '.dkmv') : path.join(projectRoot, 'outputs'),
    parse: (raw, { projectRoot }) =>
      raw.trim() ? ok(path.resolve(projectRoot, raw.trim())) : { error: 'must not be empty' },
  },
  timeout_minutes: { env: 'DKMV_TIMEOUT', flag: '--timeout', default: () => 30, parse: posNum },
  memory: {
    env: 'DKMV_MEMORY',
    flag: '--memory',
    default: () => '8g',
    parse: (raw) => {
      const m = /^(\d+(?:\.\d+)?)([bkmg]?)$/i.exec(raw.trim());
      if (!m) return { error: 'must be a size like 512m, 8g or 16g' };
      // The agent CLIs are Node programs next to git and a shell: below this they are killed
      // mid-task ("Killed"), so a smaller limit is refused before anything starts.
      const bytes = Number(m[1]) * (MEMORY_UNITS[m[2]!.toLowerCase()] ?? 1);
      if (bytes < MIN_MEMORY_BYTES) return { error: `is too small: the agent CLIs need at least ${MIN_MEMORY}` };
      return ok(raw.trim().toLowerCase());
    },
  },
  max_budget_usd: { env: 'DKMV_MAX_BUDGET_USD', flag: '--max-budget-usd', default: () => undefined, parse: posNum },
  temporal_address: {
    env: 'TEMPORAL_ADDRESS',
    default: () => '127.0.0.1:7233',
    parse: (raw) =>
      /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(raw.trim())
        ? ok(raw.trim())
        : { error: 'must be host:port, e.g. 127.0.0.1:7233' },
  },
  temporal_namespace: { env: 'TEMPORAL_NAMESPACE', default: () => 'default', parse: str },
  model_url: {
    env: 'DKMV_MODEL_URL',
    flag: '--model-url',
    default: () => undefined,
    parse: (raw) => {
      try {
        const url = new URL(raw.trim());
        return url.protocol === 'http:' || url.protocol === 'https:'
          ? ok(raw.trim().replace(/\/+$/, ''))
          : { error: 'must be an http(s) URL' };
      } catch {
        return { error: 'must be an http(s) URL, e.g. http://127.0.0.1:4010' };
      }
    },
  },
  task_queue: { env: 'DKMV_TASK_QUEUE', default: () => 'dkmv', parse: str },
  host_start_timeout_seconds: {
    env: 'DKMV_HOST_START_TIMEOUT',
    default: () => DEFAULT_HOST_START_TIMEOUT_SECONDS,
    parse: posInt,
  },
  heartbeat_timeout_seconds: {
    env: 'DKMV_HEARTBEAT_TIMEOUT',
    default: () => DEFAULT_HEARTBEAT_TIMEOUT_SECONDS,
    parse: posInt,
  },
  max_daily_budget_usd: {
    env: 'DKMV_MAX_DAILY_BUDGET_USD',
    flag: '--max-daily-budget-usd',
    default: () => undefined,
    parse: posNum,
  },
  on_budget_exhausted: {
    env: 'DKMV_ON_BUDGET_EXHAUSTED',
    flag: '--on-budget-exhausted',
    default: () => 'fail',
    parse: (raw) =>
      ['wait', 'fail'].includes(raw.trim().toLowerCase())
        ? ok(raw.trim().toLowerCase())
        : { error: 'must be wait or fail' },
  },
  web_ui_url: { env: 'DKMV_WEB_UI_URL', default: () => undefined, parse: httpUrl },
  temporal_http_url: { env: 'DKMV_TEMPORAL_HTTP_URL', default: () => undefined, parse: httpUrl },
  notify: { env: 'DKMV_NOTIFY_URL', flag: '--notify', default: () => undefined, parse: parseNotifyUrls },
};

export interface ResolveConfigOptions {
  /** Flag values as parsed by the CLI (strings or numbers); undefined = not given. */
  flags?: Partial<Record<FlagKey | 'repo', string | number | undefined>>;
  /** Environment (default: process.env). Never mutated. */
  env?: Record<string, string | undefined>;
  /** Project root holding .dkmv/ and .env (default: the working directory). */
  projectRoot?: string;
  /** .env file to read (default: <projectRoot>/.env); false to skip it. */
  dotenvPath?: string | false;
}

/** Parses a .env file without touching process.env; {} when it does not exist. */
export function readDotenv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  try {
    return dotenv.parse(readFileSync(file));
  } catch (err) {
    throw new UserError(`cannot read ${file}: ${(err as Error).message}`, { location: { file } });
  }
}

/** What to do about an invalid value; names a flag only where the run commands accept one. */
function fixHint(key: ConfigKey, setting: Setting, kind: ConfigSourceKind): string {
  if (kind === 'flag') return `fix the value of ${setting.flag ?? key}`;
  const name = kind === 'config.json' ? `defaults.${key}` : setting.env;
  if (setting.flag) return `fix or remove ${name} there, or override it with ${setting.flag}`;
  if (kind === 'env') return `fix or unset ${setting.env} in the environment`;
  return `fix or remove ${name} there, or set ${kind === '.env' ? 'it' : setting.env} in the environment`;
}

/** The config.json layer of a setting; `notify` may also be a top-level field (a URL or a list). */
function configJsonCandidate(
  key: ConfigKey,
  project: ProjectConfig | undefined,
): { kind: ConfigSourceKind; label: string; raw: unknown } {
  if (key === 'notify' && project?.defaults.notify === undefined && project?.notify !== undefined) {
    const raw = Array.isArray(project.notify) ? project.notify.join(',') : project.notify;
    return { kind: 'config.json', label: 'notify in .dkmv/config.json', raw };
  }
  return { kind: 'config.json', label: `defaults.${key} in .dkmv/config.json`, raw: project?.defaults[key] };
}

/** Resolves every setting through the cascade and validates it; errors name the source. */
export function resolveConfig(options: ResolveConfigOptions = {}): ResolvedConfig {
  const projectRoot = path.resolve(options.projectRoot ?? findProjectRoot());
  const env = options.env ?? process.env;
  const dotenvFile = options.dotenvPath === false ? undefined : (options.dotenvPath ?? path.join(projectRoot, '.env'));
  const dot = dotenvFile ? readDotenv(dotenvFile) : {};
  const project = readProjectConfig(projectRoot);
  const initialized = project !== undefined;
  const flags = options.flags ?? {};

  const values = {} as Record<ConfigKey, unknown>;
  const sources = {} as Record<ConfigKey, ConfigSource>;
  for (const key of CONFIG_KEYS) {
    const setting = SETTINGS[key];
    const candidates: { kind: ConfigSourceKind; label: string; raw: unknown }[] = [
      { kind: 'flag', label: setting.flag ?? key, raw: setting.flag ? flags[key as FlagKey] : undefined },
      { kind: 'env', label: `${setting.env} in the environment`, raw: env[setting.env] },
      {
        kind: '.env',
        label: `${setting.env} in ${dotenvFile ? path.basename(dotenvFile) : '.env'}`,
        raw: dot[setting.env],
      },
      configJsonCandidate(key, project),
    ];
    const hit = candidates.find((c) => c.raw !== undefined && !(c.kind !== 'flag' && c.raw === ''));
    if (!hit) {
      const value = setting.default({ projectRoot, initialized });
      values[key] = value;
      sources[key] =
        value === undefined ? { kind: 'unset', label: 'not set' } : { kind: 'default', label: 'built-in default' };
      continue;
    }
    const raw = String(hit.raw);
    const parsed = setting.parse(raw, { projectRoot });
    if ('error' in parsed) {
      const file =
        hit.kind === '.env' ? dotenvFile : hit.kind === 'config.json' ? projectConfigPath(projectRoot) : undefined;
      throw new UserError(`${hit.label}: "${raw}" ${parsed.error}`, {
        location: file ? { file, field: hit.kind === 'config.json' ? `defaults.${key}` : setting.env } : {},
        hint: fixHint(key, setting, hit.kind),
      });
    }
    values[key] = parsed.value;
    sources[key] = { kind: hit.kind, label: hit.label, raw };
  }

  const flagRepo = flags.repo !== undefined && String(flags.repo).trim() ? String(flags.repo).trim() : undefined;
  const repo = flagRepo ?? project?.repo;
  const repoSource: ConfigSource = flagRepo
    ? { kind: 'flag', label: '--repo', raw: flagRepo }
    : project?.repo
      ? { kind: 'config.json', label: 'repo in .dkmv/config.json', raw: project.repo }
      : { kind: 'unset', label: 'not set' };

  const runsDir = resolveRunsDir(values.output_dir as string);
  return {
    values: { ...(values as unknown as Omit<DkmvConfig, 'runs_dir'>), runs_dir: runsDir.dir },
    sources,
    repo,
    repoSource,
    name: project?.name ?? path.basename(projectRoot),
    projectRoot,
    initialized,
    project,
    notices: runsDir.notice ? [runsDir.notice] : [],
  };
}

/** The repo, or a UserError saying how to give one. */
export function requireRepo(config: ResolvedConfig): string {
  if (config.repo) return config.repo;
  throw new UserError('no repository given', {
    hint: 'pass --repo <url or path>, or run dkmv init in your project so --repo becomes optional',
  });
}

const PARAM_KEYS = {
  agent: 'agent',
  model: 'model',
  max_turns: 'max_turns',
  timeout_minutes: 'timeout_minutes',
  max_budget_usd: 'max_budget_usd',
} as const;

/**
 * Splits the execution parameters by precedence level for the component loader: flags are the
 * `cli` level, env/.env/config.json the `config` level, built-ins the `default` level.
 */
export function executionLayers(config: ResolvedConfig): {
  cli: ExecutionParams;
  config: ExecutionParams;
  default: ExecutionParams;
} {
  const layers = {
    cli: {} as Record<string, unknown>,
    config: {} as Record<string, unknown>,
    default: {} as Record<string, unknown>,
  };
  for (const key of Object.keys(PARAM_KEYS) as (keyof typeof PARAM_KEYS)[]) {
    const value = config.values[key];
    if (value === undefined) continue;
    const kind = config.sources[key].kind;
    const level = kind === 'flag' ? 'cli' : kind === 'default' ? 'default' : kind === 'unset' ? undefined : 'config';
    if (level) layers[level][key] = value;
  }
  return layers as { cli: ExecutionParams; config: ExecutionParams; default: ExecutionParams };
}

/** Rows for `dkmv init`/`show`: variable, value, source. */
export function describeConfig(
  config: ResolvedConfig,
): { key: ConfigKey; variable: string; value: string; source: string }[] {
  return CONFIG_KEYS.map((key) => ({
    key,
    variable: SETTINGS[key].env,
    value: config.values[key] === undefined ? '' : String(config.values[key]),
    source: config.sources[key].label,
  }));
}
