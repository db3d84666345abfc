// PLAN → Gate 1: the planner child writes `.agent/plan.json` on its own branch; Gate 1 (code) accepts
// it or sends the numbered problems back to the next attempt; after the last attempt the run fails.
import { formatProblems } from '../../core/harness/gate1.js';
import { plannerBranch, plannerChildId } from '../../core/harness/ids.js';
import { plannerMarker } from '../../core/harness/markers.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { landing, shared } from './activities.js';
import { childInput, runChild } from './children.js';
import type { HarnessContext } from './context.js';

export class PlanRejected extends Error {}

/** `feedback`: what the first attempt is told (a REPLAN hands over the evaluation's summary). */
export async function planPhase(ctx: HarnessContext, feedback = ''): Promise<HarnessPlan> {
  const { input, state } = ctx;
  const attempts = input.maxPlanAttempts ?? 3;
  // A re-plan numbers its attempts after the first plan's, so child ids and branches stay unique.
  const first = state.view.planAttempts.length;
  for (let attempt = first + 1; attempt <= first + attempts; attempt++) {
    const childId = plannerChildId(input.runId, attempt);
    const branch = plannerBranch(input.branch, attempt);
    const record = { attempt, childId, childStatus: 'starting', costUsd: 0, accepted: false, problems: [] as string[] };
    state.view.planAttempts.push(record);
    const budget = state.reserve(childId, input.roles.planner.maxBudgetUsd, 1);
    if (budget === 0) {
      state.view.budgetExhausted = true;
      throw new PlanRejected('the budget is spent before a plan was accepted');
    }
    await landing(ctx.input, ctx.host, `branch ${branch} for the planner`).createBranchAt({
      ...ctx.repoRef,
      name: branch,
      from: ctx.head,
      plannerFiles: attempt > 1 ? { previous: plannerBranch(input.branch, attempt - 1) } : {},
    });
    const plan = await shared(ctx.input, `plan planner (attempt ${attempt})`).planHarnessRole({
      role: 'planner',
      dir: input.roleDirs.planner,
      projectRoot: input.projectRoot,
      childRunId: childId,
      repo: input.repo,
      branch,
      vars: {
        harness_marker: plannerMarker(attempt),
        harness_prompt: input.prompt,
        harness_feedback: feedback,
        harness_prd: input.prd ?? '',
        harness_design_md: input.designMd ?? '',
      },
      settings: input.roles.planner,
      layers: input.layers,
    });
    record.childStatus = 'running';
    ctx.record();
    const outcome = await runChild(childId, childInput(input, childId, plan, branch, budget));
    state.settle(childId, outcome.costUsd);
    record.childStatus = outcome.status;
    record.costUsd = outcome.costUsd;
    if (outcome.status !== 'completed') {
      record.problems = [`the planner did not finish: ${outcome.error ?? outcome.status}`];
      feedback = formatProblems(record.problems);
      continue;
    }
    const read = await landing(ctx.input, ctx.host, `read plan + Gate 1 (attempt ${attempt})`).readPlan({
      ...ctx.repoRef,
      plannerBranch: branch,
    });
    if (read.accepted) {
      record.accepted = true;
      return read.plan;
    }
    record.problems = read.problems;
    feedback = formatProblems(read.problems);
    ctx.record();
  }
  const last = state.view.planAttempts[state.view.planAttempts.length - 1];
  throw new PlanRejected(
    `Gate 1 rejected the plan ${attempts} times; last problems:\n${formatProblems(last?.problems ?? [])}`,
  );
}
