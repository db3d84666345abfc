// Claude Code adapter (`@anthropic-ai/claude-code` 2.1.330; facts in notes/agent-clis.md).
import path from 'node:path';
import { buildInvocation, DEFAULT_LAYOUT } from './adapter.js';
import type { AgentAdapter, AgentInvocation, AgentTaskParams, ContainerLayout, Mount } from './adapter.js';
import { ClaudeStreamParser } from './claude-stream.js';
import { DEFAULT_MODELS } from '../component/params.js';
import type { Credentials } from './credentials.js';
import { secretValues } from './credentials.js';
import { renderInstructions } from './instructions.js';
import type { InstructionLayers } from './instructions.js';
import type { StreamParser, StreamParserOptions } from './stream-parser.js';

/** Placeholder key for endpoints that take none (the mock model): the CLI refuses to start without one. */
export const OFFLINE_API_KEY = 'dkmv-no-key';

/** ANTHROPIC_BASE_URL takes the origin (plus any path prefix) without `/v1`. */
export function anthropicBaseUrl(modelUrl: string): string {
  return modelUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export const claudeAdapter: AgentAdapter = {
  name: 'claude',
  instructionsFile: '.claude/CLAUDE.md',
  defaultModel: DEFAULT_MODELS.claude,

  command(params: AgentTaskParams): string[] {
    const argv = ['claude', '-p'];
    if (!params.promptFile) argv.push(params.prompt);
    argv.push('--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions');
    argv.push('--model', params.model ?? this.defaultModel);
    if (params.maxTurns !== undefined) argv.push('--max-turns', String(params.maxTurns));
    if (params.maxBudgetUsd !== undefined) argv.push('--max-budget-usd', String(params.maxBudgetUsd));
    if (params.resumeSessionId) argv.push('--resume', params.resumeSessionId);
    return argv;
  },

  env(params: AgentTaskParams, creds: Credentials, layout: ContainerLayout = DEFAULT_LAYOUT): Record<string, string> {
    const tmp = path.posix.join(layout.home, '.tmp');
    const env: Record<string, string> = {
      HOME: layout.home,
      TMPDIR: tmp,
      CLAUDE_CODE_TMPDIR: tmp,
      // The container is the sandbox; needed for --dangerously-skip-permissions should it run as root.
      IS_SANDBOX: '1',
      DISABLE_AUTOUPDATER: '1',
    };
    if (params.modelUrl) {
      Object.assign(env, {
        ANTHROPIC_BASE_URL: anthropicBaseUrl(params.modelUrl),
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_ERROR_REPORTING: '1',
        // The default (10, with backoff) makes an unreachable endpoint minutes of api_retry events;
        // three retries (about 4 s) still carry a model API through a short run of 500s and 529s.
        CLAUDE_CODE_MAX_RETRIES: '3',
      });
    }
    if (creds.anthropicApiKey) env.ANTHROPIC_API_KEY = creds.anthropicApiKey;
    else if (creds.claudeOauthToken) env.CLAUDE_CODE_OAUTH_TOKEN = creds.claudeOauthToken;
    else if (params.modelUrl && !creds.claudeCredentialsFile) env.ANTHROPIC_API_KEY = OFFLINE_API_KEY;
    return env;
  },

  configFiles() {
    return [];
  },

  mounts(_params: AgentTaskParams, creds: Credentials, layout: ContainerLayout = DEFAULT_LAYOUT): Mount[] {
    if (creds.anthropicApiKey || creds.claudeOauthToken || !creds.claudeCredentialsFile) return [];
    return [
      {
        hostPath: creds.claudeCredentialsFile,
        containerPath: path.posix.join(layout.home, '.claude', '.credentials.json'),
        readOnly: true,
      },
    ];
  },

  invocation(params: AgentTaskParams, creds: Credentials, layout: ContainerLayout = DEFAULT_LAYOUT): AgentInvocation {
    return buildInvocation(this, params, creds, layout, secretValues(creds));
  },

  instructions(layers: InstructionLayers): string {
    return renderInstructions(layers);
  },

  createParser(options?: StreamParserOptions): StreamParser {
    return new ClaudeStreamParser(options);
  },
};
