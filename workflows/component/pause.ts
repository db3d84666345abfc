// Pause points: the run waits (no activity, no timeout) for a `decide` signal from anyone —
// the CLI, `temporal workflow signal`, or the Web UI.
import { condition } from '@temporalio/workflow';
import { withDefaults } from '../../core/engine/decision.js';
import type { Decision, Question } from '../../core/engine/run-types.js';
import type { RunState } from './run-state.js';

export async function waitForDecision(
  state: RunState,
  taskId: string,
  questions: Question[],
  inbox: { decision?: Decision },
): Promise<Decision> {
  delete inbox.decision;
  state.setPending(taskId, questions);
  state.setStatus('awaiting_input');
  state.setPhase(taskId, 'waiting for a decision (dkmv approve)');
  const received = (): Decision | undefined => inbox.decision;
  await condition(() => received() !== undefined);
  const decision = received() as Decision;
  delete inbox.decision;
  state.setPending(taskId, undefined);
  delete state.view.lastDecisionError;
  state.setStatus('running');
  const answers = withDefaults(decision.answers, questions);
  state.task(taskId).answers = answers;
  return { action: decision.action, answers };
}
