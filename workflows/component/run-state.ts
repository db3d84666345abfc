// The run's state inside componentWorkflow: task states, cost, current phase, pending questions.
// The `status` query returns a snapshot of it; search attributes mirror the headline numbers.
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { roundUsd } from '../../core/engine/budget.js';
import { runEndType, type LifecycleEvent, type LifecycleType } from '../../core/engine/lifecycle.js';
import type {
  ComponentRunInput,
  Question,
  RunStatus,
  RunStatusView,
  TaskState,
  TaskStatus,
} from '../../core/engine/run-types.js';
import { DkmvCostUsd, DkmvStatus } from '../../core/temporal/search-attributes.js';

export class RunState {
  readonly view: RunStatusView;
  /** Lifecycle events not yet handed to the run-record activity (see core/engine/lifecycle.ts). */
  private events: LifecycleEvent[] = [];
  /** Every event of the run: the final record re-sends them all (record writes race; seq dedupes). */
  private readonly allEvents: LifecycleEvent[] = [];
  private seq = 0;

  constructor(input: ComponentRunInput) {
    this.view = {
      runId: input.runId,
      component: input.plan.component.name,
      repo: input.repo,
      branch: input.branch,
      status: 'running',
      costUsd: 0,
      startedAt: workflowInfo().startTime.toISOString(),
      tasks: input.plan.tasks.map((slot) => ({
        id: slot.id,
        name: slot.name,
        status: 'pending',
        costUsd: 0,
        turns: 0,
        ...(slot.description ? { description: slot.description } : {}),
      })),
      featureName: input.plan.context.feature_name,
      model: input.plan.context.model,
    };
    if (input.maxBudgetUsd !== undefined) this.view.maxBudgetUsd = input.maxBudgetUsd;
    this.emit('run_started', {
      component: this.view.component,
      repo: input.repo,
      branch: input.branch,
      feature_name: input.plan.context.feature_name,
      model: input.plan.context.model,
      total_tasks: input.plan.tasks.length,
    });
  }

  private emit(type: LifecycleType, fields: Record<string, unknown>): void {
    this.seq += 1;
    const event = { type, lifecycle: true as const, _ts: new Date().toISOString(), seq: this.seq };
    const full = { ...event, run_id: this.view.runId, ...fields };
    this.events.push(full);
    this.allEvents.push(full);
  }

  /**
   * The lifecycle events since the last call (for a progress record); with `all`, every event of
   * the run (for the final record, which must not depend on a progress write still in flight).
   */
  takeEvents(all = false): LifecycleEvent[] {
    const out = all ? [...this.allEvents] : this.events;
    this.events = [];
    return out;
  }

  private taskEvent(id: string, status: TaskStatus): void {
    const task = this.task(id);
    const index = this.view.tasks.indexOf(task);
    const base = { task_name: task.name, task_id: task.id, task_index: index, total_tasks: this.view.tasks.length };
    if (status === 'running') this.emit('task_start', { ...base, task_description: task.description ?? '' });
    else if (status === 'completed' || status === 'failed' || status === 'timed_out') {
      this.emit(status === 'completed' ? 'task_completed' : 'task_failed', {
        ...base,
        status,
        total_cost_usd: task.costUsd,
        num_turns: task.turns,
        ...(task.sessionId ? { session_id: task.sessionId } : {}),
        ...(task.error ? { error_message: task.error } : {}),
      });
    }
  }

  /** Records the answer to a pause point (lifecycle event `pause_resolved`, DKMV's name). */
  pauseAnswered(taskId: string, action: string, answers: Record<string, string>): void {
    this.emit('pause_resolved', { task_name: this.task(taskId).name, task_id: taskId, action, answers });
  }

  task(id: string): TaskState {
    const task = this.view.tasks.find((t) => t.id === id);
    if (!task) throw new Error(`unknown task ${id}`);
    return task;
  }

  setTaskStatus(id: string, status: TaskStatus, error?: string): void {
    const task = this.task(id);
    const was = task.status;
    task.status = status;
    if (error !== undefined) task.error = error;
    if (was === status) return; // already recorded (the workflow marks a task running before its runner does)
    if (status === 'running') task.startedAt = new Date().toISOString();
    else if (status !== 'pending') task.endedAt = new Date().toISOString();
    this.taskEvent(id, status);
  }

  addCost(id: string, costUsd: number, turns: number): void {
    this.addCostQuietly(id, costUsd, turns);
    upsertSearchAttributes([{ key: DkmvCostUsd, value: this.view.costUsd }]);
  }

  /** Counts cost without a search-attribute update (no new command: replay-safe in error paths). */
  addCostQuietly(id: string, costUsd: number, turns: number): void {
    const task = this.task(id);
    task.costUsd = roundUsd(task.costUsd + costUsd);
    task.turns += turns;
    this.view.costUsd = roundUsd(this.view.costUsd + costUsd);
  }

  /** Marks every task still pending as skipped (fail fast, skip_remaining, abort). */
  skipPending(): void {
    for (const task of this.view.tasks) if (task.status === 'pending') task.status = 'skipped';
  }

  setPhase(taskId: string, phase: string): void {
    this.view.current = { taskId, phase };
    const task = this.task(taskId);
    const index = this.view.tasks.indexOf(task) + 1;
    const turns = this.view.tasks.reduce((s, t) => s + t.turns, 0);
    // The Web UI's current details (markdown): task, phase, turns and cost so far.
    setCurrentDetails(
      `**${this.view.component}** on \`${this.view.branch}\`: task **${task.name}** (${index}/${this.view.tasks.length}) — ${phase}. Turns ${turns}, cost so far $${this.view.costUsd.toFixed(4)}.`,
    );
  }

  setStatus(status: RunStatus, error?: string): void {
    this.view.status = status;
    if (error !== undefined) this.view.error = error;
    if (status !== 'running' && status !== 'awaiting_input') {
      this.emit(runEndType(status), {
        status,
        total_cost_usd: this.view.costUsd,
        ...(this.view.error ? { error_message: this.view.error } : {}),
      });
      this.view.endedAt = new Date().toISOString();
      delete this.view.current;
      setCurrentDetails(`**${this.view.component}** ${status}. Cost $${this.view.costUsd.toFixed(4)}.`);
    }
    upsertSearchAttributes([{ key: DkmvStatus, value: status }]);
  }

  setPending(taskId: string, questions: Question[] | undefined): void {
    if (questions) {
      this.view.pending = { taskId, questions };
      this.emit('pause_requested', { task_name: this.task(taskId).name, task_id: taskId, questions });
    } else delete this.view.pending;
  }

  snapshot(): RunStatusView {
    return JSON.parse(JSON.stringify(this.view)) as RunStatusView;
  }
}
