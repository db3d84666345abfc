// BUILD: one generator child per pending unit, from the current integration head, at most
// `maxParallel` at a time (a sliding window). After each child: empty result (soft success), or the
// ownership check against the plan; a violation costs the attempt and is fed back verbatim.
import { CancellationScope } from '@temporalio/workflow';
import { checkLine } from '../../core/harness/check-contract.js';
import { generatorChildId, unitBranch } from '../../core/harness/ids.js';
import { generatorMarker } from '../../core/harness/markers.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { ownershipMap, sharedBrief, unitBrief } from '../../core/harness/plan-views.js';
import type { AttemptRecord } from '../../core/harness/types.js';
import { describeViolation, ownershipRules, type RuledViolation } from '../../core/harness/ownership-rules.js';
import type { CarryResult } from '../../activities/harness/carry-branch.js';
import { landing, shared } from './activities.js';
import { childInput, runChild } from './children.js';
import type { HarnessContext } from './context.js';
import { reviewGate } from './review-phase.js';

/** What one attempt produced: a branch to land, nothing to land, or a reason to try again. */
export type BuildResult =
  | { unit: string; kind: 'built'; branch: string; head: string }
  | { unit: string; kind: 'empty' }
  | { unit: string; kind: 'retry'; feedback: string; ownership?: true }
  | { unit: string; kind: 'not_dispatched' };

/** Runs `fn` over `items`, at most `limit` at once, in item order as slots free up. */
async function windowed<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index]!, index);
    }
  });
  const settled = await Promise.allSettled(lanes);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason; // only cancellation or a broken activity gets here
}

export async function buildUnits(
  ctx: HarnessContext,
  plan: HarnessPlan,
  units: readonly string[],
  round: number,
): Promise<BuildResult[]> {
  const results: BuildResult[] = [];
  const base = ctx.head;
  await CancellationScope.cancellable(() =>
    windowed(units, ctx.input.maxParallel, async (unit, index) => {
      const waiting = units.length - index;
      const built = await buildOne(ctx, plan, unit, round, base, waiting);
      // REVIEW in the same lane: a review-fix attempt builds on top of the reviewed head.
      results.push(await reviewGate(ctx, plan, built, base, (from) => buildOne(ctx, plan, unit, round, base, 1, from)));
    }),
  );
  return results;
}

