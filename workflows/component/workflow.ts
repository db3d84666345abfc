// componentWorkflow: one component run. One sandbox (container + clone of the branch) for the
// whole run; each task is rendered, run by the agent (or its `run:` script), its outputs checked,
// then committed and pushed. Fail fast, pause points answered by the `decide` signal, budgets.
import {
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  patched,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { findSlot, slotPausesAfter, type TaskSlot } from '../../core/component/plan-types.js';
import type { SandboxHandle } from '../../core/engine/activity-types.js';
import type { ComponentRunInput, Decision, RunStatusView } from '../../core/engine/run-types.js';
import { failureMessage, FailureType } from '../../core/failures/index.js';
import { writeRunMemo } from '../../core/temporal/payloads.js';
import { DkmvBranch, DkmvComponent, DkmvRepo, DkmvRunKind } from '../../core/temporal/search-attributes.js';
import { STATUS_QUERY } from '../../core/engine/workflow-names.js';
import { decideSignal, decideUpdate, installDecisionHandlers } from './decision-handlers.js';
import { cleaner, onHost, recorder } from './activities.js';
import { RunState } from './run-state.js';
import { TaskRunner, type TaskOutcome } from './task-runner.js';
import { deliverAnswers, waitForDecision } from './pause.js';
import { LEDGER_PATCH, obtainGrant, settleGrant } from '../ledger/run-grant.js';
import { componentFacts } from '../../core/notify/facts.js';
import { Notifier } from '../notify/notifier.js';

/** Runs recorded before DKMV's run records (lifecycle events, answer delivery) replay without them. */
const RECORDS_PATCH = 'dkmv-records';
/**
 * Runs recorded before later tasks saw the answered outputs (`tasks.<t>.outputs.<stem>` with each
 * question's `user_answer`, as the files hold them) render later tasks from the pre-answer values.
 */
const ANSWERED_OUTPUTS_PATCH = 'answered-outputs';
/** Runs recorded before deliverables were checked at the end (only runs with deliverables ask). */
const DELIVERABLES_PATCH = 'deliverables-check';

export const statusQuery = defineQuery<RunStatusView>(STATUS_QUERY);
export { decideSignal, decideUpdate };

export async function componentWorkflow(input: ComponentRunInput): Promise<RunStatusView> {
  const state = new RunState(input);
  const inbox: { decision?: Decision } = {};
  installDecisionHandlers(state, statusQuery, inbox);
  upsertSearchAttributes([
    { key: DkmvRunKind, value: 'component' },
    { key: DkmvComponent, value: input.plan.component.name },
    { key: DkmvBranch, value: input.branch },
    { key: DkmvRepo, value: input.repo },
  ]);
  state.setStatus('running');
  const runner = new TaskRunner(input, state);
  let cancellation: unknown;
  // The project's daily ceiling (budget ledger): asked only by runs that carry one, so histories
  // recorded before the ledger replay unchanged.
  const ledger = input.ledger && patched(LEDGER_PATCH) ? input.ledger : undefined;
  // Webhooks named for this run hear of its pause points and its end (never failing or holding it).
  const notifier = Notifier.for(input.notify, () => (state.view.notifications ??= []));
  try {
    if (ledger) await takeGrant(input, state);
    const allRan = await runTasks(input, state, runner, inbox, notifier);
    if (allRan && state.view.status === 'running') await checkDeliverables(input, state, runner);
    if (state.view.status === 'running') state.setStatus('completed');
  } catch (err) {
    if (isCancellation(err)) {
      cancellation = err;
      state.skipPending();
      for (const t of state.view.tasks) if (t.status === 'running') state.setTaskStatus(t.id, 'failed', 'cancelled');
      state.setStatus('cancelled');
    } else {
      state.skipPending();
      state.setStatus('failed', failureMessage(err));
    }
  } finally {
    await CancellationScope.nonCancellable(async () => {
      const ending = notifier?.send(componentFacts(state.view));
      await cleanUp(input, state, runner.sandbox, ending);
      if (ledger) await settleGrant(ledger, input.runId, state.view.costUsd);
    });
  }
  if (cancellation) throw cancellation; // Temporal records the run as cancelled
  return finish(state);
}

/** Before anything is spent: the ledger's grant becomes the run's cap (waits or fails per config). */
async function takeGrant(input: ComponentRunInput, state: RunState): Promise<void> {
  const ledger = input.ledger!;
  const first = input.plan.tasks[0];
  const granted = await obtainGrant(
    ledger,
    { runId: input.runId, component: input.plan.component.name, branch: input.branch },
    (a) => {
      if (first)
        state.setPhase(
          first.id,
          `waiting for the daily budget ($${a.availableUsd.toFixed(2)} of $${a.ceilingUsd.toFixed(2)} left on ${a.day})`,
        );
    },
  );
  input.maxBudgetUsd = Math.min(input.maxBudgetUsd ?? granted, granted);
  state.view.maxBudgetUsd = input.maxBudgetUsd;
}

/** Runs the tasks; true when every task ran (no failure, abort or skip_remaining stopped the run). */
async function runTasks(
  input: ComponentRunInput,
  state: RunState,
  runner: TaskRunner,
  inbox: { decision?: Decision },
  notifier?: Notifier,
): Promise<boolean> {
  const start = startIndex(input);
  await runner.openSandbox();
  for (const slot of input.plan.tasks) {
    if (slot.index < start) {
      await runner.readPreexisting(slot);
      continue;
    }
    if (patched(RECORDS_PATCH)) {
      state.setTaskStatus(slot.id, 'running'); // so `task_start` is recorded before the agent's events
      recordProgress(input, state, runner);
    }
    const outcome: TaskOutcome = await runner.run(slot);
    recordProgress(input, state, runner);
    if (outcome.failed) {
      state.skipPending();
      state.setStatus(outcome.timedOut ? 'timed_out' : 'failed', `task ${slot.name}: ${outcome.error ?? 'failed'}`);
      return false;
    }
    if (!pausesAfter(input, slot, outcome)) continue;
    const decision = await waitForDecision(state, slot.id, outcome.questions, inbox, () => {
      if (patched(RECORDS_PATCH)) recordProgress(input, state, runner);
      void notifier?.send(componentFacts(state.view)); // not awaited: the wait starts at once
    });
    runner.recordAnswers(slot.id, decision.answers);
    if (runner.sandbox && patched(RECORDS_PATCH)) {
      const merged = await deliverAnswers(
        runner.ref,
        runner.host,
        runner.sandbox,
        { id: slot.id, name: slot.name },
        outcome.outputs ?? [],
        decision,
      );
      if (patched(ANSWERED_OUTPUTS_PATCH))
        runner.answerOutputs(slot.id, outcome.outputs ?? [], merged, decision.answers);
    }
    if (decision.action === 'continue') continue;
    state.skipPending();
    if (decision.action === 'abort') state.setStatus('cancelled', `aborted at pause after ${slot.name}`);
    return false;
  }
  return true;
}

/**
 * The component's deliverables must exist once the last task is done: a missing required one fails
 * the run, missing optional ones are only reported. `patched` is asked only when there are
 * deliverables, so histories of runs without any (all recorded ones) replay unchanged.
 */
async function checkDeliverables(input: ComponentRunInput, state: RunState, runner: TaskRunner): Promise<void> {
  const deliverables = input.plan.manifest.deliverables as
    ComponentRunInput['plan']['manifest']['deliverables'] | undefined;
  if (!deliverables?.length || !runner.sandbox || !patched(DELIVERABLES_PATCH)) return;
  const report = await onHost(runner.host, 'check deliverables').checkDeliverables({
    sandbox: runner.sandbox,
    deliverables,
  });
  state.view.deliverables = report;
  const required = report.missing.filter((d) => d.required).map((d) => d.path);
  if (required.length) {
    const list = required.join(', ');
    state.setStatus(
      'failed',
      `${required.length === 1 ? 'deliverable' : 'deliverables'} ${list} ${required.length === 1 ? 'was' : 'were'} not produced by any task`,
    );
  }
}

function pausesAfter(input: ComponentRunInput, slot: TaskSlot, outcome: TaskOutcome): boolean {
  return !input.auto && (outcome.pauseAfter ?? slotPausesAfter(slot));
}

/** Index of the first task to run: `--start-task` (the CLI passes the slot id) found as the CLI finds it. */
function startIndex(input: ComponentRunInput): number {
  const ref = input.startTask;
  if (ref === undefined || ref === '') return 0;
  try {
    return findSlot(input.plan, ref).index;
  } catch {
    throw ApplicationFailure.nonRetryable(`--start-task ${ref}: no such task`, FailureType.TaskInvalid);
  }
}

/** Memo and run folder mirror the state, so `dkmv show` works without a worker. */
function recordProgress(input: ComponentRunInput, state: RunState, runner: TaskRunner): void {
  upsertMemo(writeRunMemo(state.view));
  void recorder(
    runner.sandbox ? runner.host : undefined,
    input.heartbeatTimeoutSeconds,
    `record progress (${state.view.status})`,
  )
    .writeRunRecord({ runDir: input.runDir, view: state.snapshot(), final: false, events: state.takeEvents() })
    .catch(() => undefined);
}

async function cleanUp(
  input: ComponentRunInput,
  state: RunState,
  sandbox: SandboxHandle | undefined,
  /** The end notification: the final record waits for it, so it lists how it went. */
  ending?: Promise<void>,
): Promise<void> {
  if (sandbox && input.keepAlive) state.view.containerName = sandbox.containerName;
  const destroy = async () => {
    if (sandbox && !input.keepAlive) {
      await cleaner(
        {
          hostTaskQueue: sandbox.hostTaskQueue,
          ...(input.hostStartTimeoutSeconds ? { hostStartTimeoutSeconds: input.hostStartTimeoutSeconds } : {}),
          ...(input.heartbeatTimeoutSeconds ? { heartbeatTimeoutSeconds: input.heartbeatTimeoutSeconds } : {}),
        },
        `remove sandbox ${sandbox.containerName}`,
      )
        .destroySandbox(sandbox, false)
        .catch(() => undefined);
    }
  };
  const record = async () => {
    await ending;
    upsertMemo(writeRunMemo(state.view));
    const route = sandbox
      ? {
          hostTaskQueue: sandbox.hostTaskQueue,
          ...(input.hostStartTimeoutSeconds ? { hostStartTimeoutSeconds: input.hostStartTimeoutSeconds } : {}),
        }
      : undefined;
    await recorder(
      route,
      input.heartbeatTimeoutSeconds,
      `record run (${state.view.status}, $${state.view.costUsd.toFixed(4)})`,
    )
      .writeRunRecord({ runDir: input.runDir, view: state.snapshot(), final: true, events: state.takeEvents(true) })
      .catch(() => undefined);
  };
  // Runs started before this change removed the sandbox first, then wrote the record.
  if (patched('parallel-cleanup')) await Promise.all([destroy(), record()]);
  else {
    await destroy();
    await record();
  }
}

/** Completed runs return their status; failed, timed-out and cancelled runs close as such in Temporal. */
function finish(state: RunState): RunStatusView {
  const view = state.snapshot();
  if (view.status === 'completed') return view;
  const type =
    view.status === 'timed_out'
      ? FailureType.RunTimedOut
      : view.status === 'cancelled'
        ? FailureType.RunAborted
        : FailureType.RunFailed;
  throw ApplicationFailure.create({ message: view.error ?? view.status, type, nonRetryable: true, details: [view] });
}
