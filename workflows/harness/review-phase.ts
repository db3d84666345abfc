// REVIEW: after a unit's generator attempt is built and passes the ownership check, a reviewer child
// (its own container, its own branch from the unit's head) reviews the diff against the integration
// head the unit was built on, with the unit and the plan's contracts, and writes .agent/review.json.
// The gate is code (core/harness/review-gate.ts). Below --review-min-score the findings go verbatim
// to a review-fix generator attempt on top of the reviewed one (≤ maxRounds), then the unit lands with
// its review attached. Reviewers run inside the generators' window, so they run in parallel and
// count in the budget like generators.
import { patched } from '@temporalio/workflow';
import { checkLine } from '../../core/harness/check-contract.js';
import { reviewerBranch, reviewerChildId } from '../../core/harness/ids.js';
import { reviewerMarker } from '../../core/harness/markers.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { sharedBrief, unitBrief } from '../../core/harness/plan-views.js';
import { reviewFeedback, type ReviewSettings } from '../../core/harness/review-gate.js';
import type { ReviewRecord } from '../../core/harness/types.js';
import { landing, shared } from './activities.js';
import type { BuildResult } from './build-phase.js';
import { childInput, runChild } from './children.js';
import type { HarnessContext } from './context.js';

/** Patch id: runs recorded before the review gate never review on replay. */
export const REVIEW_PATCH = 'harness-review';

type Built = Extract<BuildResult, { kind: 'built' }>;
/** Builds the unit again on top of `from` (a review-fix attempt); the unit's feedback holds the findings. */
export type Rebuild = (from: string) => Promise<BuildResult>;

/** The review gate for one built unit: its final build result (reviewed, fixed, or landed with the review). */
export async function reviewGate(
  ctx: HarnessContext,
  plan: HarnessPlan,
  built: BuildResult,
  base: string,
  rebuild: Rebuild,
): Promise<BuildResult> {
  const settings = ctx.input.review;
  if (built.kind !== 'built' || !settings || !patched(REVIEW_PATCH)) return built;
  let current: Built = built;
  for (let fixes = 0; ; fixes++) {
    const record = await reviewOne(ctx, plan, current, base, settings);
    if (!record || record.passed || record.score === null || fixes >= settings.maxRounds) return current;
    record.fixRequested = true;
    ctx.record();
    const again = await rebuild(current.head);
    if (again.kind !== 'built') return again;
    current = again;
  }
}

/** One reviewer child on the unit's last attempt, then the gate; undefined = no budget left for it. */
async function reviewOne(
  ctx: HarnessContext,
  plan: HarnessPlan,
  built: Built,
  base: string,
  settings: ReviewSettings,
): Promise<ReviewRecord | undefined> {
  const { input, state } = ctx;
  const unit = state.unit(built.unit);
  const { round, attempt } = state.lastAttempt(built.unit)!;
  const childId = reviewerChildId(input.runId, built.unit, round, attempt);
  const branch = reviewerBranch(input.branch, built.unit, round, attempt);
  const budget = state.reserve(childId, settings.role.maxBudgetUsd, 1);
  if (budget === 0) {
    state.view.budgetExhausted = true;
    return undefined;
  }
  const record: ReviewRecord = {
    round,
    attempt,
    childId,
    childStatus: 'starting',
    costUsd: 0,
    score: null,
    minScore: settings.minScore,
    passed: false,
    findings: 0,
    problems: [],
    fixRequested: false,
  };
  unit.reviews = [...(unit.reviews ?? []), record];
  await landing(ctx.input, ctx.host, `branch for reviewer ${built.unit} (r${round}a${attempt})`).createBranchAt({
    ...ctx.repoRef,
    name: branch,
    from: built.head,
  });
  const spec = plan.units.find((u) => u.id === built.unit)!;
  const rolePlan = await shared(ctx.input, `plan reviewer for ${built.unit} (r${round}a${attempt})`).planHarnessRole({
    role: 'reviewer',
    dir: settings.roleDir,
    projectRoot: input.projectRoot,
    childRunId: childId,
    repo: input.repo,
    branch,
    vars: {
      harness_marker: reviewerMarker(built.unit, round, attempt),
      harness_unit_id: built.unit,
      harness_unit: unitBrief(spec),
      harness_shared: sharedBrief(plan),
      harness_base: base,
      harness_check: checkLine(plan),
    },
    settings: settings.role,
    layers: input.layers,
  });
  record.childStatus = 'running';
  ctx.record();
  const outcome = await runChild(childId, childInput(input, childId, rolePlan, branch, budget));
  state.settle(childId, outcome.costUsd);
  Object.assign(record, { childStatus: outcome.status, costUsd: outcome.costUsd });
  unit.costUsd += outcome.costUsd;
  const gate = await shared(ctx.input, `review gate on ${built.unit} (r${round}a${attempt})`).gateReviewBranch({
    repo: input.repo,
    branch,
    unit: built.unit,
    round,
    attempt,
    minScore: settings.minScore,
    runDir: input.runDir,
  });
  const v = gate.verdict;
  Object.assign(record, {
    score: v.score,
    passed: v.passed,
    findings: v.findings.length,
    problems: v.problems,
    reviewPath: gate.reviewPath,
  });
  if (!v.passed && v.score !== null) unit.feedback = reviewFeedback(v, settings.minScore);
  return record;
}