async function buildOne(
  ctx: HarnessContext,
  plan: HarnessPlan,
  unitId: string,
  round: number,
  base: string,
  waiting: number,
  /** A review-fix attempt starts from the reviewed head instead of the base. */
  from?: string,
): Promise<BuildResult> {
  const { input, state } = ctx;
  const unit = state.unit(unitId);
  const attempt = unit.attempts.length + 1;
  const childId = generatorChildId(input.runId, unitId, round, attempt);
  const branch = unitBranch(input.branch, unitId, round, attempt);
  const budget = state.reserve(childId, input.roles.generator.maxBudgetUsd, waiting);
  if (budget === 0) {
    state.view.budgetExhausted = true;
    unit.status = 'not_dispatched';
    return { unit: unitId, kind: 'not_dispatched' };
  }
  const previous = unit.attempts.at(-1);
  const record: AttemptRecord = {
    round,
    attempt,
    childId,
    branch,
    base,
    childStatus: 'starting',
    costUsd: 0,
    turns: 0,
  };
  if (from) record.reviewFix = true;
  unit.attempts.push(record);
  unit.status = 'building';
  const carry = previous?.base ? { branch: previous.branch, base: previous.base } : undefined;
  const start = await landing(ctx.input, ctx.host, `branch ${branch} for ${unitId}`).createBranchAt({
    ...ctx.repoRef,
    name: branch,
    // a review-fix attempt starts on the reviewed head itself; a retry carries the previous attempt's commits
    from: from ?? base,
    ...(carry && !from ? { carry } : {}),
  });
  if (start && start.carried !== 'none') record.carried = start.carried;
  const spec = plan.units.find((u) => u.id === unitId)!;
  const image = generatorImage(ctx, plan);
  const rolePlan = await shared(
    ctx.input,
    `plan generator for ${unitId} (round ${round}, attempt ${attempt})`,
  ).planHarnessRole({
    role: 'generator',
    dir: input.roleDirs.generator,
    projectRoot: input.projectRoot,
    childRunId: childId,
    repo: input.repo,
    branch,
    vars: {
      harness_marker: generatorMarker(unitId, round, attempt),
      harness_unit: unitBrief(spec),
      harness_shared: sharedBrief(plan),
      harness_feedback: unit.feedback ?? '',
      harness_carried: carriedNote(start, previous?.branch),
      harness_app_install: plan.app.install ?? '',
      harness_app_start: plan.app.start ?? '',
      harness_design_md: input.designMd ?? '',
      harness_browser: image === input.image ? '' : 'yes',
      harness_check: checkLine(plan),
    },
    settings: input.roles.generator,
    layers: input.layers,
  });
  record.childStatus = 'running';
  ctx.record();
  const outcome = await runChild(childId, childInput(input, childId, rolePlan, branch, budget, image));
  state.settle(childId, outcome.costUsd);
  Object.assign(record, { childStatus: outcome.status, costUsd: outcome.costUsd, turns: outcome.turns });
  if (outcome.error) record.error = outcome.error;
  unit.costUsd += outcome.costUsd;
  if (outcome.status !== 'completed') {
    return retry(unitId, `Your previous attempt ended ${outcome.status}: ${outcome.error ?? 'no detail'}`);
  }
  const fetched = await landing(ctx.input, ctx.host, `fetch ${unitId} from ${branch}`).fetchUnitBranch({
    ...ctx.repoRef,
    unitBranch: branch,
    base,
  });
  if (fetched.empty) {
    record.empty = true;
    unit.status = 'empty';
    return { unit: unitId, kind: 'empty' };
  }
  const owned = await landing(ctx.input, ctx.host, `check ownership of ${unitId}`).checkBranchOwnership({
    repoDir: ctx.repoDir,
    base,
    branch: fetched.head,
    owner: unitId,
    owners: ownershipMap(plan),
    rules: ownershipRules(plan),
  });
  if (!owned.ok) {
    record.violations = owned.violations.map((v) => describeViolation(v as RuledViolation));
    return ownershipRetry(
      unitId,
      `Your previous attempt was not landed: it changed code outside your unit. Remove exactly these ` +
        `changes and keep the rest of your work (it is already on your branch):\n` +
        record.violations.map((v) => `- ${v}`).join('\n'),
    );
  }
  unit.status = 'built';
  return { unit: unitId, kind: 'built', branch, head: fetched.head };
}

/** A plan with a UI runs its generators in the browser image (when the run has one), so they can look. */
function generatorImage(ctx: HarnessContext, plan: HarnessPlan): string {
  const ui = plan.spec.design_direction !== undefined || Boolean(plan.spec.stack.frontend);
  return ui && ctx.input.quality?.browserImage ? ctx.input.quality.browserImage : ctx.input.image;
}

/** What the prompt says about the work a retry starts from (`createBranchAt` with `carry`). */
export function carriedNote(start: CarryResult | undefined, previousBranch: string | undefined): string {
  if (!start || start.carried === 'none') return '';
  const files = start.files.map((f) => `- ${f}`).join('\n');
  if (start.carried === 'conflicted') {
    return (
      `Your previous attempt's commits (branch ${previousBranch}) could not be merged onto the new ` +
      `integration head, so you start from that head. Read your earlier version with ` +
      `\`git show origin/${previousBranch}:<file>\` (git fetch first) and redo it on top of what landed. Files it changed:\n${files}`
    );
  }
  return `Your branch already holds your previous attempt's work (its commits are checked out). Files it changed:\n${files}\nKeep what is right; change only what the feedback below asks.`;
}

function ownershipRetry(unit: string, feedback: string): BuildResult {
  return { unit, kind: 'retry', feedback, ownership: true };
}

function retry(unit: string, feedback: string): BuildResult {
  return { unit, kind: 'retry', feedback };
}
