// List prices per million tokens, by model name prefix. One dated table: update it in one place.
// Claude Code reports its own cost (computed at list prices); Codex reports none, so Codex costs
// and running estimates come from here.
import type { TokenUsage } from './events.js';

export const PRICES_AS_OF = '2026-11-21';

export interface ModelPrice {
  /** USD per million uncached input tokens. */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

const p = (input: number, output: number, cacheRead: number, cacheWrite = input * 1.25): ModelPrice => ({
  input,
  output,
  cacheRead,
  cacheWrite,
});

/** Longest matching prefix wins. */
const TABLE: [prefix: string, price: ModelPrice][] = [
  // Anthropic. claude-sonnet-4-5 checked against Claude Code 2.1.330's own total_cost_usd.
  ['claude-opus-4-5', p(5, 25, 0.5)],
  ['claude-opus-4-6', p(5, 25, 0.5)],
  ['claude-opus-4-7', p(5, 25, 0.5)],
  ['claude-opus-4', p(15, 75, 1.5)],
  ['claude-opus', p(5, 25, 0.5)],
  ['claude-sonnet', p(3, 15, 0.3)],
  ['claude-haiku-4', p(1, 5, 0.1)],
  ['claude-3-5-haiku', p(0.8, 4, 0.08)],
  ['claude-haiku', p(1, 5, 0.1)],
  ['claude', p(3, 15, 0.3)],
  // OpenAI (cached input is billed at a tenth; no cache-write charge).
  ['gpt-5.5', p(1.75, 14, 0.175, 0)],
  ['gpt-5.4', p(1.75, 14, 0.175, 0)],
  ['gpt-5.3', p(1.75, 14, 0.175, 0)],
  ['gpt-5.2', p(1.75, 14, 0.175, 0)],
  ['gpt-5-mini', p(0.25, 2, 0.025, 0)],
  ['gpt-5-nano', p(0.05, 0.4, 0.005, 0)],
  ['gpt-5.1-codex-mini', p(0.25, 2, 0.025, 0)],
  ['gpt-5', p(1.25, 10, 0.125, 0)],
  ['codex-mini', p(1.5, 6, 0.375, 0)],
  ['gpt-4.1-mini', p(0.4, 1.6, 0.1, 0)],
  ['gpt-4.1', p(2, 8, 0.5, 0)],
  ['o4-mini', p(1.1, 4.4, 0.275, 0)],
  ['o3', p(2, 8, 0.5, 0)],
];

/** Used for models the table does not know, so budgets still count something. */
export const FALLBACK_PRICE: ModelPrice = p(3, 15, 0.3);

export function priceFor(model: string | undefined): ModelPrice | undefined {
  if (!model) return undefined;
  const name = model.toLowerCase().replace(/^.*\//, ''); // "openai/gpt-5" → "gpt-5"
  let best: [string, ModelPrice] | undefined;
  for (const entry of TABLE) {
    if (name.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

/** Cost in USD of `usage` on `model` (FALLBACK_PRICE when the model is unknown). */
export function costOf(model: string | undefined, usage: TokenUsage): number {
  const price = priceFor(model) ?? FALLBACK_PRICE;
  const usd =
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheReadInputTokens * price.cacheRead +
      usage.cacheCreationInputTokens * price.cacheWrite) /
    1_000_000;
  return Math.round(usd * 1e8) / 1e8;
}
