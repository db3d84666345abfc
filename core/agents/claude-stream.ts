// Claude Code `--output-format stream-json --verbose` → normalized events.
import { classifyError, ZERO_USAGE } from './events.js';
import type { AgentEndReason, AgentEvent, TokenUsage } from './events.js';
import { costOf } from './prices.js';
import { arr, LineStreamParser, num, obj, str } from './stream-parser.js';

export function claudeUsage(u: unknown): TokenUsage {
  const o = obj(u);
  return {
    inputTokens: num(o.input_tokens) ?? 0,
    outputTokens: num(o.output_tokens) ?? 0,
    cacheReadInputTokens: num(o.cache_read_input_tokens) ?? 0,
    cacheCreationInputTokens: num(o.cache_creation_input_tokens) ?? 0,
  };
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((c) => str(obj(c).text) ?? '')
    .filter(Boolean)
    .join('\n');
}

export class ClaudeStreamParser extends LineStreamParser {
  private model: string | undefined = this.options.model;
  /** Usage per API message id (one assistant message is streamed as one event per content block). */
  private readonly messages = new Map<string, TokenUsage>();
  private usage: TokenUsage = ZERO_USAGE;

  protected onEvent(e: Record<string, unknown>): AgentEvent[] {
    const sid = str(e.session_id);
    if (sid) this.sessionId = sid;
    switch (e.type) {
      case 'system':
        return this.onSystem(e);
      case 'assistant':
        return this.onAssistant(e);
      case 'user':
        return arr(obj(e.message).content)
          .map(obj)
          .filter((b) => b.type === 'tool_result')
          .map((b) => ({
            type: 'tool_result',
            id: str(b.tool_use_id) ?? '',
            output: toolResultText(b.content),
            isError: b.is_error === true,
          }));
      case 'result':
        return [this.onResult(e)];
      default:
        return [];
    }
  }

  private onSystem(e: Record<string, unknown>): AgentEvent[] {
    if (e.subtype === 'init') {
      this.model = str(e.model) ?? this.model;
      return [{ type: 'session', sessionId: this.sessionId ?? '', model: str(e.model), cwd: str(e.cwd) }];
    }
    if (e.subtype === 'api_retry') {
      const error = str(e.error) ?? str(obj(e.error).message) ?? 'API error';
      return [{ type: 'notice', message: `API retry ${num(e.attempt) ?? '?'}/${num(e.max_retries) ?? '?'}: ${error}` }];
    }
    return [];
  }

  private onAssistant(e: Record<string, unknown>): AgentEvent[] {
    const message = obj(e.message);
    const synthetic = message.model === '<synthetic>';
    const id = str(message.id);
    const events: AgentEvent[] = [];
    if (!synthetic && id) {
      this.messages.set(id, claudeUsage(message.usage));
      this.turns = this.messages.size;
      this.costUsd = [...this.messages.values()].reduce((sum, u) => sum + costOf(this.model, u), 0);
      if (this.options.maxBudgetUsd !== undefined && this.costUsd > this.options.maxBudgetUsd)
        this.limitExceeded ??= 'max_budget';
    }
    for (const block of arr(message.content).map(obj)) {
      if (block.type === 'text' && typeof block.text === 'string') {
        if (synthetic) this.lastError = block.text;
        else events.push({ type: 'text', text: block.text });
      } else if (block.type === 'tool_use') {
        events.push({ type: 'tool_use', id: str(block.id) ?? '', name: str(block.name) ?? '', input: block.input });
      }
    }
    if (synthetic && this.lastError) events.push({ type: 'notice', message: this.lastError });
    return events;
  }

  private onResult(e: Record<string, unknown>): AgentEvent {
    const subtype = str(e.subtype) ?? '';
    const terminal = str(e.terminal_reason) ?? '';
    const message = str(e.result) ?? arr(e.errors).map(String).join('; ');
    let reason: AgentEndReason = 'completed';
    if (subtype === 'error_max_turns' || terminal === 'max_turns') reason = 'max_turns';
    else if (subtype.includes('budget') || terminal.includes('budget')) reason = 'max_budget';
    else if (e.is_error === true || subtype !== 'success') {
      reason = classifyError(message, num(e.api_error_status));
      if (reason === 'error' && terminal === 'api_error') reason = 'api_error';
    }
    const total = num(e.total_cost_usd) ?? this.costUsd;
    this.costUsd = Math.max(0, round(total - (this.options.prior?.costUsd ?? 0)));
    this.usage = claudeUsage(e.usage);
    // num_turns is not the number of API calls (5 for 4 calls with parallel tools, 3 for 2 at
    // max-turns 2): turns are the assistant messages counted above, like the mock model counts them.
    return this.finish({
      reason,
      message,
      turns: this.turns,
      durationMs: num(e.duration_ms) ?? 0,
      costUsd: this.costUsd,
      sessionId: this.sessionId,
      usage: this.usage,
    });
  }

  protected currentUsage(): TokenUsage {
    if (this.result) return this.usage;
    return [...this.messages.values()].reduce(
      (a, u) => ({
        inputTokens: a.inputTokens + u.inputTokens,
        outputTokens: a.outputTokens + u.outputTokens,
        cacheReadInputTokens: a.cacheReadInputTokens + u.cacheReadInputTokens,
        cacheCreationInputTokens: a.cacheCreationInputTokens + u.cacheCreationInputTokens,
      }),
      ZERO_USAGE,
    );
  }
}

const round = (n: number): number => Math.round(n * 1e8) / 1e8;
