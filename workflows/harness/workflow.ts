// harnessWorkflow: one prompt → a built integration branch, with no orchestrator model. Pure
// orchestration; every role is a componentWorkflow child running a one-task role component.
//   PLAN (planner child, Gate 1 in code, ≤3 attempts) → [--review-plan pause] → BUILD (a generator
//   child per unit, in parallel, ownership checked) ⇄ LAND (structural merge, one unit at a time;
//   conflicts go back to BUILD on the new head, ≤3 attempts per unit, then blocked) → [quality loop:
//   SMOKE → EVAL → FIX rounds / one REPLAN, quality-loop.ts] → SHIP.
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  isCancellation,
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Decision } from '../../core/engine/run-types.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { renderReport } from '../../core/harness/report.js';
import type { HarnessInput, HarnessView } from '../../core/harness/types.js';
import { DkmvBranch, DkmvComponent, DkmvRepo, DkmvRunKind } from '../../core/temporal/search-attributes.js';
import { installDecisionHandlers } from '../component/decision-handlers.js';
import { landing, shared } from './activities.js';
import { buildUnits, type BuildResult } from './build-phase.js';
import type { HarnessContext } from './context.js';
import { landUnits } from './land-phase.js';
import { regenerateLockfiles } from './lockfiles-phase.js';
import { planPhase, PlanRejected } from './plan-phase.js';
import { qualityLoop } from './quality-loop.js';
import { HarnessState } from './state.js';
import { LEDGER_PATCH, obtainGrant, settleGrant } from '../ledger/run-grant.js';
import { harnessFacts } from '../../core/notify/facts.js';
import { Notifier } from '../notify/notifier.js';

/** Same query name as component runs (`status`), answering the harness view. */
export const harnessStatusQuery = defineQuery<HarnessView>('status');

const REVIEW_QUESTION = {
  id: 'plan',
  question: 'Gate 1 accepted the plan (docs/harness/plan.md in the run folder). Build it?',
  options: ['build', 'abort'],
  default: 'build',
};

export async function harnessWorkflow(input: HarnessInput): Promise<HarnessView> {
  const state = new HarnessState(input);
  const inbox: { decision?: Decision } = {};
  installDecisionHandlers(state, harnessStatusQuery, inbox);
  // The CLI sets DkmvRunKind at start; a run started another way gets it here. Older histories
  // have no marker and replay the upsert without it.
  const kind = patched('harness-run-kind') ? [{ key: DkmvRunKind, value: 'harness' }] : [];
  upsertSearchAttributes([
    ...kind,
    { key: DkmvComponent, value: 'harness' },
    { key: DkmvBranch, value: input.branch },
    { key: DkmvRepo, value: input.repo },
  ]);
  state.setStatus('running');
  let ctx: HarnessContext | undefined;
  let cancellation: unknown;
  // The project's daily ceiling: one grant for the whole child tree (children do not ask again).
  const ledger = input.ledger && patched(LEDGER_PATCH) ? input.ledger : undefined;
  const notifier = Notifier.for(input.notify, () => (state.view.notifications ??= []));
  try {
    if (ledger) {
      const granted = await obtainGrant(
        ledger,
        { runId: input.runId, component: 'harness', branch: input.branch },
        (a) =>
          setCurrentDetails(
            `**harness** waiting for the daily budget: $${a.availableUsd.toFixed(2)} of $${a.ceilingUsd.toFixed(2)} left on ${a.day}.`,
          ),
      );
      input.maxBudgetUsd = Math.min(input.maxBudgetUsd ?? granted, granted);
      state.view.maxBudgetUsd = input.maxBudgetUsd;
    }
    ctx = await open(input, state);
    await run(ctx, inbox, notifier);
  } catch (err) {
    if (isCancellation(err)) {
      cancellation = err;
      state.setStatus('cancelled', 'cancelled');
    } else state.setStatus('failed', err instanceof PlanRejected ? err.message : failureMessage(err));
  } finally {
    await CancellationScope.nonCancellable(async () => {
      await Promise.all([cleanUp(input, state, ctx?.host), notifier?.send(harnessFacts(state.view))]);
      if (ledger) await settleGrant(ledger, input.runId, state.view.costUsd);
    });
  }
  if (cancellation) throw cancellation;
  const view = state.snapshot();
  // unverified: the run ended as designed (branch kept, no PR); its status says the app never passed smoke.
  if (view.status === 'completed' || view.status === 'unverified') return view;
  throw ApplicationFailure.create({
    message: view.error ?? view.status,
    type: view.status === 'cancelled' ? 'RunAborted' : 'RunFailed',
    nonRetryable: true,
    details: [view],
  });
}

async function open(input: HarnessInput, state: HarnessState): Promise<HarnessContext> {
  const opened = await shared(input, `open integration branch ${input.branch}`).openIntegration({
    runId: input.runId,
    repo: input.repo,
    branch: input.branch,
  });
  state.view.baseSha = opened.head;
  state.view.integrationHead = opened.head;
  const ctx: HarnessContext = {
    input,
    state,
    host: opened.hostTaskQueue,
    repoDir: opened.repoDir,
    head: opened.head,
    repoRef: { runId: input.runId, repo: input.repo, branch: input.branch },
    record: () => {
      state.memo();
      void shared(input, `record harness (${state.view.phase})`)
        .writeHarnessRecord({ runDir: input.runDir, view: state.snapshot() })
        .catch(() => undefined);
    },
  };
  return ctx;
}

