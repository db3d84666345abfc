// The run's state inside componentWorkflow: task states, cost, current phase, pending questions.
// The `status` query returns a snapshot of it; search attributes mirror the headline numbers.
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { roundUsd } from '../../core/engine/budget.js';
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
      })),
    };
    if (input.maxBudgetUsd !== undefined) this.view.maxBudgetUsd = input.maxBudgetUsd;
  }

  task(id: string): TaskState {
    const task = this.view.tasks.find((t) => t.id === id);
    if (!task) throw new Error(`unknown task ${id}`);
    return task;
  }

  setTaskStatus(id: string, status: TaskStatus, error?: string): void {
    const task = this.task(id);
    task.status = status;
    if (error !== undefined) task.error = error;
    if (status === 'running') task.startedAt = new Date().toISOString();
    else if (status !== 'pending') task.endedAt = new Date().toISOString();
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
    const name = this.task(taskId).name;
    setCurrentDetails(
      `**${this.view.component}** on \`${this.view.branch}\`: task **${name}** — ${phase}. Cost so far $${this.view.costUsd.toFixed(4)}.`,
    );
  }

  setStatus(status: RunStatus, error?: string): void {
    this.view.status = status;
    if (error !== undefined) this.view.error = error;
    if (status !== 'running' && status !== 'awaiting_input') {
      this.view.endedAt = new Date().toISOString();
      delete this.view.current;
      setCurrentDetails(`**${this.view.component}** ${status}. Cost $${this.view.costUsd.toFixed(4)}.`);
    }
    upsertSearchAttributes([{ key: DkmvStatus, value: status }]);
  }

  setPending(taskId: string, questions: Question[] | undefined): void {
    if (questions) this.view.pending = { taskId, questions };
    else delete this.view.pending;
  }

  snapshot(): RunStatusView {
    return JSON.parse(JSON.stringify(this.view)) as RunStatusView;
  }
}
