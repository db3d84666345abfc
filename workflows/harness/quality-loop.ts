// The quality loop between LAND and SHIP (harness note §6.5): SMOKE → EVAL → verdict, then SHIP,
// a FIX round (fixers for the failing units only, then SMOKE and EVAL again), or one REPLAN. A
// failing smoke test is a FIX round too; still failing after the last round → unverified, no PR.
// `round` counts rounds since the last (re)plan (the limits apply to it); `serial` never restarts
// and names children, branches, batches and run-folder files so nothing is reused after a REPLAN.
import { setCurrentDetails } from '@temporalio/workflow';
import type { SettledReport } from '../../core/harness/eval-report.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { ownerManifest } from '../../core/harness/plan-views.js';
import { formatSmokeFailures, groupByUnit } from '../../core/harness/smoke-report.js';
import type { HarnessPhase } from '../../core/harness/types.js';
import {
  decideAfterEval,
  decideAfterSmoke,
  DEFAULT_LOOP_LIMITS,
  formatCriterionFailures,
  type LoopLimits,
} from '../../core/harness/verdict.js';
import type { HarnessContext } from './context.js';
import { checkGate } from './check-phase.js';
import { evalPhase } from './eval-phase.js';
import { fixPhase, type FixTask } from './fix-phase.js';
import { planPhase } from './plan-phase.js';
import { qualityLanding } from './quality-activities.js';
import { shipPhase } from './ship-phase.js';
import { smokePhase } from './smoke-phase.js';

/** BUILD ⇄ LAND for the pending units of a plan, in the given round (the workflow's buildAndLand). */
export type BuildAndLand = (plan: HarnessPlan, round: number) => Promise<void>;

export async function qualityLoop(ctx: HarnessContext, first: HarnessPlan, buildAndLand: BuildAndLand): Promise<void> {
  const { input, state } = ctx;
  const limits: LoopLimits = {
    ...DEFAULT_LOOP_LIMITS,
    ...(input.quality!.maxRounds !== undefined ? { maxRounds: input.quality!.maxRounds } : {}),
    ...(input.quality!.maxReplans !== undefined ? { maxReplans: input.quality!.maxReplans } : {}),
    ...(input.maxUnitAttempts !== undefined ? { maxUnitAttempts: input.maxUnitAttempts } : {}),
  };
  state.view.quality = { smoke: [], evals: [], fixes: [], replanCount: 0 };
  const quality = state.view.quality;
  let plan = first;
  let round = 1;
  let serial = 1;
  let epoch = 1; // serial round the current plan started in
  const enter = (phase: HarnessPhase) => {
    state.view.round = round;
    state.setPhase(phase);
    setCurrentDetails(
      `phase ${phase.toUpperCase()}, round ${round}/${limits.maxRounds}` +
        (quality.replanCount ? `, after ${quality.replanCount} re-plan(s)` : ''),
    );
    ctx.record();
  };
  for (;;) {
    // CHECK before SMOKE: a build that does not build, type-check or pass its tests goes back to its owners.
    const check = await checkGate(ctx, plan, serial, () => enter('check'));
    if (check && !check.passed) {
      if (decideAfterSmoke(false, round, limits) === 'UNVERIFIED') {
        enter('ship');
        const issue = `The build still fails its check after ${round} round(s): ${check.summary ?? 'see the check report'}. The branch is kept; no pull request was opened.`;
        return shipPhase(ctx, plan, { outcome: 'unverified', reports: [], rounds: round, issues: [issue] });
      }
      round++;
      serial++;
      enter('fix');
      await fixPhase(ctx, plan, serial, check.tasks);
      continue;
    }
    enter('smoke');
    const smoke = await smokePhase(ctx, plan, serial);
    const afterSmoke = decideAfterSmoke(smoke.report.passed, round, limits);
    if (afterSmoke === 'UNVERIFIED') {
      enter('ship');
      const issue = `The app still fails its smoke test after ${round} round(s): ${smoke.report.failure_summary ?? 'see the smoke report'}. The branch is kept; no pull request was opened.`;
      return shipPhase(ctx, plan, { outcome: 'unverified', reports: [], rounds: round, issues: [issue] });
    }
    if (afterSmoke === 'FIX') {
      const tasks: FixTask[] = [...groupByUnit(smoke.failures)].map(([unit, failures]) => ({
        unit,
        cause: 'smoke',
        failures: formatSmokeFailures(failures),
      }));
      round++;
      serial++;
      enter('fix');
      await fixPhase(ctx, plan, serial, tasks);
      continue;
    }

    enter('eval');
    const reports = await evalPhase(ctx, plan, serial);
    const attempts = unitAttempts(ctx, epoch);
    const next = decideAfterEval(
      reports,
      ownerManifest(plan),
      { round, replanCount: quality.replanCount, unitAttempts: attempts },
      limits,
    );
    switch (next.action) {
      case 'SHIP':
        enter('ship');
        return shipPhase(ctx, plan, { outcome: 'passed', reports, rounds: round, issues: [] });
      case 'SHIP_WITH_ISSUES': {
        enter('ship');
        const issues = [
          `Shipped without a pass: ${next.reason}.`,
          ...next.blocked.map((u) => `${u} is blocked after ${limits.maxUnitAttempts} attempts.`),
        ];
        return shipPhase(ctx, plan, { outcome: 'with_issues', reports, rounds: round, issues });
      }
      case 'FIX':
        round++;
        serial++;
        enter('fix');
        await fixPhase(
          ctx,
          plan,
          serial,
          next.assignments.map((a) => ({ unit: a.unit, cause: 'eval', failures: formatCriterionFailures(a.criteria) })),
        );
        continue;
      case 'REPLAN':
        quality.replanCount++;
        round = 1;
        serial++;
        epoch = serial;
        enter('replan');
        plan = await replan(ctx, reports, serial);
        await buildAndLand(plan, serial);
        continue;
    }
  }
}

/** Generator attempts of the current plan's units plus fixer rounds since it started. */
function unitAttempts(ctx: HarnessContext, epoch: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const u of ctx.state.view.units) out[u.id] = u.attempts.length;
  for (const f of ctx.state.view.quality!.fixes) if (f.round >= epoch) out[f.unit] = (out[f.unit] ?? 0) + 1;
  return out;
}

/** REPLAN: the planner plans again on top of what landed, told why; Gate 1 again; the new units start pending. */
async function replan(ctx: HarnessContext, reports: SettledReport[], serial: number): Promise<HarnessPlan> {
  const { state } = ctx;
  const failing = reports.flatMap((r) => r.criteria).filter((c) => !c.passed);
  const why = reports
    .map((r) => r.verdict_rationale.trim())
    .filter(Boolean)
    .map((r) => `- ${r}`)
    .join('\n');
  const feedback = [
    'The evaluators asked for a new plan (REPLAN). What the previous plan built has landed on the branch:',
    'plan again on top of it, changing the structure the evaluation found wrong.',
    why ? `Evaluator rationale:\n${why}` : '',
    failing.length ? `Failing criteria:\n${formatCriterionFailures(failing)}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  state.setPhase('plan');
  const plan = await planPhase(ctx, feedback);
  const committed = await qualityLanding(ctx.input, ctx.host, `commit the re-plan (round ${serial})`).commitPlan({
    ...ctx.repoRef,
    plan,
  });
  ctx.head = committed.head;
  state.view.integrationHead = committed.head;
  state.view.units = plan.units.map((u) => ({ id: u.id, title: u.title, status: 'pending', attempts: [], costUsd: 0 }));
  ctx.record();
  return plan;
}
