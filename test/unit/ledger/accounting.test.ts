// The budget ledger's pure accounting: grants against a day's ceiling, idempotent per run,
// settling with what was spent, day buckets, pruning; and `dkmv cost`'s grouping and --since.
import { describe, expect, it } from 'vitest';
import {
  emptyLedger,
  exhaustedMessage,
  grant,
  ledgerWorkflowId,
  prune,
  record,
  runLedger,
  used,
} from '../../../core/ledger/accounting.js';
import { groupSpend, parseGrouping, parseSince } from '../../../cli/cost/spend.js';

const DAY = '2026-12-02';
const req = (runId: string, wantUsd: number, ceilingUsd = 1) => ({ runId, wantUsd, ceilingUsd });

describe('ledger accounting', () => {
  it('grants while the day has room and refuses what would exceed the ceiling', () => {
    const s = emptyLedger('p');
    expect(grant(s, DAY, req('a', 0.6))).toMatchObject({ kind: 'granted', grantUsd: 0.6, usedUsd: 0.6 });
    const refused = grant(s, DAY, req('b', 0.6));
    expect(refused).toMatchObject({ kind: 'exhausted', availableUsd: 0.4, usedUsd: 0.6, wantUsd: 0.6 });
    expect(grant(s, DAY, req('c', 0.4))).toMatchObject({ kind: 'granted', grantUsd: 0.4 });
    expect(used(s.days[DAY])).toBe(1);
    expect(exhaustedMessage(refused as Extract<typeof refused, { kind: 'exhausted' }>)).toContain(
      '$0.60 of $1.00 used or reserved on 2026-12-02 (UTC), $0.40 left, this run needs $0.60',
    );
  });

  it('asks for at most the ceiling', () => {
    const s = emptyLedger('p');
    expect(grant(s, DAY, req('a', 50, 2))).toMatchObject({ kind: 'granted', grantUsd: 2 });
  });

  it('is idempotent per run: a retried ask gets the same grant, a second record changes nothing', () => {
    const s = emptyLedger('p');
    grant(s, DAY, req('a', 0.5));
    expect(grant(s, '2026-12-03', req('a', 0.5))).toMatchObject({ kind: 'granted', grantUsd: 0.5, day: DAY });
    expect(s.days[DAY]!.reservedUsd).toBe(0.5);
    expect(record(s, { runId: 'a', spentUsd: 0.2 })).toBe(true);
    expect(record(s, { runId: 'a', spentUsd: 0.2 })).toBe(false);
    expect(s.days[DAY]).toMatchObject({ spentUsd: 0.2, reservedUsd: 0 });
    expect(s.days[DAY]!.runs.a).toMatchObject({ grantUsd: 0.5, spentUsd: 0.2 });
  });

  it('frees the unspent part of a grant when the run records what it spent', () => {
    const s = emptyLedger('p');
    grant(s, DAY, req('a', 0.8));
    expect(grant(s, DAY, req('b', 0.5)).kind).toBe('exhausted');
    record(s, { runId: 'a', spentUsd: 0.3 });
    expect(grant(s, DAY, req('b', 0.5))).toMatchObject({ kind: 'granted', usedUsd: 0.8 });
  });

  it('ignores a record from a run that never got a grant', () => {
    const s = emptyLedger('p');
    expect(record(s, { runId: 'x', spentUsd: 1 })).toBe(false);
    expect(s.days).toEqual({});
  });

  it('starts each UTC day afresh; yesterday does not count against today', () => {
    const s = emptyLedger('p');
    grant(s, '2026-12-01', req('a', 1));
    expect(grant(s, DAY, req('b', 1))).toMatchObject({ kind: 'granted', day: DAY });
  });

  it('keeps only recent days when pruned', () => {
    const s = emptyLedger('p');
    grant(s, '2026-01-01', req('old', 0.1));
    grant(s, DAY, req('new', 0.1));
    expect(Object.keys(prune(s, DAY).days)).toEqual([DAY]);
  });

  it('derives a run ledger from the settings: none without a ceiling, the run cap or the default grant', () => {
    expect(runLedger({ max_daily_budget_usd: undefined, on_budget_exhausted: 'fail' }, 'p', 3)).toBeUndefined();
    expect(runLedger({ max_daily_budget_usd: 20, on_budget_exhausted: 'wait' }, 'p', 3)).toEqual({
      project: 'p',
      dailyCeilingUsd: 20,
      onExhausted: 'wait',
      grantUsd: 3,
    });
    expect(runLedger({ max_daily_budget_usd: 2, on_budget_exhausted: 'fail' }, 'p', undefined)?.grantUsd).toBe(2);
    expect(runLedger({ max_daily_budget_usd: 20, on_budget_exhausted: 'fail' }, 'p', undefined)?.grantUsd).toBe(5);
  });

  it('names one ledger workflow per project', () => {
    expect(ledgerWorkflowId('my app/x')).toBe('dkmv-ledger-my-app-x');
  });
});

describe('dkmv cost: --since, --by and grouping', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  it('reads durations and dates, and rejects the rest with a hint', () => {
    expect(parseSince('7d', now).toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(parseSince('24h', now).toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect(parseSince('2026-11-30', now).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(() => parseSince('last week', now)).toThrow(/--since last week: not a duration or a date/);
    expect(() => parseGrouping('repo')).toThrow(/--by repo: unknown grouping/);
    expect(parseGrouping(undefined)).toBe('day');
  });

  it('sums top-level runs per group (children are inside their harness)', () => {
    const runs = [
      { component: 'dev', branch: 'a', cost_usd: 0.5, started_at: '2026-12-01T10:00:00Z' },
      { component: 'dev', branch: 'b', cost_usd: 0.25, started_at: '2026-12-02T10:00:00Z' },
      { component: 'harness', branch: 'a', cost_usd: 2, started_at: '2026-12-02T11:00:00Z' },
      { component: 'dkmv-generator', branch: 'a/u1', cost_usd: 1, started_at: '2026-12-02T11:01:00Z', parent: 'h' },
      { component: 'qa', branch: 'b', cost_usd: undefined, started_at: '2026-12-02T12:00:00Z' },
    ];
    expect(groupSpend(runs, 'component')).toEqual({
      rows: [
        { key: 'harness', runs: 1, cost_usd: 2 },
        { key: 'dev', runs: 2, cost_usd: 0.75 },
        { key: 'qa', runs: 1, cost_usd: 0 },
      ],
      total_usd: 2.75,
      runs: 4,
    });
    expect(groupSpend(runs, 'day').rows.map((r) => [r.key, r.cost_usd])).toEqual([
      ['2026-12-01', 0.5],
      ['2026-12-02', 2.25],
    ]);
    expect(groupSpend(runs, 'branch').rows.map((r) => r.key)).toEqual(['a', 'b']);
  });
});
