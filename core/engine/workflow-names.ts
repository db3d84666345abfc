// The names of dkmv's workflow type, query, signal and update, in a module of plain strings: the
// CLI addresses runs by these names without loading the workflow code (and @temporalio/workflow).
export const COMPONENT_WORKFLOW = 'componentWorkflow';
export const STATUS_QUERY = 'status';
export const DECIDE_SIGNAL = 'decide';
/** Same as the signal, but a bad decision is rejected back to the caller. */
export const DECIDE_UPDATE = 'decide_validated';
/** Reads a run folder on the host that keeps it, for a CLI on another machine. */
export const READ_RECORDS_WORKFLOW = 'readRunRecordsWorkflow';
