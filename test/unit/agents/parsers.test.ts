// Stream parsers on streams recorded from real runs of Claude Code 2.1.330 and Codex 0.169.0
// against the mock model (fixtures/; the model scripts used are next to them).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClaudeStreamParser, CodexStreamParser, costOf } from '../../../core/agents/index.js';
import type { AgentEvent, StreamParser, StreamParserOptions } from '../../../core/agents/index.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string): string => readFileSync(path.join(dir, name), 'utf8');

function parseAll(parser: StreamParser, text: string, chunkSize = text.length + 1): AgentEvent[] {
  const events: AgentEvent[] = [];
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += chunkSize) events.push(...parser.push(bytes.subarray(i, i + chunkSize)));
  events.push(...parser.end({ exitCode: 0 }));
  return events;
}

const claude = (name: string, opts?: StreamParserOptions) => {
  const p = new ClaudeStreamParser(opts);
  const events = parseAll(p, fixture(name));
  return { p, events, result: p.result! };
};
const codex = (name: string, opts?: StreamParserOptions) => {
  let t = 1000;
  const p = new CodexStreamParser({ model: 'gpt-5.5', now: () => (t += 10), ...opts });
  const events = parseAll(p, fixture(name));
  return { p, events, result: p.result! };
};

describe('Claude stream parser', () => {
  it('parses a successful run into session, tool use, tool result, text and result', () => {
    const { events, result } = claude('claude-success.jsonl');
    expect(events.map((e) => e.type)).toEqual([
      'session',
      'tool_use',
      'tool_result',
      'tool_use',
      'tool_result',
      'text',
      'result',
    ]);
    expect(events[0]).toMatchObject({
      type: 'session',
      model: 'claude-sonnet-4-5',
      sessionId: '63d6725b-c15b-442e-b04a-d6ace6196c75',
    });
    expect(events[1]).toMatchObject({ type: 'tool_use', name: 'Write', id: 'toolu_dkmv_t0_0' });
    expect(events[3]).toMatchObject({
      type: 'tool_use',
      name: 'Bash',
      input: { command: 'cat hello.txt && echo ran > ran.txt' },
    });
    expect(events[4]).toEqual({
      type: 'tool_result',
      id: 'toolu_dkmv_t1_0',
      output: 'hello from the mock model',
      isError: false,
    });
    expect(result).toEqual({
      status: 'completed',
      isError: false,
      reason: 'completed',
      message: 'Done: wrote hello.txt and ran a command.',
      turns: 3,
      durationMs: 241,
      costUsd: 0.018,
      sessionId: '63d6725b-c15b-442e-b04a-d6ace6196c75',
      usage: { inputTokens: 3000, outputTokens: 600, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
    });
  });

  it('gives the same events whatever the chunking (partial lines, split UTF-8)', () => {
    const text = fixture('claude-multi.jsonl');
    const whole = parseAll(new ClaudeStreamParser(), text);
    for (const size of [1, 7, 64, 1000]) expect(parseAll(new ClaudeStreamParser(), text, size)).toEqual(whole);
  });

  it('reports failing tool results, several tool calls in one turn, and cache reads', () => {
    const { events, result } = claude('claude-multi.jsonl');
    expect(events.filter((e) => e.type === 'tool_use')).toHaveLength(4);
    expect(events).toContainEqual({
      type: 'tool_result',
      id: 'toolu_dkmv_t1_0',
      output: 'Exit code 3\nfailing',
      isError: true,
    });
    expect(result).toMatchObject({ status: 'completed', turns: 4, costUsd: 0.0306 }); // num_turns says 5
    expect(result.usage).toEqual({
      inputTokens: 8000,
      outputTokens: 400,
      cacheReadInputTokens: 2000,
      cacheCreationInputTokens: 0,
    });
    // Claude's own cost matches our price table.
    expect(costOf('claude-sonnet-4-5', result.usage)).toBeCloseTo(result.costUsd, 8);
  });

  it('maps error_max_turns to a failed max_turns result', () => {
    const { result } = claude('claude-max-turns.jsonl');
    expect(result).toMatchObject({
      status: 'failed',
      isError: true,
      reason: 'max_turns',
      message: 'Reached maximum number of turns (2)',
    });
  });

  it('maps error_max_budget_usd (--max-budget-usd) to max_budget', () => {
    const { result } = claude('claude-max-budget.jsonl');
    expect(result).toMatchObject({ status: 'failed', reason: 'max_budget', costUsd: 0.006, turns: 1 });
    expect(result.message).toBe('Reached maximum budget ($0.001)');
  });

  it('maps an API 529 (reported as subtype success with is_error) to overloaded', () => {
    const { result, events } = claude('claude-overloaded.jsonl');
    expect(result).toMatchObject({ status: 'failed', isError: true, reason: 'overloaded' });
    expect(result.message).toMatch(/529 Overloaded/);
    // The synthetic error message is a notice, not assistant text.
    expect(events.filter((e) => e.type === 'text')).toEqual([]);
    expect(events.some((e) => e.type === 'notice' && /Overloaded/.test(e.message))).toBe(true);
  });

  it('maps a refused connection to unreachable', () => {
    const { result } = claude('claude-unreachable.jsonl');
    expect(result).toMatchObject({ status: 'failed', reason: 'unreachable', turns: 0, costUsd: 0 });
    expect(result.message).toMatch(/Connection refused/);
  });

  it('subtracts the cost of earlier runs of a resumed session (total_cost_usd is per session)', () => {
    const first = claude('claude-resume-first.jsonl').result;
    const second = claude('claude-resume-second.jsonl', {
      prior: { costUsd: first.costUsd, usage: first.usage },
    }).result;
    expect(first.costUsd).toBeCloseTo(0.0012, 8);
    expect(second.costUsd).toBeCloseTo(0.0012, 8);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.message).toBe('resumed done');
  });

  it('tracks progress while streaming and synthesizes a result when the stream stops early', () => {
    const lines = fixture('claude-success.jsonl').split('\n');
    const p = new ClaudeStreamParser();
    p.push(lines.slice(0, 4).join('\n') + '\n' + lines[4]!.slice(0, 50));
    expect(p.progress).toMatchObject({ turns: 2, sessionId: '63d6725b-c15b-442e-b04a-d6ace6196c75', lines: 4 });
    expect(p.progress.costUsd).toBeGreaterThan(0);
    const end = p.end({ exitCode: 137, stderr: 'Killed' });
    expect(end.at(-1)).toMatchObject({
      type: 'result',
      result: { status: 'failed', reason: 'no_result', message: 'Killed', turns: 2 },
    });
  });
});

