// Every activity the dkmv worker registers. Activities hold all side effects.
export { ping } from './ping.js';
export { createSandbox, destroySandbox } from './engine/sandbox-activities.js';
export { prepareTask } from './engine/prepare-task.js';
export { runAgentTask } from './engine/run-agent.js';
export { runScriptTask } from './engine/run-script.js';
export { checkOutputs } from './engine/outputs.js';
export { checkDeliverables } from './engine/check-deliverables.js';
export { commitTask } from './engine/commit.js';
export { finishTask } from './engine/finish-task.js';
export { writeRunRecord } from './engine/run-record.js';
export { deliverAnswers } from './engine/deliver-answers.js';
// A run folder read for a CLI on another machine (scheduled on this host's queue).
export { readRunRecords } from './records/read-run-records.js';
// Structural merge of unit branches and the ownership check (used by the harness's LAND phase).
export { mergeBranches, checkBranchOwnership } from './merge/index.js';
// The harness: landing clone, plan file, role planning, run record.
export * from './harness/index.js';
// The project's budget ledger (daily spend ceiling): grant before spending, record after.
export { ledgerGrant, ledgerRecord } from './ledger/ledger-activities.js';
// Run notifications (webhooks) when a run pauses for a decision or ends.
export { sendNotification } from './notify/send-notification.js';
