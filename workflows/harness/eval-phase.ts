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
    await qualityLanding(ctx.input, ctx.host, `branch for evaluator ${batch.batchId}`).createBranchAt({
      ...ctx.repoRef,
      name: branch,
      from: base,
    });
    const budget = state.reserve(childId, q.roles.evaluator.maxBudgetUsd, waiting);
    if (budget !== 0) {
      const rolePlan = await qualityShared(ctx.input, `plan evaluator ${batch.batchId} (${what})`).planHarnessRole({
        role: 'evaluator',
        dir: q.roleDirs.evaluator,
        projectRoot: input.projectRoot,
        childRunId: childId,
        repo: input.repo,
        branch,
        vars: evaluatorVars({ batch, spec: specText(plan), app: appOf(plan), port, feedback }),
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

function appOf(plan: HarnessPlan): { install: string; start: string; ready_path: string } {
  return { install: plan.app.install ?? '', start: plan.app.start ?? '', ready_path: plan.app.ready_path };
}
