// A run's side of the budget ledger, in workflow code: ask for a grant before spending (waiting
// with a durable timer, or failing clearly, when the day's ceiling leaves no room) and settle it
// with what was spent when the run ends, however it ends. Guarded by patched() in the callers.
import { ApplicationFailure, proxyActivities, sleep } from '@temporalio/workflow';
import type * as activities from '../../activities/index.js';
import { exhaustedMessage, type GrantAnswer, type RunLedger } from '../../core/ledger/accounting.js';

type Activities = typeof activities;

/** The patch id both run workflows use around their ledger calls. */
export const LEDGER_PATCH = 'budget-ledger';

function ledgerActivities(summary: string) {
  return proxyActivities<Activities>({
    summary,
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 10, maximumInterval: '10 seconds' },
  });
}

/**
 * The grant this run may spend (at most its own cap). `onWait` is told once per refused ask in
 * wait mode (to show it in status); in fail mode a refusal fails the run before anything is spent.
 */
export async function obtainGrant(
  ledger: RunLedger,
  run: { runId: string; component: string; branch: string },
  onWait: (answer: Extract<GrantAnswer, { kind: 'exhausted' }>) => void,
): Promise<number> {
  for (;;) {
    const answer = await ledgerActivities(
      `budget grant $${ledger.grantUsd.toFixed(2)} (daily ceiling $${ledger.dailyCeilingUsd.toFixed(2)})`,
    ).ledgerGrant({
      project: ledger.project,
      request: {
        runId: run.runId,
        wantUsd: ledger.grantUsd,
        ceilingUsd: ledger.dailyCeilingUsd,
        component: run.component,
        branch: run.branch,
      },
    });
    if (answer.kind === 'granted') return answer.grantUsd;
    if (ledger.onExhausted === 'fail') {
      throw ApplicationFailure.nonRetryable(exhaustedMessage(answer), 'BudgetExhausted');
    }
    onWait(answer);
    await sleep(`${ledger.waitSeconds ?? 60} seconds`);
  }
}

/** Settles the grant with what the run spent; best effort (the ledger also ignores a second record). */
export async function settleGrant(ledger: RunLedger, runId: string, spentUsd: number): Promise<void> {
  await ledgerActivities(`budget record $${spentUsd.toFixed(4)} spent`)
    .ledgerRecord({ project: ledger.project, runId, spentUsd })
    .catch(() => undefined);
}
