// The pause-point handlers both run families install: the status query, the `decide` signal (a
// bad decision is kept in the status for the user to see) and the `decide_validated` update (the
// same handler, with a bad decision rejected back to the caller).
import { defineSignal, defineUpdate, setHandler, type QueryDefinition } from '@temporalio/workflow';
import { decisionError } from '../../core/engine/decision.js';
import type { Decision, RunStatusView } from '../../core/engine/run-types.js';
import { DECIDE_SIGNAL, DECIDE_UPDATE } from '../../core/engine/workflow-names.js';

export const decideSignal = defineSignal<[Decision]>(DECIDE_SIGNAL);
/** Same as the signal, but a bad decision is rejected back to the caller. */
export const decideUpdate = defineUpdate<RunStatusView, [Decision]>(DECIDE_UPDATE);

/** What the handlers read of a run's state: the pause point waiting, and the status they answer. */
export interface DecisionState<View> {
  view: Pick<RunStatusView, 'pending' | 'lastDecisionError'>;
  snapshot(): View;
}

/** Installs the query, signal and update; a valid decision lands in `inbox` for the run to take. */
export function installDecisionHandlers<View>(
  state: DecisionState<View>,
  statusQuery: QueryDefinition<View>,
  inbox: { decision?: Decision },
): void {
  setHandler(statusQuery, () => state.snapshot());
  const problem = (d: unknown) =>
    state.view.pending ? decisionError(d, state.view.pending.questions) : 'no pause point is waiting for a decision';
  setHandler(decideSignal, (d) => {
    const error = problem(d);
    if (error) state.view.lastDecisionError = error;
    else inbox.decision = d;
  });
  setHandler(
    decideUpdate,
    (d) => {
      inbox.decision = d;
      // The update answers with the run's own status view (a harness view for a harness run).
      return state.snapshot() as unknown as RunStatusView;
    },
    {
      validator: (d) => {
        const error = problem(d);
        if (error) throw new Error(error);
      },
    },
  );
}
