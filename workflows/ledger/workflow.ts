// budgetLedgerWorkflow: the spend ceiling of one project across every run and harness, on every
// worker and host. An entity workflow (id `dkmv-ledger-<project>`), started on first use by
// update-with-start; runs ask for a grant before spending (`grant`) and settle it with what they
// spent (`record`). Its history is bounded with continue-as-new, carrying the day buckets.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import {
  dayOf,
  emptyLedger,
  grant,
  ledgerMemo,
  prune,
  record,
  type GrantAnswer,
  type GrantRequest,
  type LedgerState,
  type SpendRecord,
} from '../../core/ledger/accounting.js';
import { GRANT_UPDATE, LEDGER_QUERY, RECORD_UPDATE } from '../../core/ledger/ledger-names.js';

export const grantUpdate = defineUpdate<GrantAnswer, [GrantRequest]>(GRANT_UPDATE);
export const recordUpdate = defineUpdate<boolean, [SpendRecord]>(RECORD_UPDATE);
export const ledgerQuery = defineQuery<LedgerState>(LEDGER_QUERY);

export interface LedgerInput {
  project: string;
  /** Carried over by continue-as-new. */
  state?: LedgerState;
  /** Continue as new after this many events (tests use a small number). */
  maxHistoryEvents?: number;
}

export async function budgetLedgerWorkflow(input: LedgerInput): Promise<void> {
  let state = input.state ?? emptyLedger(input.project);
  const limit = input.maxHistoryEvents ?? 2000;
  // The memo mirrors recent day totals, so `dkmv cost` reads them without a worker.
  const publish = () => upsertMemo({ dkmvLedger: ledgerMemo(state) });
  setHandler(
    grantUpdate,
    (req) => {
      // The ledger's own clock (deterministic in workflow code) decides which day a grant counts on.
      const answer = grant(state, dayOf(Date.now()), req);
      publish();
      return answer;
    },
    {
      validator: (req) => {
        if (!req?.runId || !(req.wantUsd >= 0) || !(req.ceilingUsd > 0)) throw new Error('bad grant request');
      },
    },
  );
  setHandler(
    recordUpdate,
    (rec) => {
      const changed = record(state, rec);
      if (changed) publish();
      return changed;
    },
    {
      validator: (rec) => {
        if (!rec?.runId || !(rec.spentUsd >= 0)) throw new Error('bad spend record');
      },
    },
  );
  setHandler(ledgerQuery, () => state);
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > limit);
  await condition(allHandlersFinished);
  state = prune(state, dayOf(Date.now()));
  await continueAsNew<typeof budgetLedgerWorkflow>({ ...input, state });
}
