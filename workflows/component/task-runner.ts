// Runs one task slot through its phases: prepare (render, inputs, instructions) → agent or script
// → outputs (one corrective resume of the same session when they are missing) → commit and push.
// A lost container is replaced by a new one cloned from the pushed branch, and the task re-runs.
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { TaskResults, TaskSlot } from '../../core/component/loader.js';
import type { PreparedTask, RunRef, SandboxHandle } from '../../core/engine/activity-types.js';
import { taskBudget } from '../../core/engine/budget.js';
import type { ComponentRunInput, OutputCheck, Question, TaskRunResult } from '../../core/engine/run-types.js';
import { committer, onHost, runner, sandboxSetup } from './activities.js';
import type { RunState } from './run-state.js';

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

export class TaskRunner {
  sandbox: SandboxHandle | undefined;
  private generation = 0;
  private readonly results: TaskResults = {};

  constructor(
    private readonly input: ComponentRunInput,
    private readonly state: RunState,
  ) {}

  get ref(): RunRef {
    const { runId, runDir, plan, repo, branch, modelUrl, contextPaths, agentGithubToken } = this.input;
    const ref: RunRef = { runId, runDir, plan, repo, branch, contextPaths, ...(modelUrl ? { modelUrl } : {}) };
    return agentGithubToken ? { ...ref, agentGithubToken } : ref;
  }

  private get box(): SandboxHandle {
    if (!this.sandbox) throw new Error('no sandbox');
    return this.sandbox;
  }

  async openSandbox(): Promise<void> {
    const { runId, repo, branch, image, memory, modelUrl, plan } = this.input;
    this.sandbox = await sandboxSetup().createSandbox({
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

  private async replaceSandbox(): Promise<void> {
    const old = this.box;
    await onHost(old.hostTaskQueue)
      .destroySandbox(old, false)
      .catch(() => undefined);
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
        if (failureType(err) === 'SandboxLost') this.countLostWork(slot.id, err);
        if (failureType(err) === 'SandboxLost' && replaced < MAX_SANDBOX_REPLACEMENTS) {
          this.state.setPhase(slot.id, 'container lost: re-running in a new container');
          await this.replaceSandbox();
          continue;
        }
        return this.fail(slot, failureMessage(err), false);
      }
    }
  }

  /** What an agent spent before its container was lost still counts against the budget. */
  private countLostWork(taskId: string, err: unknown): void {
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    const spent =
      cause instanceof ApplicationFailure
        ? (cause.details?.[0] as { costUsd?: number; turns?: number } | undefined)
        : undefined;
    if (spent?.costUsd || spent?.turns) this.state.addCostQuietly(taskId, spent.costUsd ?? 0, spent.turns ?? 0);
  }

  private fail(slot: TaskSlot, error: string, timedOut: boolean): TaskOutcome {
    this.state.setTaskStatus(slot.id, timedOut ? 'timed_out' : 'failed', error);
    this.results[slot.id] = { status: timedOut ? 'timed_out' : 'failed', cost: 0, turns: 0, outputs: {} };
    return { failed: true, timedOut, error, questions: [] };
  }

  private async attempt(slot: TaskSlot): Promise<TaskOutcome> {
    const host = onHost(this.box.hostTaskQueue);
    this.state.setPhase(slot.id, 'preparing');
    const budgetUsd = taskBudget(undefined, this.input.maxBudgetUsd, this.state.view.costUsd);
    const task = await host.prepareTask({
      run: this.ref,
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
    const check = await this.outputs(task, result);
    if (!check.ok) return this.fail(slot, `outputs: ${check.problems.join('; ')}`, false);
    await this.commit(task, `dkmv: ${task.name}`, check.saved);
    return this.complete(slot, task, check);
  }

  private async execute(task: PreparedTask, resume?: { sessionId: string; prompt: string }): Promise<TaskRunResult> {
    this.state.setPhase(task.slotId, task.kind === 'run' ? 'running script' : `agent (${task.agent}, ${task.model})`);
    const acts = runner(this.box.hostTaskQueue, task, this.input.heartbeatTimeoutSeconds ?? 30);
    const args = { run: this.ref, sandbox: this.box, task, ...(resume ? { resume } : {}) };
    const result = task.kind === 'run' ? await acts.runScriptTask(args) : await acts.runAgentTask(args);
    this.state.addCost(task.slotId, result.costUsd, result.turns);
    if (result.sessionId) this.state.task(task.slotId).sessionId = result.sessionId;
    return result;
  }

  /** Validates outputs; if some are missing, resumes the same agent session once to fix them. */
  private async outputs(task: PreparedTask, result: TaskRunResult): Promise<OutputCheck> {
    this.state.setPhase(task.slotId, 'checking outputs');
    const host = onHost(this.box.hostTaskQueue);
    const check = await host.checkOutputs({ run: this.ref, sandbox: this.box, task, save: true });
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
    this.state.setPhase(task.slotId, 'checking outputs');
    return await host.checkOutputs({ run: this.ref, sandbox: this.box, task, save: true });
  }

  private async commit(task: PreparedTask, message: string, forceAdd: string[]): Promise<void> {
    if (!task.commit) return;
    this.state.setPhase(task.slotId, task.push ? 'commit and push' : 'commit');
    await committer(this.box.hostTaskQueue).commitTask({ run: this.ref, sandbox: this.box, task, message, forceAdd });
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
    const host = onHost(this.box.hostTaskQueue);
    const task = await host.prepareTask({ run: this.ref, sandbox: this.box, slotId: slot.id, results: this.results });
    const check = await host.checkOutputs({ run: this.ref, sandbox: this.box, task, save: false });
    this.results[slot.id] = { status: 'pre-existing', cost: 0, turns: 0, outputs: check.outputs };
    this.state.setTaskStatus(slot.id, 'pre-existing');
  }

  recordAnswers(slotId: string, answers: Record<string, string>): void {
    const result = this.results[slotId];
    if (result) result.answers = answers;
  }
}

function correctivePrompt(problems: string[]): string {
  return [
    'Your task is not finished: its required outputs are missing or invalid.',
    ...problems.map((p) => `- ${p}`),
    'Fix exactly these problems now (write the files at the paths given), then stop.',
  ].join('\n');
}

function failureType(err: unknown): string | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause.type ?? undefined;
  return undefined;
}

/** The message of an activity's failure (its cause), or of any other error. */
export function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
