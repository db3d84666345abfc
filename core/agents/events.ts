// The one normalized event type both agent CLIs' streams are parsed into.

export type AgentName = 'claude' | 'codex';

export interface TokenUsage {
  /** Uncached input tokens. */
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
}

export const ZERO_USAGE: TokenUsage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
});

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
  };
}

/**
 * Why a run ended. `completed` is the only success; the others are failures:
 * limits (`max_turns`, `max_budget`), the model API (`overloaded`, `rate_limited`, `unreachable`,
 * `auth`, `api_error`), anything else the CLI reported (`error`), or a stream that ended without a
 * final result (`no_result`: the CLI crashed or was killed).
 */
export type AgentEndReason =
  | 'completed'
  | 'max_turns'
  | 'max_budget'
  | 'overloaded'
  | 'rate_limited'
  | 'unreachable'
  | 'auth'
  | 'api_error'
  | 'error'
  | 'no_result';

export interface AgentResult {
  status: 'completed' | 'failed';
  isError: boolean;
  reason: AgentEndReason;
  /** The agent's final text, or the error as the CLI reported it. */
  message: string;
  /** Model turns (API calls) in this run. */
  turns: number;
  durationMs: number;
  /** Cost of this run in USD (reported by Claude; computed from usage for Codex). */
  costUsd: number;
  sessionId: string | undefined;
  usage: TokenUsage;
}

export type AgentEvent =
  | { type: 'session'; sessionId: string; model?: string; cwd?: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; id: string; output: string; isError: boolean }
  /** Something the CLI reported that is not fatal by itself (retries, warnings, non-final errors). */
  | { type: 'notice'; message: string }
  | { type: 'result'; result: AgentResult };

/** Progress for heartbeats: small, cheap to copy. */
export interface AgentProgress {
  turns: number;
  costUsd: number;
  sessionId: string | undefined;
  /** Complete lines consumed so far. */
  lines: number;
}

/** Classifies an API error message from either CLI into a reason. */
export function classifyError(message: string, status?: number | null): AgentEndReason {
  if (status === 529 || /overloaded/i.test(message) || /\b529\b/.test(message)) return 'overloaded';
  if (status === 429 || /\b429\b|rate.?limit/i.test(message)) return 'rate_limited';
  if (
    status === 401 ||
    status === 403 ||
    /\b40[13]\b|unauthori[sz]ed|authentication|invalid api key|not logged in|credential/i.test(message)
  ) {
    return 'auth';
  }
  if (
    /ECONNREFUSED|connection refused|connection failed|error sending request|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|unable to connect|fetch failed|network/i.test(
      message,
    )
  ) {
    return 'unreachable';
  }
  return status ? 'api_error' : 'error';
}
