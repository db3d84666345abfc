// Runs one task slot through its phases: prepare (render, inputs, instructions) → agent or script
// → outputs (one corrective resume of the same session when they are missing) → commit and push.
// A lost container, or a lost host (its worker did not pick up work in time), is replaced by a new
// sandbox cloned from the pushed branch on any worker, and the task re-runs.
import { isCancellation, patched } from '@temporalio/workflow';
import type { TaskResults, TaskSlot } from '../../core/component/plan-types.js';
import type { PreparedTask, RunRef, SandboxHandle } from '../../core/engine/activity-types.js';
import { answeredOutputs } from '../../core/engine/answers.js';
import { taskBudget } from '../../core/engine/budget.js';
import {
  DEFAULT_HEARTBEAT_TIMEOUT_SECONDS,
  type ComponentRunInput,
  type OutputCheck,
  type Question,
  type TaskRunResult,
} from '../../core/engine/run-types.js';
import { failureMessage, isHostLost, isSandboxGone, lostWorkOf } from '../../core/failures/index.js';
import { cleaner, committer, onHost, runner, sandboxSetup, type HostRoute } from './activities.js';
import type { RunState } from './run-state.js';
import { commitSummary, taskRunSummary } from '../metadata/summaries.js';

export interface TaskOutcome {
  failed: boolean;
  timedOut?: boolean;
  error?: string;
  questions: Question[];
  pauseAfter?: boolean;
  /** Workspace paths of the task's outputs (where pause answers are merged). */
  outputs?: string[];
}

const MAX_SANDBOX_REPLACEMENTS = 2;
/**
 * Runs recorded before this change checked outputs and committed in two activities; since then one
 * activity (finishTask) does both when the outputs pass: one round trip less per task.
 */
const FINISH_PATCH = 'finish-task-one-trip';
/** Runs recorded before this change removed the container only in the run's clean-up, after the commit. */
const RELEASE_PATCH = 'release-container-early';

/** An output check, and whether the same activity already committed the task's work. */
type Finished = OutputCheck & { committed?: boolean };

export class TaskRunner {
  sandbox: SandboxHandle | undefined;
  private generation = 0;
  private readonly results: TaskResults = {};

  constructor(
    private readonly input: ComponentRunInput,
    private readonly state: RunState,
  ) {}

  get ref(): RunRef {
    // The plan goes only to prepareTask (it renders the task); other activities get this small ref.
    const { runId, runDir, repo, branch, modelUrl, contextPaths, agentGithubToken } = this.input;
    const ref: RunRef = { runId, runDir, repo, branch, contextPaths, ...(modelUrl ? { modelUrl } : {}) };
    return agentGithubToken ? { ...ref, agentGithubToken } : ref;
  }

  private get box(): SandboxHandle {
    if (!this.sandbox) throw new Error('no sandbox');
    return this.sandbox;
  }

  /** The current sandbox's host queue, with the run's bound on waiting for that host's worker. */
  get host(): HostRoute {
    const { hostStartTimeoutSeconds, heartbeatTimeoutSeconds } = this.input;
    return {
      hostTaskQueue: this.box.hostTaskQueue,
      ...(hostStartTimeoutSeconds ? { hostStartTimeoutSeconds } : {}),
      ...(heartbeatTimeoutSeconds ? { heartbeatTimeoutSeconds } : {}),
    };
  }

  async openSandbox(): Promise<void> {
    const { runId, repo, branch, image, memory, modelUrl, plan } = this.input;
    this.sandbox = await sandboxSetup(
      this.input.heartbeatTimeoutSeconds,
      `sandbox for ${plan.component.name}: clone ${branch}${this.generation ? ` (replacement ${this.generation})` : ''}`,
    ).createSandbox({
      runId,
      component: plan.component.name,
      repo,
      branch,
      image,
      memory,
      modelUrl: modelUrl ?? '',
      generation: this.generation,
    });
    this.state.view.containerName = this.sandbox.containerName;
  }

  private async replaceSandbox(hostLost: boolean): Promise<void> {
    const old = this.box;
    const route = this.host;
    if (hostLost) {
      // Nobody serves that host now: queue the removal there (it runs if the host comes back
      // while the run lasts) and go on without waiting for it.
      void cleaner(route, `remove lost sandbox ${old.containerName}`)
        .destroySandbox(old, false)
        .catch(() => undefined);
    } else {
      await onHost(route, `remove lost sandbox ${old.containerName}`)
        .destroySandbox(old, false)
        .catch(() => undefined);
    }
    this.generation += 1;
    await this.openSandbox();
  }

