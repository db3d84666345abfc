// The verdict rules (harness note §6.5): scores decide, not the evaluator's mood. A criterion passes
// at ≥7, recomputed here; a PASS with a failing score becomes RETRY; reports combine worst-wins
// (REPLAN > RETRY > PASS); only one REPLAN per build, a second one is a RETRY. Then: what happens
// next, and which units a FIX round re-dispatches. Pure and deterministic (workflow code uses it).
import { PASS_SCORE, type SettledCriterion, type SettledReport, type Verdict } from './eval-report.js';
import { INTEGRATION, ownerOfText, type OwnerManifest } from './verdict-owners.js';

export type { Verdict } from './eval-report.js';

const RANK: Record<Verdict, number> = { PASS: 0, RETRY: 1, REPLAN: 2 };

export function criterionPassed(score: number): boolean {
  return score >= PASS_SCORE;
}

function worst(a: Verdict, b: Verdict): Verdict {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * One batch's verdict from its scores: any failing criterion makes it at least RETRY (a lenient
 * PASS is overruled). A RETRY or REPLAN whose criteria all pass stands only when the rationale
 * names the finding the criteria missed; an unexplained one is a PASS.
 */
export function reportVerdict(
  report: Pick<SettledReport, 'claimed_verdict' | 'criteria' | 'verdict_rationale'>,
): Verdict {
  const allPass = report.criteria.every((c) => criterionPassed(c.score));
  if (!allPass) return worst(report.claimed_verdict, 'RETRY');
  if (report.claimed_verdict !== 'PASS' && report.verdict_rationale.trim() === '') return 'PASS';
  return report.claimed_verdict;
}

/** Worst verdict wins; a REPLAN after the build already re-planned once is a RETRY. No reports = RETRY (default FAIL). */
export function combineVerdicts(verdicts: Verdict[], replanCount: number, maxReplans = 1): Verdict {
  if (verdicts.length === 0) return 'RETRY';
  const agg = verdicts.reduce(worst, 'PASS');
  return agg === 'REPLAN' && replanCount >= maxReplans ? 'RETRY' : agg;
}

/** A failing criterion handed to the unit that must fix it (its prompt quotes these verbatim). */
export interface FixAssignment {
  unit: string;
  criteria: SettledCriterion[];
}

/**
 * Units a FIX round re-dispatches: every unit with a failing criterion of its own, plus the owner
 * of the file a failing overall criterion's fix hint (or evidence) names, else the aggregation
 * owner. Ordered by unit id, `integration` last.
 */
export function unitsToRedispatch(criteria: SettledCriterion[], manifest: OwnerManifest): FixAssignment[] {
  const byUnit = new Map<string, SettledCriterion[]>();
  for (const c of criteria) {
    if (criterionPassed(c.score)) continue;
    const unit = c.unit ?? ownerOfText(manifest, c.fix_hint ?? undefined, c.evidence);
    byUnit.set(unit, [...(byUnit.get(unit) ?? []), c]);
  }
  return [...byUnit.entries()]
    .sort(([a], [b]) => (a === INTEGRATION ? 1 : b === INTEGRATION ? -1 : a.localeCompare(b)))
    .map(([unit, list]) => ({ unit, criteria: list }));
}

export interface LoopState {
  /** The round just evaluated (1-based). */
  round: number;
  replanCount: number;
  /** Generator attempts so far per unit id (the workflow increments on each dispatch). */
  unitAttempts: Record<string, number>;
}

export interface LoopLimits {
  maxRounds: number;
  maxReplans: number;
  maxUnitAttempts: number;
}

export const DEFAULT_LOOP_LIMITS: LoopLimits = { maxRounds: 3, maxReplans: 1, maxUnitAttempts: 3 };

export type NextStep =
  | { action: 'SHIP'; verdict: 'PASS' }
  | { action: 'FIX'; verdict: 'RETRY'; assignments: FixAssignment[]; blocked: string[] }
  | { action: 'REPLAN'; verdict: 'REPLAN' }
  | { action: 'SHIP_WITH_ISSUES'; verdict: Verdict; reason: string; blocked: string[] };

/** After EVAL: ship, fix the failing units, re-plan once, or ship with the remaining issues documented. */
export function decideAfterEval(
  reports: SettledReport[],
  manifest: OwnerManifest,
  state: LoopState,
  limits: LoopLimits = DEFAULT_LOOP_LIMITS,
): NextStep {
  const verdict = combineVerdicts(reports.map(reportVerdict), state.replanCount, limits.maxReplans);
  if (verdict === 'PASS') return { action: 'SHIP', verdict };
  if (verdict === 'REPLAN') return { action: 'REPLAN', verdict };
  const assignments = unitsToRedispatch(
    reports.flatMap((r) => r.criteria),
    manifest,
  );
  const isBlocked = (u: string) => u !== INTEGRATION && (state.unitAttempts[u] ?? 0) >= limits.maxUnitAttempts;
  const blocked = assignments.map((a) => a.unit).filter(isBlocked);
  if (state.round >= limits.maxRounds) {
    return { action: 'SHIP_WITH_ISSUES', verdict, reason: `no pass after ${state.round} rounds`, blocked };
  }
  const open = assignments.filter((a) => !isBlocked(a.unit));
  if (open.length === 0) {
    return {
      action: 'SHIP_WITH_ISSUES',
      verdict,
      reason:
        assignments.length === 0
          ? 'the evaluators asked for a retry but no criterion fails'
          : `every unit with a failing criterion is blocked (${limits.maxUnitAttempts} attempts)`,
      blocked,
    };
  }
  return { action: 'FIX', verdict, assignments: open, blocked };
}

export type SmokeNextStep = 'EVAL' | 'FIX' | 'UNVERIFIED';

/** After SMOKE: evaluate, run a fix round (it counts as a round), or stop unverified (branch kept, no PR). */
export function decideAfterSmoke(
  passed: boolean,
  round: number,
  limits: LoopLimits = DEFAULT_LOOP_LIMITS,
): SmokeNextStep {
  if (passed) return 'EVAL';
  return round >= limits.maxRounds ? 'UNVERIFIED' : 'FIX';
}

/** A FIX assignment's failures as the fixer prompt quotes them: criterion, score, evidence, fix hint. */
export function formatCriterionFailures(criteria: SettledCriterion[]): string {
  return criteria
    .map(
      (c) =>
        `- ${c.criterion_id} (score ${c.score}): ${c.text}\n  Evidence: ${c.evidence}\n  Fix hint: ${c.fix_hint ?? '(none given: find the cause)'}`,
    )
    .join('\n');
}

/** Template variables of the fixer role component (components/harness/fixer). */
export function fixerVars(input: {
  unit: string;
  round: number;
  /** What the unit may change (its owns/creates and contracts), as text. */
  brief: string;
  /** formatCriterionFailures(...) or formatSmokeFailures(...). */
  failures: string;
  port: number;
  app: { install: string; start: string };
  /** What the fixer's branch already holds from an earlier fixer of the unit (carriedNote). */
  carried?: string;
}): Record<string, string> {
  return {
    harness_unit: input.unit,
    harness_round: String(input.round),
    harness_brief: input.brief,
    harness_failures: input.failures,
    harness_port: String(input.port),
    harness_app_install: input.app.install,
    harness_app_start: input.app.start,
    harness_carried: input.carried ?? '',
  };
}
