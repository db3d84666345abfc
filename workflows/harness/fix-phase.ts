// FIX: one fixer child per unit with measured failures (smoke errors or failing criteria, quoted
// verbatim with evidence and fix hints), in parallel, each on its own branch from the landed head.
// Then each branch is checked (a unit's fixer keeps to what the unit owns) and landed one by one.
import { CancellationScope } from '@temporalio/workflow';
import { fixerBranch, fixerChildId } from '../../core/harness/ids.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { ownershipMap, sharedBrief, unitBrief } from '../../core/harness/plan-views.js';
import type { FixRecord } from '../../core/harness/types.js';
import { describeViolation, ownershipRules, type RuledViolation } from '../../core/harness/ownership-rules.js';
import { carriedNote } from './build-phase.js';
import { landingExtras } from './land-phase.js';
import { fixerVars } from '../../core/harness/verdict.js';
import { INTEGRATION } from '../../core/harness/verdict-owners.js';
import { childInput, runChild } from './children.js';
import type { HarnessContext } from './context.js';
import { qualityLanding, qualityShared } from './quality-activities.js';

export interface FixTask {
  unit: string;
  cause: FixRecord['cause'];
  /** formatSmokeFailures(...) or formatCriterionFailures(...). */
  failures: string;
}

export async function fixPhase(ctx: HarnessContext, plan: HarnessPlan, round: number, tasks: FixTask[]): Promise<void> {
  if (tasks.length === 0) return;
  const ports = await qualityShared(ctx.input, `app ports for ${tasks.length} fixer(s)`).allocateAppPorts({
    count: tasks.length,
  });
  const base = ctx.head;
  const fixed = await CancellationScope.cancellable(() =>
    Promise.all(tasks.map((t, i) => fixOne(ctx, plan, round, t, ports[i]!, base, tasks.length - i))),
  );
  // Landing is sequential: each merge goes onto the head the previous one pushed.
  for (const f of fixed) if (f.head) await landFix(ctx, plan, f.record, f.head, base);
  ctx.record();
}

function brief(plan: HarnessPlan, unit: string): string {
  const spec = plan.units.find((u) => u.id === unit);
  const own = spec
    ? unitBrief(spec)
    : 'No unit owns these failures: fix them where they are with the smallest change, keeping every unit’s symbols.';
  return `${own}\n\n${sharedBrief(plan)}`;
}

async function fixOne(
  ctx: HarnessContext,
  plan: HarnessPlan,
  round: number,
  task: FixTask,
  port: number,
  base: string,
  waiting: number,
): Promise<{ record: FixRecord; head?: string }> {
  const { input, state } = ctx;
  const q = input.quality!;
  const childId = fixerChildId(input.runId, task.unit, round);
  const branch = fixerBranch(input.branch, task.unit, round);
  const record: FixRecord = {
    round,
    unit: task.unit,
    childId,
    branch,
    cause: task.cause,
    childStatus: 'starting',
    costUsd: 0,
    landed: false,
  };
  const previous = state.view.quality!.fixes.filter((f) => f.unit === task.unit && !f.landed && f.base).at(-1);
  state.view.quality!.fixes.push(record);
  const budget = state.reserve(childId, q.roles.fixer.maxBudgetUsd, waiting);
  if (budget === 0) {
    state.view.budgetExhausted = true;
    record.childStatus = 'not_started';
    record.detail = 'the budget is spent';
    return { record };
  }
  record.base = base;
  const start = await qualityLanding(
    ctx.input,
    ctx.host,
    `branch for fixer ${task.unit} round ${round}`,
  ).createBranchAt({
    ...ctx.repoRef,
    name: branch,
    from: base,
    ...(previous ? { carry: { branch: previous.branch, base: previous.base! } } : {}),
  });
  const rolePlan = await qualityShared(ctx.input, `plan fixer ${task.unit} round ${round}`).planHarnessRole({
    role: 'fixer',
    dir: q.roleDirs.fixer,
    projectRoot: input.projectRoot,
    childRunId: childId,
    repo: input.repo,
    branch,
    vars: fixerVars({
      unit: task.unit,
      round,
      brief: brief(plan, task.unit),
      failures: previous?.detail
        ? `${task.failures}\n\nYour previous fix (round ${previous.round}) did not land: ${previous.detail}`
        : task.failures,
      carried: carriedNote(start, previous?.branch),
      port,
      app: { install: plan.app.install ?? '', start: plan.app.start ?? '' },
    }),
    settings: q.roles.fixer,
    layers: input.layers,
  });
  record.childStatus = 'running';
  ctx.record();
  const outcome = await runChild(childId, childInput(input, childId, rolePlan, branch, budget, q.browserImage));
  state.settle(childId, outcome.costUsd);
  Object.assign(record, { childStatus: outcome.status, costUsd: outcome.costUsd });
  if (outcome.status !== 'completed') {
    record.detail = outcome.error ?? outcome.status;
    return { record };
  }
  const fetched = await qualityLanding(ctx.input, ctx.host, `fetch fixer ${task.unit} round ${round}`).fetchUnitBranch({
    ...ctx.repoRef,
    unitBranch: branch,
    base,
  });
  if (fetched.empty) {
    record.detail = 'the fixer changed nothing';
    return { record };
  }
  return { record, head: fetched.head };
}

async function landFix(ctx: HarnessContext, plan: HarnessPlan, record: FixRecord, head: string, base: string) {
  const host = (what: string) =>
    qualityLanding(ctx.input, ctx.host, `${what} fixer ${record.unit} round ${record.round}`);
  if (record.unit !== INTEGRATION) {
    const owned = await host('ownership check of').checkBranchOwnership({
      repoDir: ctx.repoDir,
      base,
      branch: head,
      owner: record.unit,
      owners: ownershipMap(plan),
      rules: ownershipRules(plan),
    });
    if (!owned.ok) {
      const lines = owned.violations.map((v) => `- ${describeViolation(v as RuledViolation)}`);
      record.detail = `it changed code outside ${record.unit}:\n${lines.join('\n')}`;
      return;
    }
  }
  await host('sync before landing').syncIntegration(ctx.repoRef);
  const merged = await host('land').mergeBranches({
    repoDir: ctx.repoDir,
    target: ctx.input.branch,
    source: head,
    message: `dkmv harness: land fix of ${record.unit} (${record.branch})`,
    ...landingExtras(ctx, plan, record.unit),
  });
  if (merged.status === 'conflicts' || merged.unparsable.length > 0) {
    record.detail =
      merged.status === 'conflicts'
        ? `conflicted: ${merged.conflicts.map((c) => c.file).join(', ')}`
        : `no longer parses: ${merged.unparsable.join(', ')}`;
    return;
  }
  if (merged.status === 'merged' && merged.commit) {
    const pushed = await host('push').pushIntegration({ ...ctx.repoRef, expect: merged.commit });
    ctx.head = pushed.head;
    ctx.state.view.integrationHead = pushed.head;
    record.commit = merged.commit; // the unit's landing is now this commit, not its generator's
  }
  record.landed = true;
}
