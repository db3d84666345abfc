// The harness's state: the status view (what the `status` query answers and the run folder mirrors),
// the running cost with budget reservations for children in flight, and each unit's attempts.
import { setCurrentDetails, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { roundUsd } from '../../core/engine/budget.js';
import type {
  AttemptRecord,
  HarnessInput,
  HarnessPhase,
  HarnessStatus,
  HarnessView,
  UnitView,
} from '../../core/harness/types.js';
import { DkmvCostUsd, DkmvStatus } from '../../core/temporal/search-attributes.js';

export class HarnessState {
  readonly view: HarnessView;
  /** The report SHIP committed (with the evaluation); the run folder's report.md gets the same. */
  shippedReport?: string;
  private readonly reserved = new Map<string, number>();

  constructor(readonly input: HarnessInput) {
    this.view = {
      runId: input.runId,
      kind: 'harness',
      prompt: input.prompt,
      repo: input.repo,
      branch: input.branch,
      status: 'running',
      phase: 'plan',
      round: 1,
      costUsd: 0,
      ...(input.maxBudgetUsd !== undefined ? { maxBudgetUsd: input.maxBudgetUsd } : {}),
      budgetExhausted: false,
      startedAt: new Date().toISOString(),
      planAttempts: [],
      units: [],
      ...(input.resume ? { continuedFrom: input.resume.fromRunId } : {}),
    };
  }

  snapshot(): HarnessView {
    const view = JSON.parse(JSON.stringify(this.view)) as HarnessView;
    return { ...view, component: 'harness', tasks: taskRows(view) };
  }

  setPhase(phase: HarnessPhase): void {
    this.view.phase = phase;
    this.memo();
  }

  setStatus(status: HarnessStatus, error?: string): void {
    this.view.status = status;
    if (error !== undefined) this.view.error = error;
    if (status !== 'running' && status !== 'awaiting_input') this.view.endedAt = new Date().toISOString();
    upsertSearchAttributes([{ key: DkmvStatus, value: status }]);
    this.memo();
  }

  unit(id: string): UnitView {
    const u = this.view.units.find((x) => x.id === id);
    if (!u) throw new Error(`unknown unit ${id}`);
    return u;
  }

  lastAttempt(id: string): AttemptRecord | undefined {
    const attempts = this.unit(id).attempts;
    return attempts[attempts.length - 1];
  }

  /**
   * The dollar limit of a child about to start: min(role limit, its share of what is neither spent
   * nor reserved by children in flight). `waiting` counts children still to start in this wave,
   * this one included, so parallel children never together exceed the cap. 0 = do not dispatch.
   */
  reserve(childId: string, roleLimit: number | undefined, waiting: number): number | undefined {
    const cap = this.input.maxBudgetUsd;
    if (cap === undefined) return roleLimit;
    const inFlight = [...this.reserved.values()].reduce((s, v) => s + v, 0);
    const available = Math.max(0, cap - this.view.costUsd - inFlight);
    const share = roundUsd(available / Math.max(1, waiting));
    const budget = roleLimit === undefined ? share : Math.min(roleLimit, share);
    if (budget < 0.0001) return 0;
    this.reserved.set(childId, budget);
    return budget;
  }

  /** A child finished: its reservation is released and what it spent is counted. */
  settle(childId: string, costUsd: number): void {
    this.reserved.delete(childId);
    this.view.costUsd = roundUsd(this.view.costUsd + costUsd);
    upsertSearchAttributes([{ key: DkmvCostUsd, value: this.view.costUsd }]);
  }

  memo(): void {
    // The Web UI's current details: phase, round, units and cost (markdown).
    const landed = this.view.units.filter((u) => u.status === 'landed').length;
    const units = this.view.units.length ? ` Units landed ${landed}/${this.view.units.length}.` : '';
    setCurrentDetails(
      `**harness** on \`${this.view.branch}\`: ${this.view.status}, phase **${this.view.phase}** (round ${this.view.round}).${units}${gatesDetail(this.view)} Cost so far $${this.view.costUsd.toFixed(4)}.`,
    );
    upsertMemo({
      dkmv: {
        kind: 'harness',
        status: this.view.status,
        phase: this.view.phase,
        costUsd: this.view.costUsd,
        units: this.view.units.map((u) => ({ id: u.id, status: u.status, attempts: u.attempts.length })),
        error: this.view.error,
      },
    });
  }
}

/** The Web UI's line on the CHECK and REVIEW gates: the last check, reviews passed. Empty when neither ran. */
function gatesDetail(view: HarnessView): string {
  const check = view.quality?.checks?.at(-1);
  const reviewed = view.units.filter((u) => u.reviews?.length);
  const passed = reviewed.filter((u) => u.reviews!.at(-1)!.passed).length;
  return (
    (check ? ` Check round ${check.round}: ${check.passed ? 'passed' : 'failed'}.` : '') +
    (reviewed.length ? ` Reviews passed ${passed}/${reviewed.length}.` : '')
  );
}

const TASK_STATUS: Record<string, string> = {
  pending: 'pending',
  building: 'running',
  built: 'running',
  retry: 'running',
  landed: 'completed',
  empty: 'completed',
  blocked: 'failed',
  not_dispatched: 'skipped',
};

/** Plan attempts and units as the task rows component runs have, for the generic CLI commands. */
function taskRows(view: HarnessView): NonNullable<HarnessView['tasks']> {
  const plans = view.planAttempts.map((a) => ({
    id: `plan-a${a.attempt}`,
    name: `planner attempt ${a.attempt}`,
    status: a.accepted
      ? 'completed'
      : a.childStatus === 'running' || a.childStatus === 'starting'
        ? 'running'
        : 'failed',
    costUsd: a.costUsd,
    turns: 0,
    ...(a.problems.length ? { error: `${a.problems.length} Gate 1 problem(s): ${a.problems[0]}` } : {}),
  }));
  const units = view.units.map((u) => ({
    id: u.id,
    name: u.title,
    status: TASK_STATUS[u.status] ?? 'pending',
    costUsd: u.costUsd,
    turns: u.attempts.reduce((s, a) => s + a.turns, 0),
    ...(u.status === 'blocked' && u.feedback ? { error: u.feedback.split('\n')[0]! } : {}),
  }));
  return [...plans, ...units];
}
