// Agent adapters by name, and the public surface of core/agents.
import type { AgentAdapter } from './adapter.js';
import { claudeAdapter } from './claude.js';
import { codexAdapter } from './codex.js';
import type { AgentName } from './events.js';

export const AGENT_NAMES: readonly AgentName[] = ['claude', 'codex'];

export function getAdapter(name: AgentName): AgentAdapter {
  return name === 'claude' ? claudeAdapter : codexAdapter;
}

export function isAgentName(v: unknown): v is AgentName {
  return v === 'claude' || v === 'codex';
}

export * from './adapter.js';
export * from './events.js';
export * from './instructions.js';
export * from './credentials.js';
export * from './redact.js';
export * from './prices.js';
export type { StreamParser, StreamParserOptions, EndInfo } from './stream-parser.js';
export { ClaudeStreamParser } from './claude-stream.js';
export { CodexStreamParser } from './codex-stream.js';
export { claudeAdapter, anthropicBaseUrl, OFFLINE_API_KEY } from './claude.js';
export { codexAdapter, codexConfigToml, responsesBaseUrl, MODEL_URL_KEY_ENV } from './codex.js';
