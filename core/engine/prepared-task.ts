// The PreparedTask a rendered task becomes: its resolved parameters and this task's budget,
// min(its own limit, what remains of the run's).
import type { RenderedTask } from '../component/plan-types.js';
import type { PreparedTask } from './activity-types.js';
import { taskBudget } from './budget.js';

export function toPrepared(task: RenderedTask, remainingRunBudget: number | undefined): PreparedTask {
  const budgetUsd = taskBudget(task.params.max_budget_usd, remainingRunBudget, 0);
  return {
    slotId: task.slotId,
    name: task.name,
    kind: task.kind,
    commit: task.commit,
    push: task.push,
    pauseAfter: task.pauseAfter,
    agent: task.params.agent,
    model: task.params.model,
    maxTurns: task.params.max_turns,
    timeoutMinutes: task.params.timeout_minutes,
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    outputs: task.outputs,
    ...(task.definition.credentials?.length ? { credentials: task.definition.credentials } : {}),
  };
}