async function run(ctx: HarnessContext, inbox: { decision?: Decision }, notifier?: Notifier): Promise<void> {
  const { input, state } = ctx;
  // ---- PLAN ----
  state.setPhase('plan');
  const plan: HarnessPlan = input.resume ? input.resume.plan : await planPhase(ctx);
  state.view.units = plan.units.map((u) => ({
    id: u.id,
    title: u.title,
    status: input.resume?.landed.includes(u.id) ? 'landed' : 'pending',
    attempts: [],
    costUsd: 0,
  }));
  if (!input.resume) {
    if (input.reviewPlan && !(await reviewPlan(ctx, inbox, notifier))) return;
    const committed = await landing(ctx.input, ctx.host, `commit plan to ${input.branch}`).commitPlan({
      ...ctx.repoRef,
      plan,
    });
    ctx.head = committed.head;
    state.view.integrationHead = committed.head;
  }
  ctx.record();

  // ---- BUILD ⇄ LAND ----
  await buildAndLand(ctx, plan, 1);

  const landed = state.view.units.filter((u) => u.status === 'landed' || u.status === 'empty');
  // ---- SMOKE → EVAL → FIX / REPLAN → SHIP (runs that ask for it; older histories never check the patch) ----
  if (input.quality && landed.length > 0 && patched('harness-quality-loop')) {
    await qualityLoop(ctx, plan, (p, round) => buildAndLand(ctx, p, round));
    return;
  }

  // ---- SHIP ----
  state.setPhase('ship');
  if (landed.length === 0) throw new Error('no unit landed; nothing to ship');
  await regenerateLockfiles(ctx, plan);
  state.setStatus('completed');
  state.view.phase = 'done';
  const report = await landing(ctx.input, ctx.host, `commit report to ${input.branch}`).commitToIntegration({
    ...ctx.repoRef,
    files: { 'docs/harness/report.md': renderReport(state.view) },
    message: 'dkmv harness: report',
  });
  ctx.head = report.head;
  state.view.integrationHead = report.head;
}

/** BUILD the pending units, LAND what was built, and go again for what did not land. */
async function buildAndLand(ctx: HarnessContext, plan: HarnessPlan, round: number): Promise<void> {
  const { state, input } = ctx;
  const maxAttempts = input.maxUnitAttempts ?? 3;
  let pending = state.view.units.filter((u) => u.status === 'pending').map((u) => u.id);
  while (pending.length > 0) {
    state.setPhase('build');
    const built = await buildUnits(ctx, plan, pending, round);
    ctx.record();
    state.setPhase('land');
    const toLand = built.filter((b): b is Extract<BuildResult, { kind: 'built' }> => b.kind === 'built');
    const landed = await landUnits(ctx, plan, toLand);
    const again = [
      ...built.filter((b): b is Extract<BuildResult, { kind: 'retry' }> => b.kind === 'retry'),
      ...landed.filter((l): l is Extract<typeof l, { landed: false }> => !l.landed),
    ];
    pending = [];
    for (const r of again) {
      const unit = state.unit(r.unit);
      unit.feedback = r.feedback;
      // Review-fix attempts are the review gate's, not failures: they do not count towards blocking.
      const counted = unit.attempts.filter((a) => !a.reviewFix).length;
      if (counted >= maxAttempts && !lastChance(r, counted, maxAttempts)) {
        unit.status = 'blocked';
      } else {
        unit.status = 'pending';
        pending.push(r.unit);
      }
    }
    if (state.view.budgetExhausted) {
      for (const id of pending) state.unit(id).status = 'not_dispatched';
      pending = [];
    }
    ctx.record();
  }
}

/**
 * An ownership rejection on the last attempt gets one more: the retry starts from that attempt's
 * commits and only has to remove what the feedback lists, so blocking the unit would throw away work
 * for a few lines.
 */
function lastChance(r: { feedback: string; ownership?: true }, attempts: number, maxAttempts: number): boolean {
  return r.ownership === true && attempts === maxAttempts && patched('harness-ownership-last-chance');
}

/** --review-plan: wait for `decide` (build or abort); no activity runs while waiting. */
async function reviewPlan(ctx: HarnessContext, inbox: { decision?: Decision }, notifier?: Notifier): Promise<boolean> {
  const { state } = ctx;
  state.setPhase('review');
  state.view.pending = { taskId: 'plan', questions: [REVIEW_QUESTION] };
  state.setStatus('awaiting_input');
  ctx.record();
  void notifier?.send(harnessFacts(state.view)); // not awaited: the wait starts at once
  await condition(() => inbox.decision !== undefined);
  const decision = inbox.decision!;
  inbox.decision = undefined;
  delete state.view.pending;
  const build = decision.action === 'continue' && (decision.answers?.plan ?? 'build') === 'build';
  if (!build) {
    state.setStatus('cancelled', 'aborted at plan review');
    return false;
  }
  state.setStatus('running');
  return true;
}

async function cleanUp(input: HarnessInput, state: HarnessState, host: string | undefined): Promise<void> {
  const report = state.shippedReport ?? renderReport(state.view);
  await Promise.all([
    shared(input, `record harness (${state.view.status})`)
      .writeHarnessRecord({ runDir: input.runDir, view: state.snapshot(), report })
      .catch(() => undefined),
    host
      ? landing(input, host, 'remove landing clone')
          .removeLandingRepo({ runId: input.runId })
          .catch(() => undefined)
      : Promise.resolve(),
  ]);
  state.memo();
}

function failureMessage(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause;
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}
