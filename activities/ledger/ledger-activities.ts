// The budget ledger's two calls, made by runs (component and harness workflows) through activities:
// update-with-start on the project's ledger workflow, so the first run of a project starts it and
// every worker on every host reaches the same one. Both updates are idempotent per run id.
import { Context } from '@temporalio/activity';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { ledgerWorkflowId, type GrantAnswer, type GrantRequest } from '../../workflows/ledger/accounting.js';
import { budgetLedgerWorkflow, grantUpdate, recordUpdate } from '../../workflows/ledger/workflow.js';

export interface LedgerCall {
  project: string;
}

function startOperation(project: string) {
  return new WithStartWorkflowOperation(budgetLedgerWorkflow, {
    workflowId: ledgerWorkflowId(project),
    taskQueue: Context.current().info.taskQueue,
    args: [{ project }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: `budget ledger of ${project}`,
  });
}

export async function ledgerGrant(call: LedgerCall & { request: GrantRequest }): Promise<GrantAnswer> {
  return Context.current().client.workflow.executeUpdateWithStart(grantUpdate, {
    args: [call.request],
    startWorkflowOperation: startOperation(call.project),
  });
}

export async function ledgerRecord(call: LedgerCall & { runId: string; spentUsd: number }): Promise<boolean> {
  return Context.current().client.workflow.executeUpdateWithStart(recordUpdate, {
    args: [{ runId: call.runId, spentUsd: call.spentUsd }],
    startWorkflowOperation: startOperation(call.project),
  });
}