describe('Codex stream parser', () => {
  it('parses a successful run and computes cost from usage', () => {
    const { events, result } = codex('codex-success.jsonl');
    expect(events.map((e) => e.type)).toEqual([
      'session',
      'tool_use',
      'tool_result',
      'tool_use',
      'tool_result',
      'text',
      'result',
    ]);
    expect(events[1]).toMatchObject({ type: 'tool_use', name: 'apply_patch' });
    expect(events[3]).toMatchObject({
      type: 'tool_use',
      name: 'shell',
      input: { command: "/bin/bash -lc 'cat hello.txt && echo ran > ran.txt'" },
    });
    expect(events[4]).toEqual({
      type: 'tool_result',
      id: 'item_1',
      output: 'hello from the mock model\n',
      isError: false,
    });
    const usage = { inputTokens: 3000, outputTokens: 600, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
    expect(result).toMatchObject({
      status: 'completed',
      reason: 'completed',
      message: 'Done: wrote hello.txt and ran a command.',
      turns: 3,
      sessionId: '01a20059-3f07-7bc2-a6cd-70c22c3423d9',
      usage,
    });
    expect(result.costUsd).toBe(costOf('gpt-5.5', usage));
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('splits cached input out of input tokens and flags failed commands', () => {
    const { events, result } = codex('codex-multi.jsonl');
    expect(result.usage).toEqual({
      inputTokens: 8000,
      outputTokens: 400,
      cacheReadInputTokens: 2000,
      cacheCreationInputTokens: 0,
    });
    expect(events).toContainEqual({ type: 'tool_result', id: 'item_3', output: 'failing\n', isError: true });
    // Several calls of one model reply count as several turns (an upper bound): 4 replies → 5.
    expect(result.turns).toBe(5);
  });

  it('gives the same events whatever the chunking', () => {
    const text = fixture('codex-multi.jsonl');
    const mk = () => new CodexStreamParser({ model: 'gpt-5.5', now: () => 0 });
    const whole = parseAll(mk(), text);
    for (const size of [1, 5, 100]) expect(parseAll(mk(), text, size)).toEqual(whole);
  });

  it('raises limitExceeded at the turn limit (Codex has no max-turns flag) and fails with max_turns', () => {
    const text = fixture('codex-max-turns.jsonl');
    const p = new CodexStreamParser({ maxTurns: 2 });
    const lines = text.split('\n');
    let stopAt = -1;
    lines.forEach((l, i) => {
      p.push(`${l}\n`);
      if (p.limitExceeded && stopAt < 0) stopAt = i;
    });
    // Stop right after the second command completed, before the third model reply runs anything.
    expect(lines[stopAt]).toContain('"id":"item_1","type":"command_execution"');
    expect(lines[stopAt]).toContain('item.completed');
    expect(p.result).toMatchObject({ status: 'failed', reason: 'max_turns' });

    // Killed at the limit: no turn.completed, the end of the stream still says why.
    const killed = new CodexStreamParser({ maxTurns: 2 });
    killed.push(lines.slice(0, stopAt + 1).join('\n') + '\n');
    const end = killed.end({ exitCode: 143 });
    expect(end.at(-1)).toMatchObject({ type: 'result', result: { status: 'failed', reason: 'max_turns', turns: 2 } });
  });

  it('maps turn.failed with status 529 to overloaded', () => {
    const { result } = codex('codex-overloaded.jsonl');
    expect(result).toMatchObject({ status: 'failed', reason: 'overloaded', turns: 1 });
    expect(result.message).toMatch(/529/);
  });

  it('maps a failed connection to unreachable', () => {
    const { result } = codex('codex-unreachable.jsonl');
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'unreachable',
      message: 'Connection failed: error sending request',
    });
  });

  it('subtracts earlier usage on a resumed thread (Codex reports thread totals)', () => {
    const first = codex('codex-resume-first.jsonl').result;
    const second = codex('codex-resume-second.jsonl', { prior: { costUsd: first.costUsd, usage: first.usage } }).result;
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.usage).toEqual(first.usage);
    expect(second.costUsd).toBe(first.costUsd);
  });

  it('reports a stream without a result as no_result with the stderr tail', () => {
    const p = new CodexStreamParser();
    const events = p.push('{"type":"thread.started","thread_id":"t1"}\nnot json at all\n');
    expect(events).toContainEqual({ type: 'notice', message: 'not json at all' });
    p.end({ exitCode: 1, stderr: 'line1\nError: boom' });
    expect(p.result).toMatchObject({ reason: 'no_result', message: 'line1\nError: boom', sessionId: 't1' });
  });
});
