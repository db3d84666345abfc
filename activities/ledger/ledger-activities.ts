// The budget ledger's two calls, made by runs (component and harness workflows) through activities:
// update-with-start on the project's ledger workflow, so the first run of a project starts it and
// every worker on every host reaches the same one. Both updates are idempotent per run id.
import { Context } from '@temporalio/activity';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import {
  ledgerWorkflowId,
  type GrantAnswer,
  type GrantRequest,
  type SpendRecord,
} from '../../core/ledger/accounting.js';
import { GRANT_UPDATE, LEDGER_WORKFLOW, RECORD_UPDATE } from '../../core/ledger/ledger-names.js';

export interface LedgerCall {
  project: string;
}

function startOperation(project: string) {
  return new WithStartWorkflowOperation(LEDGER_WORKFLOW, {
    workflowId: ledgerWorkflowId(project),
    taskQueue: Context.current().info.taskQueue,
    args: [{ project }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: `budget ledger of ${project}`,
  });
}

export async function ledgerGrant(call: LedgerCall & { request: GrantRequest }): Promise<GrantAnswer> {
  return Context.current().client.workflow.executeUpdateWithStart<Workflow, GrantAnswer, [GrantRequest]>(GRANT_UPDATE, {
    args: [call.request],
    startWorkflowOperation: startOperation(call.project),
  });
}

export async function ledgerRecord(call: LedgerCall & { runId: string; spentUsd: number }): Promise<boolean> {
  return Context.current().client.workflow.executeUpdateWithStart<Workflow, boolean, [SpendRecord]>(RECORD_UPDATE, {
    args: [{ runId: call.runId, spentUsd: call.spentUsd }],
    startWorkflowOperation: startOperation(call.project),
  });
}
