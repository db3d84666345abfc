// `dkmv runs`: runs from Temporal visibility (search attributes; no worker needed), merged with
// the local run folders (runs the server no longer knows, or when it cannot be reached).
import type { WorkflowExecutionInfo } from '@temporalio/client';
import type { TemporalClientLike } from '../temporal/client-like.js';
import type { RunStatus } from '../../core/runs/status.js';
import {
  DkmvBranch,
  DkmvComponent,
  DkmvCostUsd,
  DkmvRepo,
  DkmvRunKind,
  DkmvStatus,
  type RunKind,
} from '../../core/temporal/search-attributes.js';
import type { HarnessView } from '../../core/harness/types.js';
import { readHarnessRecord } from './harness-show.js';
import { listRunFolders, type RunFolder } from './run-folder.js';
import { runStatusOf, visibilityQuery } from './status.js';

export interface RunRow {
  run_id: string;
  /** From the DkmvRunKind search attribute (runs from before it existed are components). */
  kind: RunKind;
  status: RunStatus;
  component: string;
  branch: string;
  repo: string;
  cost_usd: number | undefined;
  started_at: string | undefined;
  ended_at: string | undefined;
  duration_ms: number | undefined;
  /** Where the row came from: Temporal visibility, or only the local run folder. */
  source: 'temporal' | 'folder';
  /** Set for a harness's child run (listed only with --children; `dkmv show <harness>` lists them). */
  parent?: string;
}

export interface RunFilters {
  kind?: RunKind;
  /** Also list child runs (a harness's planner and generators); off by default. */
  children?: boolean;
  component?: string;
  status?: RunStatus;
  branch?: string;
  limit: number;
}

export type ExecutionInfoLike = Pick<
  WorkflowExecutionInfo,
  'workflowId' | 'status' | 'startTime' | 'closeTime' | 'typedSearchAttributes'
> &
  Partial<Pick<WorkflowExecutionInfo, 'parentExecution'>>;

export function kindOf(value: unknown): RunKind {
  return value === 'harness' ? 'harness' : 'component';
}

export function rowFromExecution(info: ExecutionInfoLike, now = Date.now()): RunRow {
  const attrs = info.typedSearchAttributes;
  const started = info.startTime;
  const closed = info.closeTime;
  const parent = info.parentExecution?.workflowId;
  return {
    run_id: info.workflowId,
    kind: kindOf(attrs.get(DkmvRunKind)),
    status: runStatusOf(info.status.name, attrs.get(DkmvStatus)),
    component: attrs.get(DkmvComponent) ?? '',
    branch: attrs.get(DkmvBranch) ?? '',
    repo: attrs.get(DkmvRepo) ?? '',
    cost_usd: attrs.get(DkmvCostUsd) ?? 0,
    started_at: started.toISOString(),
    ended_at: closed?.toISOString(),
    duration_ms: (closed?.getTime() ?? now) - started.getTime(),
    source: 'temporal',
    ...(parent ? { parent } : {}),
  };
}

export function rowFromFolder(folder: RunFolder): RunRow {
  const { config, result } = folder;
  const harness = kindOf(config?.kind) === 'harness' ? readHarnessRecord(folder.dir) : undefined;
  if (harness) return rowFromHarnessRecord(folder, harness);
  const status = (result?.status ?? 'running') as RunStatus;
  const started = result?.started_at;
  const ended = result?.ended_at;
  return {
    run_id: folder.runId,
    kind: kindOf(config?.kind),
    status,
    component: result?.component ?? config?.component ?? '',
    branch: result?.branch ?? config?.branch ?? '',
    repo: result?.repo ?? config?.repo ?? '',
    cost_usd: result?.cost_usd ?? folder.tasks?.reduce((sum, t) => sum + (t.costUsd ?? 0), 0),
    started_at: started,
    ended_at: ended,
    duration_ms: result?.duration_ms ?? (started && ended ? Date.parse(ended) - Date.parse(started) : undefined),
    source: 'folder',
  };
}

/** A harness's folder has no result.json: its harness.json (written when it ends) tells. */
function rowFromHarnessRecord(folder: RunFolder, view: HarnessView): RunRow {
  return {
    run_id: folder.runId,
    kind: 'harness',
    status: view.status,
    component: 'harness',
    branch: view.branch,
    repo: view.repo,
    cost_usd: view.costUsd,
    started_at: view.startedAt,
    ended_at: view.endedAt,
    duration_ms: view.endedAt ? Date.parse(view.endedAt) - Date.parse(view.startedAt) : undefined,
    source: 'folder',
  };
}

export function matches(row: RunRow, filters: RunFilters): boolean {
  if (filters.kind && row.kind !== filters.kind) return false;
  if (row.parent && !filters.children) return false;
  if (filters.component && row.component !== filters.component) return false;
  if (filters.branch && row.branch !== filters.branch) return false;
  if (filters.status && row.status !== filters.status) return false;
  return true;
}

/** Rows from Temporal (newest first), exact status filter applied, at most `limit`. */
export async function listFromTemporal(client: TemporalClientLike, filters: RunFilters): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  const query = visibilityQuery(filters);
  for await (const info of client.workflow.list({ query, pageSize: Math.min(Math.max(filters.limit * 2, 20), 1000) })) {
    const row = rowFromExecution(info);
    if (!matches(row, filters)) continue;
    rows.push(row);
    if (rows.length >= filters.limit) break;
  }
  return rows;
}

function startedMs(row: RunRow | undefined): number {
  const t = row?.started_at ? Date.parse(row.started_at) : NaN;
  return Number.isNaN(t) ? Infinity : t; // unknown: it might be newer
}

/**
 * Temporal rows plus the run folders Temporal did not return: a folder whose run the server still
 * knows (it was only past the page) is described there; the others are shown from their files.
 * Sorted newest first, cut at `limit`. Without a client, folders only.
 */
export async function listRuns(
  client: TemporalClientLike | undefined,
  outputDir: string,
  filters: RunFilters,
): Promise<RunRow[]> {
  let temporal: RunRow[] = [];
  if (client) {
    try {
      temporal = await listFromTemporal(client, filters);
    } catch (err) {
      // e.g. a server without dkmv's search attributes: the run folders still answer
      process.stderr.write(`note: listing runs from Temporal failed (${(err as Error).message}); run folders only\n`);
      client = undefined;
    }
  }
  const seen = new Set(temporal.map((r) => r.run_id));
  // Temporal filled the page: a folder that started before its oldest row cannot make the cut,
  // so it is not described (one round trip each: seconds with many old run folders).
  const oldest = temporal.length >= filters.limit ? startedMs(temporal[temporal.length - 1]) : undefined;
  const extra: RunRow[] = [];
  let describes = 0;
  for (const folder of listRunFolders(outputDir)) {
    if (seen.has(folder.runId)) continue;
    if (extra.length >= filters.limit || describes > filters.limit * 3 + 20) break;
    let row = rowFromFolder(folder);
    if (oldest !== undefined && startedMs(row) < oldest) continue;
    if (client) {
      describes++;
      try {
        row = rowFromExecution(await client.workflow.getHandle(folder.runId).describe());
      } catch {
        // not known to this server (another server, or past retention): the folder is all we have
      }
    }
    if (matches(row, filters)) extra.push(row);
  }
  const all = [...temporal, ...extra];
  all.sort((a, b) => (b.started_at ?? b.run_id).localeCompare(a.started_at ?? a.run_id));
  return all.slice(0, filters.limit);
}
