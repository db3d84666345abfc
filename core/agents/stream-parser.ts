// The parser contract shared by both CLIs: feed stdout in any chunks, get normalized events.
// Parsers are deterministic: re-reading a stream file from offset 0 rebuilds the same state, which
// is how an activity re-attaches after a worker crash.
import type { AgentEndReason, AgentEvent, AgentProgress, AgentResult, TokenUsage } from './events.js';
import { LineSplitter, parseJsonLine } from './lines.js';

export interface StreamParserOptions {
  /** The model the run was started with (Codex cost; running estimates). */
  model?: string;
  /** Limits the parser watches where the CLI does not enforce them itself (Codex max turns). */
  maxTurns?: number;
  maxBudgetUsd?: number;
  /**
   * On a resumed session both CLIs report some totals for the whole session (Claude's
   * total_cost_usd, Codex's usage). Pass what the earlier runs of the session already counted.
   */
  prior?: { costUsd: number; usage: TokenUsage };
  /** Clock for durations (tests). */
  now?: () => number;
}

export interface EndInfo {
  exitCode?: number | null;
  /** The tail of stderr, for a readable message when there was no result. */
  stderr?: string;
}

export interface StreamParser {
  /** Feeds a chunk of stdout; returns the events completed by it. */
  push(chunk: string | Uint8Array): AgentEvent[];
  /** End of stream: flushes a partial last line and always yields a `result` event if none came yet. */
  end(info?: EndInfo): AgentEvent[];
  readonly progress: AgentProgress;
  /** Set when a limit the CLI does not enforce itself was passed: the caller should stop the agent. */
  readonly limitExceeded: 'max_turns' | 'max_budget' | undefined;
  readonly result: AgentResult | undefined;
}

export abstract class LineStreamParser implements StreamParser {
  protected readonly lines = new LineSplitter();
  protected readonly options: StreamParserOptions;
  protected readonly now: () => number;
  protected startedAt: number | undefined;
  protected sessionId: string | undefined;
  protected turns = 0;
  protected costUsd = 0;
  protected lineCount = 0;
  protected lastError: string | undefined;
  limitExceeded: 'max_turns' | 'max_budget' | undefined;
  result: AgentResult | undefined;

  constructor(options: StreamParserOptions = {}) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  get progress(): AgentProgress {
    return { turns: this.turns, costUsd: this.costUsd, sessionId: this.sessionId, lines: this.lineCount };
  }

  push(chunk: string | Uint8Array): AgentEvent[] {
    this.startedAt ??= this.now();
    return this.consume(this.lines.push(chunk));
  }

  end(info: EndInfo = {}): AgentEvent[] {
    this.startedAt ??= this.now();
    const events = this.consume(this.lines.end());
    if (!this.result) events.push(this.finish(this.missingResult(info)));
    return events;
  }

  private consume(lines: string[]): AgentEvent[] {
    const events: AgentEvent[] = [];
    for (const line of lines) {
      this.lineCount++;
      const obj = parseJsonLine(line);
      if (obj) events.push(...this.onEvent(obj));
      else if (line.trim()) events.push({ type: 'notice', message: line.trim() });
    }
    return events;
  }

  protected abstract onEvent(obj: Record<string, unknown>): AgentEvent[];

  /** The result when the stream ended without one (killed at a limit, crashed, ...). */
  protected missingResult(info: EndInfo): Omit<AgentResult, 'status' | 'isError'> {
    const stderr = info.stderr?.trim().split('\n').slice(-5).join('\n');
    const reason: AgentEndReason = this.limitExceeded ?? 'no_result';
    const message =
      reason === 'max_turns'
        ? `stopped: more than ${this.options.maxTurns} turns`
        : reason === 'max_budget'
          ? `stopped: cost passed the budget of $${this.options.maxBudgetUsd}`
          : (this.lastError ??
            (stderr ||
              `the agent exited${info.exitCode != null ? ` with code ${info.exitCode}` : ''} without a final result`));
    return { reason, message, ...this.totals() };
  }

  /** Turns, duration, cost, session and usage so far: the numeric part of every result. */
  protected totals(): Pick<AgentResult, 'turns' | 'durationMs' | 'costUsd' | 'sessionId' | 'usage'> {
    return {
      turns: this.turns,
      durationMs: this.now() - (this.startedAt ?? this.now()),
      costUsd: this.costUsd,
      sessionId: this.sessionId,
      usage: this.currentUsage(),
    };
  }

  protected abstract currentUsage(): TokenUsage;

  protected finish(r: Omit<AgentResult, 'status' | 'isError'>): AgentEvent {
    const failed = r.reason !== 'completed';
    this.result = { ...r, status: failed ? 'failed' : 'completed', isError: failed };
    return { type: 'result', result: this.result };
  }
}

// Small readers for untyped JSON.
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
