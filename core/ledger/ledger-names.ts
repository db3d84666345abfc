// The budget ledger workflow's type, update and query names as plain strings: the ledger
// activities and the CLI address the ledger by these without loading the workflow code.
export const LEDGER_WORKFLOW = 'budgetLedgerWorkflow';
export const GRANT_UPDATE = 'grant';
export const RECORD_UPDATE = 'record';
export const LEDGER_QUERY = 'ledger';