  async run(slot: TaskSlot): Promise<TaskOutcome> {
    this.state.setTaskStatus(slot.id, 'running');
    for (let replaced = 0; ; replaced++) {
      try {
        return await this.attempt(slot);
      } catch (err) {
        if (isCancellation(err)) throw err;
        if (isSandboxGone(err)) this.countLostWork(slot.id, err);
        if (isSandboxGone(err) && replaced < MAX_SANDBOX_REPLACEMENTS) {
          const hostLost = isHostLost(err);
          this.state.setPhase(
            slot.id,
            hostLost
              ? 'sandbox host lost: re-running in a new sandbox on another worker'
              : 'container lost: re-running in a new container',
          );
          await this.replaceSandbox(hostLost);
          continue;
        }
        return this.fail(slot, failureMessage(err), false);
      }
    }
  }

  /** What an agent spent before its container (or host) was lost still counts against the budget. */
  private countLostWork(taskId: string, err: unknown): void {
    const spent = lostWorkOf(err);
    if (spent) this.state.addCostQuietly(taskId, spent.costUsd, spent.turns);
  }

  private fail(slot: TaskSlot, error: string, timedOut: boolean): TaskOutcome {
    this.state.setTaskStatus(slot.id, timedOut ? 'timed_out' : 'failed', error);
    this.results[slot.id] = { status: timedOut ? 'timed_out' : 'failed', cost: 0, turns: 0, outputs: {} };
    return { failed: true, timedOut, error, questions: [] };
  }

  private async attempt(slot: TaskSlot): Promise<TaskOutcome> {
    const host = onHost(this.host, `prepare task ${slot.name} (render, inputs, instructions)`);
    this.state.setPhase(slot.id, 'preparing');
    const budgetUsd = taskBudget(undefined, this.input.maxBudgetUsd, this.state.view.costUsd);
    const task = await host.prepareTask({
      run: this.ref,
      plan: this.input.plan,
      sandbox: this.box,
      slotId: slot.id,
      results: this.results,
      ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    });
    if (task.budgetUsd !== undefined && task.budgetUsd <= 0) {
      return this.fail(slot, `the run budget ($${this.input.maxBudgetUsd}) is spent`, false);
    }
    const result = await this.execute(task);
    if (result.status !== 'completed') {
      await this.commit(task, `dkmv: ${task.name} (${result.status}, partial work)`, []);
      return this.fail(slot, result.error ?? result.status, result.status === 'timed_out');
    }
    const check = await this.outputs(task, result, this.lastUseOfContainer(slot, task));
    if (!check.ok) return this.fail(slot, `outputs: ${check.problems.join('; ')}`, false);
    if (!check.committed) await this.commit(task, `dkmv: ${task.name}`, check.saved);
    return this.complete(slot, task, check);
  }

  private async execute(task: PreparedTask, resume?: { sessionId: string; prompt: string }): Promise<TaskRunResult> {
    this.state.setPhase(task.slotId, task.kind === 'run' ? 'running script' : `agent (${task.agent}, ${task.model})`);
    const summary = taskRunSummary(task, resume !== undefined);
    const acts = runner(
      this.host,
      task,
      this.input.heartbeatTimeoutSeconds ?? DEFAULT_HEARTBEAT_TIMEOUT_SECONDS,
      summary,
    );
    const args = { run: this.ref, sandbox: this.box, task, ...(resume ? { resume } : {}) };
    const result = task.kind === 'run' ? await acts.runScriptTask(args) : await acts.runAgentTask(args);
    this.state.addCost(task.slotId, result.costUsd, result.turns);
    if (result.sessionId) this.state.task(task.slotId).sessionId = result.sessionId;
    return result;
  }

  /**
   * Validates outputs (committing at once when they pass, see FINISH_PATCH); if some are missing,
   * resumes the same agent session once to fix them.
   */
  private async outputs(task: PreparedTask, result: TaskRunResult, release: boolean): Promise<Finished> {
    const check = await this.check(task, release);
    if (check.ok || task.kind === 'run' || !result.sessionId) return check;
    // The fix is paid from what the task's budget has left after its first run.
    const left = task.budgetUsd === undefined ? undefined : task.budgetUsd - result.costUsd;
    if (left !== undefined && left <= 0) return check;
    const prompt = correctivePrompt(check.problems);
    const fixed = await this.execute(left === undefined ? task : { ...task, budgetUsd: left }, {
      sessionId: result.sessionId,
      prompt,
    });
    if (fixed.status !== 'completed') return check;
    return await this.check(task, release);
  }

