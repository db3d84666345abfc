// Every workflow the dkmv worker registers. Workflow code is deterministic: no I/O, no clocks,
// no randomness outside Temporal's APIs; activities are imported as types only.
export { pingWorkflow } from './ping.js';
export { componentWorkflow, statusQuery, decideSignal, decideUpdate } from './component/workflow.js';
export { harnessWorkflow, harnessStatusQuery } from './harness/workflow.js';
export { budgetLedgerWorkflow } from './ledger/workflow.js';
export { readRunRecordsWorkflow } from './records/workflow.js';
