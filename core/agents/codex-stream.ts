// Codex `exec --json` → normalized events. Codex reports no cost (computed from usage with the
// price table), no duration (wall clock of the stream) and no turn count (estimated, see below).
import { classifyError, ZERO_USAGE } from './events.js';
import type { AgentEvent, TokenUsage } from './events.js';
import { costOf } from './prices.js';
import { arr, LineStreamParser, num, obj, str } from './stream-parser.js';

/** Codex usage: input_tokens includes the cached ones. */
export function codexUsage(u: unknown): TokenUsage {
  const o = obj(u);
  const input = num(o.input_tokens) ?? 0;
  const cached = num(o.cached_input_tokens) ?? 0;
  return {
    inputTokens: Math.max(0, input - cached),
    outputTokens: num(o.output_tokens) ?? 0,
    cacheReadInputTokens: cached,
    cacheCreationInputTokens: num(o.cache_write_input_tokens) ?? 0,
  };
}

function subtract(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: Math.max(0, a.inputTokens - b.inputTokens),
    outputTokens: Math.max(0, a.outputTokens - b.outputTokens),
    cacheReadInputTokens: Math.max(0, a.cacheReadInputTokens - b.cacheReadInputTokens),
    cacheCreationInputTokens: Math.max(0, a.cacheCreationInputTokens - b.cacheCreationInputTokens),
  };
}

const TOOL_ITEMS = new Set(['command_execution', 'file_change', 'mcp_tool_call', 'web_search']);

function toolUse(item: Record<string, unknown>): AgentEvent {
  const id = str(item.id) ?? '';
  switch (item.type) {
    case 'command_execution':
      return { type: 'tool_use', id, name: 'shell', input: { command: str(item.command) ?? '' } };
    case 'file_change':
      return { type: 'tool_use', id, name: 'apply_patch', input: { changes: arr(item.changes) } };
    case 'mcp_tool_call':
      return {
        type: 'tool_use',
        id,
        name: `${str(item.server) ?? 'mcp'}.${str(item.tool) ?? ''}`,
        input: item.arguments,
      };
    default:
      return { type: 'tool_use', id, name: String(item.type), input: { query: item.query } };
  }
}

function toolResult(item: Record<string, unknown>): AgentEvent {
  const id = str(item.id) ?? '';
  const status = str(item.status);
  if (item.type === 'command_execution') {
    const exit = num(item.exit_code);
    return {
      type: 'tool_result',
      id,
      output: str(item.aggregated_output) ?? '',
      isError: status === 'failed' || (exit !== undefined && exit !== 0),
    };
  }
  if (item.type === 'file_change') {
    const changes = arr(item.changes).map((c) => `${str(obj(c).kind) ?? 'change'} ${str(obj(c).path) ?? ''}`);
    return { type: 'tool_result', id, output: changes.join('\n'), isError: status === 'failed' };
  }
  const err = str(obj(item.error).message);
  return {
    type: 'tool_result',
    id,
    output: err ?? JSON.stringify(item.result ?? ''),
    isError: status === 'failed' || !!err,
  };
}

/**
 * Turns are estimated from the item sequence: a new turn starts with the first item after a tool
 * call completed while no other tool call was running. Several tool calls in one model reply run
 * one after another in Codex's stream, so they count as several turns (an upper bound).
 */
export class CodexStreamParser extends LineStreamParser {
  private readonly seen = new Set<string>();
  private readonly running = new Set<string>();
  private afterTool = false;
  private usage: TokenUsage = ZERO_USAGE;
  private lastText = '';

  protected onEvent(e: Record<string, unknown>): AgentEvent[] {
    switch (e.type) {
      case 'thread.started':
        this.sessionId = str(e.thread_id);
        return [
          {
            type: 'session',
            sessionId: this.sessionId ?? '',
            ...(this.options.model ? { model: this.options.model } : {}),
          },
        ];
      case 'item.started':
      case 'item.updated':
        return this.onItem(obj(e.item), false);
      case 'item.completed':
        return this.onItem(obj(e.item), true);
      case 'turn.completed':
        return [this.onTurnCompleted(e)];
      case 'turn.failed': {
        const message = str(obj(e.error).message) ?? this.lastError ?? 'turn failed';
        return [this.end0(classifyError(message), message)];
      }
      case 'error': {
        const message = str(e.message) ?? 'error';
        this.lastError = message;
        return [{ type: 'notice', message }];
      }
      default:
        return [];
    }
  }

  private onItem(item: Record<string, unknown>, completed: boolean): AgentEvent[] {
    const id = str(item.id) ?? '';
    const type = str(item.type) ?? '';
    const events: AgentEvent[] = [];
    if (!this.seen.has(id)) {
      this.seen.add(id);
      if (this.turns === 0 || (this.afterTool && this.running.size === 0)) this.turns++;
      this.afterTool = false;
      if (TOOL_ITEMS.has(type)) {
        this.running.add(id);
        events.push(toolUse(item));
      }
    }
    if (!completed) return events;
    if (TOOL_ITEMS.has(type)) {
      this.running.delete(id);
      events.push(toolResult(item));
      if (this.running.size === 0) {
        this.afterTool = true;
        // The model will be called again: past the turn limit, the caller should stop the agent.
        if (this.options.maxTurns !== undefined && this.turns >= this.options.maxTurns)
          this.limitExceeded ??= 'max_turns';
      }
    } else if (type === 'agent_message') {
      this.lastText = str(item.text) ?? '';
      events.push({ type: 'text', text: this.lastText });
    } else if (type === 'error') {
      const message = str(item.message) ?? 'error';
      events.push({ type: 'notice', message });
    }
    return events;
  }

  private onTurnCompleted(e: Record<string, unknown>): AgentEvent {
    const total = codexUsage(e.usage);
    this.usage = this.options.prior ? subtract(total, this.options.prior.usage) : total;
    this.costUsd = costOf(this.options.model, this.usage);
    if (this.options.maxBudgetUsd !== undefined && this.costUsd > this.options.maxBudgetUsd)
      this.limitExceeded ??= 'max_budget';
    if (this.limitExceeded === 'max_turns') {
      return this.end0('max_turns', `stopped: more than ${this.options.maxTurns} turns`);
    }
    return this.end0('completed', this.lastText);
  }

  private end0(reason: ReturnType<typeof classifyError> | 'completed' | 'max_turns', message: string): AgentEvent {
    return this.finish({ reason, message, ...this.totals() });
  }

  protected currentUsage(): TokenUsage {
    return this.usage;
  }
}
