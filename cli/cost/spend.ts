// `dkmv cost`'s pure half: the `--since` window, and spend grouped by component, branch or day
// from the runs Temporal lists (top-level runs only: a harness's cost already holds its children's).
import { UserError } from '../../core/errors.js';

export type CostGrouping = 'component' | 'branch' | 'day';
export const GROUPINGS: readonly CostGrouping[] = ['component', 'branch', 'day'];

export interface SpendRun {
  component: string;
  branch: string;
  cost_usd: number | undefined;
  started_at: string | undefined;
  parent?: string;
}

export interface SpendRow {
  key: string;
  runs: number;
  cost_usd: number;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `7d`, `24h`, `90m`, `2w` (before `now`) or a date/time (`2026-01-31`, ISO); else a usage error. */
export function parseSince(value: string, now: number): Date {
  const rel = /^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$/i.exec(value);
  if (rel) return new Date(now - Number(rel[1]) * UNITS[rel[2]!.toLowerCase()]!);
  if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    const at = Date.parse(value.trim());
    if (Number.isFinite(at)) return new Date(at);
  }
  throw new UserError(`--since ${value}: not a duration or a date`, {
    hint: 'e.g. --since 7d, --since 24h, --since 2w or --since 2026-01-31',
  });
}

export function parseGrouping(value: string | undefined): CostGrouping {
  const by = (value ?? 'day').toLowerCase();
  if ((GROUPINGS as readonly string[]).includes(by)) return by as CostGrouping;
  throw new UserError(`--by ${value}: unknown grouping`, { hint: `one of ${GROUPINGS.join(', ')}` });
}

function keyOf(run: SpendRun, by: CostGrouping): string {
  if (by === 'component') return run.component || '?';
  if (by === 'branch') return run.branch || '?';
  return run.started_at ? run.started_at.slice(0, 10) : '?';
}

/** Spend per group (top-level runs only), biggest first; days in calendar order. */
export function groupSpend(runs: SpendRun[], by: CostGrouping): { rows: SpendRow[]; total_usd: number; runs: number } {
  const groups = new Map<string, SpendRow>();
  let total = 0;
  let count = 0;
  for (const run of runs) {
    if (run.parent) continue;
    const cost = run.cost_usd ?? 0;
    const key = keyOf(run, by);
    const row = groups.get(key) ?? { key, runs: 0, cost_usd: 0 };
    row.runs += 1;
    row.cost_usd = round(row.cost_usd + cost);
    groups.set(key, row);
    total = round(total + cost);
    count += 1;
  }
  const rows = [...groups.values()].sort((a, b) =>
    by === 'day' ? a.key.localeCompare(b.key) : b.cost_usd - a.cost_usd || a.key.localeCompare(b.key),
  );
  return { rows, total_usd: total, runs: count };
}

function round(usd: number): number {
  return Math.round(usd * 10000) / 10000;
}
