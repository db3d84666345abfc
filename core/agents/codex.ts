// Codex CLI adapter (`@openai/codex` 0.169.0; facts in notes/agent-clis.md).
import path from 'node:path';
import { buildInvocation, DEFAULT_LAYOUT } from './adapter.js';
import type { AgentAdapter, AgentInvocation, AgentTaskParams, ContainerLayout, FileToWrite } from './adapter.js';
import { CodexStreamParser } from './codex-stream.js';
import { DEFAULT_MODELS } from '../component/params.js';
import type { Credentials } from './credentials.js';
import { secretValues } from './credentials.js';
import { renderInstructions } from './instructions.js';
import type { InstructionLayers } from './instructions.js';
import type { StreamParser, StreamParserOptions } from './stream-parser.js';
import { OFFLINE_API_KEY } from './claude.js';

/** The env var the custom provider of a model URL override reads its key from. */
export const MODEL_URL_KEY_ENV = 'DKMV_MODEL_API_KEY';
export const CODEX_DEFAULT_MODEL = DEFAULT_MODELS.codex;

/** Codex wants the Responses base URL including `/v1`. */
export function responsesBaseUrl(modelUrl: string): string {
  const url = modelUrl.replace(/\/+$/, '');
  return /\/v1$/.test(url) ? url : `${url}/v1`;
}

const tomlString = (s: string): string => JSON.stringify(s);

/** `$CODEX_HOME/config.toml` for a model URL override: one custom provider, no retries, no traffic elsewhere. */
export function codexConfigToml(modelUrl: string, model: string = CODEX_DEFAULT_MODEL): string {
  return [
    '# Written by dkmv for a model URL override.',
    `model = ${tomlString(model)}`,
    'model_provider = "dkmv"',
    '',
    '[model_providers.dkmv]',
    'name = "dkmv model URL"',
    `base_url = ${tomlString(responsesBaseUrl(modelUrl))}`,
    `env_key = ${tomlString(MODEL_URL_KEY_ENV)}`,
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
    '[features]',
    'plugins = false',
    'unbounded_connection_retries = false',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[otel]',
    'exporter = "none"',
    'trace_exporter = "none"',
    'metrics_exporter = "none"',
    '',
  ].join('\n');
}

const codexHome = (layout: ContainerLayout): string => path.posix.join(layout.home, '.codex');

export const codexAdapter: AgentAdapter = {
  name: 'codex',
  instructionsFile: 'AGENTS.md',
  defaultModel: CODEX_DEFAULT_MODEL,

  // Codex has no max-turns or budget flag: the stream parser watches turns (`limitExceeded`).
  command(params: AgentTaskParams): string[] {
    const argv = ['codex', 'exec', '--json', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox'];
    argv.push('-m', params.model ?? this.defaultModel);
    if (params.resumeSessionId) argv.push('resume', params.resumeSessionId);
    argv.push(params.promptFile ? '-' : params.prompt);
    return argv;
  },

  env(params: AgentTaskParams, creds: Credentials, layout: ContainerLayout = DEFAULT_LAYOUT): Record<string, string> {
    const env: Record<string, string> = {
      HOME: layout.home,
      TMPDIR: path.posix.join(layout.home, '.tmp'),
      CODEX_HOME: codexHome(layout),
    };
    if (params.modelUrl) env[MODEL_URL_KEY_ENV] = creds.openaiApiKey ?? OFFLINE_API_KEY;
    else if (creds.openaiApiKey) {
      env.CODEX_API_KEY = creds.openaiApiKey;
      env.OPENAI_API_KEY = creds.openaiApiKey;
    }
    return env;
  },

  configFiles(params: AgentTaskParams, layout: ContainerLayout = DEFAULT_LAYOUT): FileToWrite[] {
    if (!params.modelUrl) return [];
    return [
      {
        path: path.posix.join(codexHome(layout), 'config.toml'),
        content: codexConfigToml(params.modelUrl, params.model),
      },
    ];
  },

  mounts() {
    return [];
  },

  invocation(params: AgentTaskParams, creds: Credentials, layout: ContainerLayout = DEFAULT_LAYOUT): AgentInvocation {
    return buildInvocation(this, params, creds, layout, secretValues(creds));
  },

  instructions(layers: InstructionLayers): string {
    return renderInstructions(layers);
  },

  createParser(options?: StreamParserOptions): StreamParser {
    return new CodexStreamParser({ model: CODEX_DEFAULT_MODEL, ...options });
  },
};
