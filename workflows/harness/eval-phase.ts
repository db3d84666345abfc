// EVAL: one evaluator child per batch (≤3 units, plus the integration batch for the overall criteria
// and design quality), all in parallel, each with its own container, app port and Chromium. Gate 4
// (code) checks each report on the evaluator's branch; an invalid one is re-run once with the
// complaints; what is still missing then scores 0. Returns the settled reports for the verdict.
import { CancellationScope } from '@temporalio/workflow';
import {
  evaluatorVars,
  planEvalBatches,
  type BatchExpectation,
  type SettledReport,
} from '../../core/harness/eval-report.js';
import { evaluatorBranch, evaluatorChildId } from '../../core/harness/ids.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import type { ChildRecord, EvalRecord } from '../../core/harness/types.js';
import { reportVerdict } from '../../core/harness/verdict.js';
import { childInput, runChild } from './children.js';
import type { HarnessContext } from './context.js';
import { qualityLanding, qualityShared } from './quality-activities.js';

/** Gate 4 attempts per batch: the report, then one re-run with the complaints. */
const GATE4_ATTEMPTS = 2;

type Batch = BatchExpectation & { units: string[]; integration: boolean };

export async function evalPhase(ctx: HarnessContext, plan: HarnessPlan, round: number): Promise<SettledReport[]> {
  const batches = planEvalBatches(
    round,
    plan.units.map((u) => ({ id: u.id, criteria: u.criteria })),
    plan.overall_criteria,
    plan.app.kind,
  );
  const ports = await qualityShared(ctx.input, `app ports for ${batches.length} evaluator(s)`).allocateAppPorts({
    count: batches.length,
  });
  const base = ctx.head;
  const results = await CancellationScope.cancellable(() =>
    Promise.all(batches.map((b, i) => evalBatch(ctx, plan, b, ports[i]!, base, batches.length - i))),
  );
  // Recorded in batch order, whichever evaluator finished first.
  ctx.state.view.quality!.evals.push(...results.map((r) => r.record));
  ctx.record();
  return results.map((r) => r.report);
}

/** What the evaluator is told was built. */
function specText(plan: HarnessPlan): string {
  const features = plan.spec.features.map((f) => `- ${f.name}: ${f.description}`).join('\n');
  const design = plan.spec.design_direction
    ? `\n\nDesign direction: ${JSON.stringify(plan.spec.design_direction)}`
    : '';
  return `${plan.spec.overview}\n\nFeatures:\n${features}${design}`;
}

async function evalBatch(
  ctx: HarnessContext,
  plan: HarnessPlan,
  batch: Batch,
  port: number,
  base: string,
  waiting: number,
): Promise<{ report: SettledReport; record: EvalRecord }> {
  const { input, state } = ctx;
  const q = input.quality!;
  const what = batch.integration ? 'integration' : batch.units.join(',');
  let feedback = '';
  // Each attempt's evaluator child as it really ended: `dkmv show` and the report's cost table read these.
  const children: ChildRecord[] = [];
  for (let attempt = 1; ; attempt++) {
    const childId = evaluatorChildId(input.runId, batch.batchId, attempt);
    const branch = evaluatorBranch(input.branch, batch.batchId, attempt);
    const previous = previousReports(ctx, batch, attempt);
    const created = await qualityLanding(ctx.input, ctx.host, `branch for evaluator ${batch.batchId}`).createBranchAt({
      ...ctx.repoRef,
      name: branch,
      from: base,
      ...(previous.length ? { evaluatorFiles: { previous: previous.map((p) => p.branch) } } : {}),
    });
    // `created` is undefined in histories recorded when createBranchAt returned nothing.
    const from = (created as typeof created | undefined)?.previousReportFrom;
    const previousReport = previous.find((p) => p.branch === from)?.what;
    const budget = state.reserve(childId, q.roles.evaluator.maxBudgetUsd, waiting);
    if (budget !== 0) {
      const rolePlan = await qualityShared(ctx.input, `plan evaluator ${batch.batchId} (${what})`).planHarnessRole({
        role: 'evaluator',
        dir: q.roleDirs.evaluator,
        projectRoot: input.projectRoot,
        childRunId: childId,
        repo: input.repo,
        branch,
        vars: evaluatorVars({ batch, spec: specText(plan), app: appOf(plan), port, feedback, previousReport }),
        settings: q.roles.evaluator,
        layers: input.layers,
      });
      const outcome = await runChild(childId, childInput(input, childId, rolePlan, branch, budget, q.browserImage));
      state.settle(childId, outcome.costUsd);
      children.push({
        childId,
        childStatus: outcome.status,
        costUsd: outcome.costUsd,
        turns: outcome.turns,
        ...(outcome.error ? { error: outcome.error } : {}),
      });
    } else {
      state.view.budgetExhausted = true; // no evaluator: Gate 4 finds no report, every criterion scores 0
      children.push({ childId, childStatus: 'not_started', costUsd: 0, turns: 0, error: 'the budget is spent' });
    }
    const gate = await qualityShared(
      ctx.input,
      `Gate 4 on evaluate batch ${batch.batchId} (${what}) attempt ${attempt}`,
    ).gateEvalBranch({
      repo: input.repo,
      branch,
      expectation: {
        batchId: batch.batchId,
        round: batch.round,
        criteria: batch.criteria,
        ...(batch.appKind ? { appKind: batch.appKind } : {}),
      },
      runDir: input.runDir,
      attempt,
      maxAttempts: budget === 0 ? attempt : GATE4_ATTEMPTS,
    });
    if (gate.status === 'rerun') {
      feedback = gate.feedback;
      continue;
    }
    const report = gate.report;
    const record: EvalRecord = {
      round: batch.round,
      batchId: batch.batchId,
      units: batch.integration ? ['integration'] : batch.units,
      attempts: attempt,
      gate: gate.status,
      verdict: reportVerdict(report),
      passed: report.criteria.filter((c) => c.passed).length,
      total: report.criteria.length,
      screenshots: gate.screenshots,
      complaints: report.complaints,
      children,
    };
    return { report, record };
  }
}

/**
 * Earlier reports of this batch, most relevant first: this round's previous attempt (Gate 4 sent
 * it back), then the last report of the same units in an earlier round (before this round's fixes).
 * The first one found on its branch is staged as `.agent/previous_eval_report.json`.
 */
function previousReports(ctx: HarnessContext, batch: Batch, attempt: number): { branch: string; what: string }[] {
  const integration = ctx.input.branch;
  const out: { branch: string; what: string }[] = [];
  if (attempt > 1)
    out.push({
      branch: evaluatorBranch(integration, batch.batchId, attempt - 1),
      what: `your own report from attempt ${attempt - 1} of this batch, which the harness (Gate 4) sent back`,
    });
  const units = batch.integration ? ['integration'] : batch.units;
  const earlier = (ctx.state.view.quality?.evals ?? [])
    .filter((e) => e.round < batch.round && e.units.join(',') === units.join(','))
    .at(-1);
  if (earlier)
    out.push({
      branch: evaluatorBranch(integration, earlier.batchId, earlier.attempts),
      what: `the report of batch ${earlier.batchId} (round ${earlier.round}, the same units), written before the fixes since then landed`,
    });
  return out;
}

function appOf(plan: HarnessPlan): { install: string; start: string; ready_path: string } {
  return { install: plan.app.install ?? '', start: plan.app.start ?? '', ready_path: plan.app.ready_path };
}
