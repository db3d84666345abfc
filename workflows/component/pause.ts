// Pause points: the run waits (no activity, no timeout) for a `decide` signal from anyone —
// the CLI, `temporal workflow signal`, or the Web UI. The answers then reach the component as DKMV
// delivers them (see activities/engine/deliver-answers.ts).
import { condition } from '@temporalio/workflow';
import type { RunRef, SandboxHandle } from '../../core/engine/activity-types.js';
import { effectiveAction, withDefaults } from '../../core/engine/decision.js';
import type { DecisionAction, Decision, Question } from '../../core/engine/run-types.js';
import { onHost, type HostRoute } from './activities.js';
import type { RunState } from './run-state.js';

/** A decision as the workflow acts on it: the action it takes and every answer (defaults filled in). */
export interface ResolvedDecision {
  action: DecisionAction;
  answers: Record<string, string>;
}

export async function waitForDecision(
  state: RunState,
  taskId: string,
  questions: Question[],
  inbox: { decision?: Decision },
  /** Called once the run shows `awaiting_input` (records the pause before the wait). */
  onPause?: () => void,
): Promise<ResolvedDecision> {
  delete inbox.decision;
  state.setPending(taskId, questions);
  state.setStatus('awaiting_input');
  state.setPhase(taskId, 'waiting for a decision (dkmv approve)');
  onPause?.();
  const received = (): Decision | undefined => inbox.decision;
  await condition(() => received() !== undefined);
  const decision = received() as Decision;
  delete inbox.decision;
  state.setPending(taskId, undefined);
  delete state.view.lastDecisionError;
  state.setStatus('running');
  const answers = withDefaults(decision.answers, questions);
  const action = effectiveAction(decision, questions);
  state.task(taskId).answers = answers;
  state.pauseAnswered(taskId, action, answers);
  return { action, answers };
}

/**
 * Writes the answers where DKMV's components read them: into the output JSON that asked (as
 * `questions[].user_answer`) and `.agent/user_decisions.json`. Best effort for the record, but a
 * failure to write into the workspace fails the run like any other activity failure would.
 * Returns the workspace paths of the outputs the answers were merged into.
 */
export async function deliverAnswers(
  run: RunRef,
  host: HostRoute,
  sandbox: SandboxHandle,
  task: { id: string; name: string },
  outputs: string[],
  decision: ResolvedDecision,
): Promise<string[]> {
  const { merged } = await onHost(host, `deliver answers to ${task.name} (${decision.action})`).deliverAnswers({
    run,
    sandbox,
    taskId: task.id,
    taskName: task.name,
    outputs,
    answers: decision.answers,
    action: decision.action,
  });
  return merged;
}