  /**
   * True for the run's last task when nothing can need its container afterwards (no pause, so no
   * answers delivered into it; not kept for `dkmv attach`): finishTask then removes it while git
   * commits and pushes, instead of in the clean-up after.
   */
  private lastUseOfContainer(slot: TaskSlot, task: PreparedTask): boolean {
    const tasks = this.input.plan.tasks;
    const last = tasks[tasks.length - 1]?.id === slot.id;
    const pauses = !this.input.auto && task.pauseAfter;
    return last && !pauses && !this.input.keepAlive && patched(RELEASE_PATCH);
  }

  private async check(task: PreparedTask, release = false): Promise<Finished> {
    const args = { run: this.ref, sandbox: this.box, task, save: true };
    if (!patched(FINISH_PATCH)) {
      this.state.setPhase(task.slotId, 'checking outputs');
      return await onHost(this.host, `check outputs of ${task.name}`).checkOutputs(args);
    }
    this.state.setPhase(task.slotId, task.commit ? 'checking outputs, then commit' : 'checking outputs');
    const summary = `check outputs of ${task.name}${task.commit ? `, then ${commitSummary(task, this.input.branch)}` : ''}`;
    const done = await committer(this.host, summary).finishTask({
      ...args,
      message: `dkmv: ${task.name}`,
      ...(release ? { releaseContainer: true } : {}),
    });
    return { ...done.check, committed: done.commit !== undefined };
  }

  private async commit(task: PreparedTask, message: string, forceAdd: string[]): Promise<void> {
    if (!task.commit) return;
    this.state.setPhase(task.slotId, task.push ? 'commit and push' : 'commit');
    await committer(this.host, commitSummary(task, this.input.branch)).commitTask({
      run: this.ref,
      sandbox: this.box,
      task,
      message,
      forceAdd,
    });
  }

  private complete(slot: TaskSlot, task: PreparedTask, check: OutputCheck): TaskOutcome {
    const state = this.state.task(slot.id);
    this.results[slot.id] = { status: 'completed', cost: state.costUsd, turns: state.turns, outputs: check.outputs };
    state.savedOutputs = check.saved;
    this.state.setTaskStatus(slot.id, 'completed');
    const outputs = task.outputs.map((o) => o.workspace_path);
    return { failed: false, questions: check.questions, pauseAfter: task.pauseAfter, outputs };
  }

  /** `--start-task`: earlier tasks are `pre-existing`; their outputs are read from the branch. */
  async readPreexisting(slot: TaskSlot): Promise<void> {
    const host = onHost(this.host, `read outputs of ${slot.name} (pre-existing)`);
    const task = await host.prepareTask({
      run: this.ref,
      plan: this.input.plan,
      sandbox: this.box,
      slotId: slot.id,
      results: this.results,
    });
    const check = await host.checkOutputs({ run: this.ref, sandbox: this.box, task, save: false });
    this.results[slot.id] = { status: 'pre-existing', cost: 0, turns: 0, outputs: check.outputs };
    this.state.setTaskStatus(slot.id, 'pre-existing');
  }

  recordAnswers(slotId: string, answers: Record<string, string>): void {
    const result = this.results[slotId];
    if (result) result.answers = answers;
  }

  /**
   * The outputs answer delivery merged the answers into (`merged`, workspace paths) become what later
   * templates read as `tasks.<t>.outputs.<stem>`: the same merge, applied to the values in hand.
   */
  answerOutputs(slotId: string, outputs: string[], merged: string[], answers: Record<string, string>): void {
    const result = this.results[slotId];
    if (result) result.outputs = answeredOutputs(result.outputs, outputs, merged, answers);
  }
}

function correctivePrompt(problems: string[]): string {
  return [
    'Your task is not finished: its required outputs are missing or invalid.',
    ...problems.map((p) => `- ${p}`),
    'Fix exactly these problems now (write the files at the paths given), then stop.',
  ].join('\n');
}
