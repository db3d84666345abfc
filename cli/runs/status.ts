// A run's status as users see it (DESIGN.md "Runs"), from Temporal's execution status and the
// DkmvStatus search attribute the workflow keeps up to date.
import { RUN_STATUSES, type RunStatus } from '../../core/runs/status.js';
import { UserError } from '../../core/errors.js';

const CLOSED: Record<string, RunStatus> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'cancelled',
  TIMED_OUT: 'timed_out',
};

/**
 * The run status: while Temporal says RUNNING, DkmvStatus (running or awaiting_input); once closed,
 * DkmvStatus when it names a final state the workflow set itself (an abort at a pause closes the
 * workflow as FAILED with DkmvStatus cancelled), else what Temporal's close status means.
 */
export function runStatusOf(executionStatus: string, dkmvStatus: string | undefined): RunStatus {
  const known = (RUN_STATUSES as readonly string[]).includes(dkmvStatus ?? '') ? (dkmvStatus as RunStatus) : undefined;
  if (executionStatus === 'RUNNING') return known === 'awaiting_input' ? 'awaiting_input' : 'running';
  if (executionStatus === 'CANCELLED' || executionStatus === 'TERMINATED') return 'cancelled';
  if (executionStatus === 'TIMED_OUT') return 'timed_out';
  if (known && known !== 'running' && known !== 'awaiting_input') {
    if (executionStatus === 'COMPLETED') return known === 'completed' ? 'completed' : known;
    return known === 'completed' ? 'failed' : known;
  }
  return CLOSED[executionStatus] ?? 'failed';
}

/** Parses `--status`; a value that is not a run status is a usage error. */
export function parseStatusFilter(value: string | undefined): RunStatus | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase().replace(/-/g, '_');
  if ((RUN_STATUSES as readonly string[]).includes(v)) return v as RunStatus;
  throw new UserError(`--status ${value}: not a run status`, { hint: `use one of: ${RUN_STATUSES.join(', ')}` });
}

/** Visibility query (pre-filter; the exact status is checked on each row). */
export function visibilityQuery(filters: {
  kind?: 'component' | 'harness';
  component?: string;
  status?: RunStatus;
  branch?: string;
}): string {
  // Both workflow families; --kind filters on the run-kind search attribute both of them set.
  const parts = [`WorkflowType IN ('componentWorkflow', 'harnessWorkflow')`];
  if (filters.kind) parts.push(`DkmvRunKind = '${filters.kind}'`);
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (filters.component) parts.push(`DkmvComponent = ${q(filters.component)}`);
  if (filters.branch) parts.push(`DkmvBranch = ${q(filters.branch)}`);
  switch (filters.status) {
    case 'running':
    case 'awaiting_input':
      parts.push(`ExecutionStatus = 'Running'`);
      break;
    case 'completed':
      parts.push(`ExecutionStatus = 'Completed'`);
      break;
    case 'cancelled':
      parts.push(`(ExecutionStatus IN ('Canceled', 'Terminated') OR DkmvStatus = 'cancelled')`);
      break;
    case 'timed_out':
      parts.push(`(ExecutionStatus = 'TimedOut' OR DkmvStatus = 'timed_out')`);
      break;
    case 'failed':
      parts.push(`ExecutionStatus = 'Failed'`);
      break;
    default:
      break;
  }
  return parts.join(' AND ');
}

/** "1h 02m", "3m 05s", "12s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '-';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

export function formatCost(usd: number | undefined): string {
  return usd === undefined || !Number.isFinite(usd) ? '-' : `$${usd.toFixed(usd >= 100 ? 2 : 4)}`;
}
