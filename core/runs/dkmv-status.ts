// DKMV's pydantic models accept fewer run statuses than dkmv has: BaseResult (result.json) takes
// pending | running | completed | failed | timed_out, ComponentResult (tasks_result.json) only the
// final three. A paused run is still running for DKMV, and a cancelled run failed; dkmv's own status
// is written beside it as `run_status`, which dkmv's readers prefer.

/** The run statuses DKMV's BaseResult accepts. */
export const DKMV_RUN_STATUSES = ['pending', 'running', 'completed', 'failed', 'timed_out'] as const;

/** dkmv's run status as DKMV's BaseResult/ComponentResult know it. */
export function dkmvRunStatus(status: string): string {
  if (status === 'awaiting_input') return 'running';
  if (status === 'cancelled') return 'failed';
  return status;
}
