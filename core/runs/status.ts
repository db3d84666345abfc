// Run and task states (DESIGN.md "Runs").
// `unverified`: a harness build whose app never passed its check or smoke test (branch kept, no PR).
export const RUN_STATUSES = [
  'running',
  'awaiting_input',
  'completed',
  'unverified',
  'failed',
  'cancelled',
  'timed_out',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TASK_STATUSES = [
  'pending',
  'running',
  'completed',
  'failed',
  'timed_out',
  'skipped',
  'pre-existing',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
