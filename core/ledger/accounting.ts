// The budget ledger's pure accounting: one bucket per UTC day with what was spent and what is
// reserved by grants not yet settled. A run asks for a grant before it spends; the grant is
// reserved against the day's ceiling until the run records what it spent (then only that counts).
// No Temporal APIs here: the ledger workflow, its activities, the CLI and unit tests call these.

export type OnBudgetExhausted = 'wait' | 'fail';

/** What a run (component or harness) carries when its project has a daily ceiling. */
export interface RunLedger {
  project: string;
  dailyCeilingUsd: number;
  onExhausted: OnBudgetExhausted;
  /** The grant asked for: the run's max budget, else the default grant. */
  grantUsd: number;
  /** While waiting for room under the ceiling: seconds between asks. */
  waitSeconds?: number;
}

export interface GrantEntry {
  grantUsd: number;
  /** Set once the run recorded what it spent; the reservation is then released. */
  spentUsd?: number;
  component?: string;
  branch?: string;
}

export interface DayBucket {
  spentUsd: number;
  reservedUsd: number;
  runs: Record<string, GrantEntry>;
}

export interface LedgerState {
  project: string;
  days: Record<string, DayBucket>;
}

export interface GrantRequest {
  runId: string;
  /** What the run wants to be able to spend (its max budget, or the default grant). */
  wantUsd: number;
  /** The day's ceiling as the requester's configuration sets it. */
  ceilingUsd: number;
  component?: string;
  branch?: string;
}

export type GrantAnswer =
  | { kind: 'granted'; grantUsd: number; day: string; usedUsd: number; ceilingUsd: number }
  | { kind: 'exhausted'; day: string; usedUsd: number; availableUsd: number; ceilingUsd: number; wantUsd: number };

export interface SpendRecord {
  runId: string;
  spentUsd: number;
}

/** Days of history the ledger keeps (older buckets are dropped at continue-as-new). */
export const KEEP_DAYS = 62;

const EPSILON = 1e-9;

export function round(usd: number): number {
  return Math.round(usd * 10000) / 10000;
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function emptyLedger(project: string): LedgerState {
  return { project, days: {} };
}

function bucket(state: LedgerState, day: string): DayBucket {
  return (state.days[day] ??= { spentUsd: 0, reservedUsd: 0, runs: {} });
}

/** The run's grant on any day (a retried request must not be granted twice). */
export function findGrant(state: LedgerState, runId: string): { day: string; entry: GrantEntry } | undefined {
  for (const [day, b] of Object.entries(state.days)) {
    const entry = b.runs[runId];
    if (entry) return { day, entry };
  }
  return undefined;
}

/** What counts against a day's ceiling: spent plus reserved by unsettled grants. */
export function used(b: DayBucket | undefined): number {
  return b ? round(b.spentUsd + b.reservedUsd) : 0;
}

/**
 * Grants `min(want, ceiling)` if it fits under the day's ceiling, else says how much is left.
 * Idempotent per run id: asking again returns the grant already made.
 */
export function grant(state: LedgerState, day: string, req: GrantRequest): GrantAnswer {
  const ceilingUsd = req.ceilingUsd;
  const existing = findGrant(state, req.runId);
  if (existing) {
    return {
      kind: 'granted',
      grantUsd: existing.entry.grantUsd,
      day: existing.day,
      usedUsd: used(state.days[existing.day]),
      ceilingUsd,
    };
  }
  const amount = round(Math.min(req.wantUsd, ceilingUsd));
  const current = used(state.days[day]);
  const availableUsd = round(Math.max(0, ceilingUsd - current));
  if (amount <= 0 || amount > availableUsd + EPSILON) {
    return { kind: 'exhausted', day, usedUsd: current, availableUsd, ceilingUsd, wantUsd: amount };
  }
  const b = bucket(state, day);
  b.reservedUsd = round(b.reservedUsd + amount);
  b.runs[req.runId] = {
    grantUsd: amount,
    ...(req.component ? { component: req.component } : {}),
    ...(req.branch ? { branch: req.branch } : {}),
  };
  return { kind: 'granted', grantUsd: amount, day, usedUsd: used(b), ceilingUsd };
}

/**
 * Settles a run's grant with what it spent (counted on the grant's day). Idempotent: a second
 * record of the same run changes nothing. A run without a grant spent nothing through the ledger.
 */
export function record(state: LedgerState, rec: SpendRecord): boolean {
  const found = findGrant(state, rec.runId);
  if (!found || found.entry.spentUsd !== undefined) return false;
  const b = state.days[found.day]!;
  b.reservedUsd = round(Math.max(0, b.reservedUsd - found.entry.grantUsd));
  b.spentUsd = round(b.spentUsd + Math.max(0, rec.spentUsd));
  found.entry.spentUsd = round(Math.max(0, rec.spentUsd));
  return true;
}

/** Drops buckets older than KEEP_DAYS before `today` (keeps history bounded across continue-as-new). */
export function prune(state: LedgerState, today: string): LedgerState {
  const cutoff = dayOf(Date.parse(`${today}T00:00:00Z`) - KEEP_DAYS * 86_400_000);
  const days = Object.fromEntries(Object.entries(state.days).filter(([d]) => d >= cutoff));
  return { ...state, days };
}

/** The ledger's memo: recent day totals, readable with `describe` even when no worker runs. */
export interface LedgerMemo {
  project: string;
  days: Record<string, { spentUsd: number; reservedUsd: number; runs: number }>;
}

export function ledgerMemo(state: LedgerState, days = 7): LedgerMemo {
  const recent = Object.keys(state.days).sort().slice(-days);
  return {
    project: state.project,
    days: Object.fromEntries(
      recent.map((d) => {
        const b = state.days[d]!;
        return [d, { spentUsd: b.spentUsd, reservedUsd: b.reservedUsd, runs: Object.keys(b.runs).length }];
      }),
    ),
  };
}

/** Workflow id of a project's ledger: one per project, shared by every worker and host. */
export function ledgerWorkflowId(project: string): string {
  return `dkmv-ledger-${project.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
}

/** The message a run fails with when the day's ceiling leaves no room for it. */
export function exhaustedMessage(a: Extract<GrantAnswer, { kind: 'exhausted' }>): string {
  return (
    `the daily budget is exhausted: $${a.usedUsd.toFixed(2)} of $${a.ceilingUsd.toFixed(2)} used or reserved on ${a.day} (UTC), ` +
    `$${a.availableUsd.toFixed(2)} left, this run needs $${a.wantUsd.toFixed(2)}; raise max_daily_budget_usd ` +
    `(DKMV_MAX_DAILY_BUDGET_USD), lower --max-budget-usd, or set on_budget_exhausted=wait`
  );
}

/** What a run without its own max budget asks for (or the whole ceiling, if smaller). */
export const DEFAULT_GRANT_USD = 5;

/**
 * The ledger settings of one run from the resolved configuration; undefined when the project has
 * no daily ceiling. The grant asked for is the run's own cap, else the default grant.
 */
export function runLedger(
  values: { max_daily_budget_usd: number | undefined; on_budget_exhausted: OnBudgetExhausted },
  project: string,
  maxBudgetUsd: number | undefined,
): RunLedger | undefined {
  const ceiling = values.max_daily_budget_usd;
  if (ceiling === undefined) return undefined;
  return {
    project,
    dailyCeilingUsd: ceiling,
    onExhausted: values.on_budget_exhausted,
    grantUsd: round(Math.min(maxBudgetUsd ?? DEFAULT_GRANT_USD, ceiling)),
  };
}
