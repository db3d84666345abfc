// `dkmv show`: one run, from Temporal (status query when a worker answers, else memo and search
// attributes) merged with its run folder — on this machine, or read through the worker of the host
// that keeps it (cli/runs/locate.ts); from the folder alone when the server does not know it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { TemporalClientLike } from '../temporal/client-like.js';
import type {
  ComponentRunInput,
  DeliverablesReport,
  Question,
  RunStatusView,
  TaskState,
} from '../../core/engine/run-types.js';
import type { RunStatus } from '../../core/runs/status.js';
import type { NotifyRecord } from '../../core/notify/types.js';
import { DkmvRunKind, DkmvStatus, type RunKind } from '../../core/temporal/search-attributes.js';
import { observeRun, type LiveActivity } from '../run/observe.js';
import { asHarnessView, harnessShow, readHarnessRecord, withLiveChildren, type HarnessShow } from './harness-show.js';
import { kindOf } from './list.js';
import type { BoundedText } from '../../core/runs/remote-records.js';
import { UserError } from '../../core/errors.js';
import { locateRunFolder, type LocateOptions } from './locate.js';
import { readRunFolder, savedOutputs, type RunConfigRecord, type RunFolder } from './run-folder.js';
import { runStatusOf } from './status.js';

export interface ShowTask {
  id: string;
  name: string;
  status: string;
  cost_usd: number;
  turns: number;
  error: string | null;
  started_at?: string;
  ended_at?: string;
  outputs: string[];
  answers?: Record<string, string>;
}

export interface ShowData {
  run_id: string;
  /** From the DkmvRunKind search attribute (or the run folder's config.json). */
  kind: RunKind;
  status: RunStatus;
  component: string;
  repo: string;
  branch: string;
  feature_name?: string;
  cost_usd: number;
  max_budget_usd?: number;
  started_at?: string;
  ended_at?: string;
  duration_ms?: number;
  error?: string;
  current?: { task: string; phase: string };
  pending?: { task: string; questions: Question[] };
  last_decision_error?: string;
  live?: { task?: string; turns: number; cost_usd: number; last?: string; attempt: number };
  container?: string;
  /** The component's deliverables found and missing at the end of the run. */
  deliverables?: DeliverablesReport;
  /** How each webhook notification went (runs started with notify targets). */
  notifications?: NotifyRecord[];
  tasks: ShowTask[];
  outputs: string[];
  /** The run folder on this machine. */
  run_dir?: string;
  /** The run folder on another host, read through that host's worker. */
  remote_folder?: { host: string; dir: string };
  /** Why the run folder could not be read (its host is gone, or the folder is not there). */
  folder_problem?: string;
  /** The saved output asked for with `--output`. */
  output?: BoundedText & { path: string };
  web_ui?: string;
  config?: RunConfigRecord;
  /** For a harness run: phase, round, plan attempts, units and the children. */
  harness?: HarnessShow;
  /** Temporal's own execution status, when the server knows the run. */
  temporal_status?: string;
  source: 'temporal' | 'folder';
}

/** The workflow's input (first history event), for the run folder path when it is not local. */
export async function workflowInput(client: Client, runId: string): Promise<ComponentRunInput | undefined> {
  try {
    const res = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId: runId },
      maximumPageSize: 1,
    });
    const payload = res.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    return payload ? (defaultPayloadConverter.fromPayload(payload) as ComponentRunInput) : undefined;
  } catch {
    return undefined;
  }
}

function taskRow(t: TaskState, folderTasks: TaskState[] | undefined): ShowTask {
  const fromFolder = folderTasks?.find((f) => f.id === t.id);
  const outputs = t.savedOutputs ?? fromFolder?.savedOutputs ?? [];
  return {
    id: t.id,
    name: t.name,
    status: t.status,
    cost_usd: t.costUsd ?? 0,
    turns: t.turns ?? 0,
    error: t.error ?? null,
    ...((t.startedAt ?? fromFolder?.startedAt) ? { started_at: t.startedAt ?? fromFolder?.startedAt } : {}),
    ...((t.endedAt ?? fromFolder?.endedAt) ? { ended_at: t.endedAt ?? fromFolder?.endedAt } : {}),
    outputs,
    ...((t.answers ?? fromFolder?.answers) ? { answers: t.answers ?? fromFolder?.answers } : {}),
  };
}

function fromView(view: RunStatusView, folder: RunFolder | undefined): Omit<ShowData, 'source' | 'outputs' | 'kind'> {
  const started = view.startedAt;
  const ended = view.endedAt;
  return {
    run_id: view.runId,
    status: view.status,
    component: view.component,
    repo: view.repo,
    branch: view.branch,
    ...(folder?.config?.feature_name ? { feature_name: folder.config.feature_name } : {}),
    cost_usd: view.costUsd,
    ...(view.maxBudgetUsd !== undefined ? { max_budget_usd: view.maxBudgetUsd } : {}),
    started_at: started,
    ...(ended ? { ended_at: ended } : {}),
    duration_ms: (ended ? Date.parse(ended) : Date.now()) - Date.parse(started),
    ...(view.error ? { error: view.error } : {}),
    ...(view.current ? { current: { task: view.current.taskId, phase: view.current.phase } } : {}),
    ...(view.pending ? { pending: { task: view.pending.taskId, questions: view.pending.questions } } : {}),
    ...(view.lastDecisionError ? { last_decision_error: view.lastDecisionError } : {}),
    ...(view.containerName ? { container: view.containerName } : {}),
    ...(view.deliverables ? { deliverables: view.deliverables } : {}),
    ...(view.notifications?.length ? { notifications: view.notifications } : {}),
    tasks: view.tasks.map((t) => taskRow(t, folder?.tasks)),
  };
}

function fromFolder(folder: RunFolder): Omit<ShowData, 'source' | 'outputs' | 'kind'> {
  const { config, result } = folder;
  const tasks: TaskState[] =
    folder.tasks ??
    (config?.tasks ?? []).map((t) => ({ id: t.id, name: t.name, status: 'pending', costUsd: 0, turns: 0 }));
  return {
    run_id: folder.runId,
    status: (result?.status ?? 'running') as RunStatus,
    component: result?.component ?? config?.component ?? '',
    repo: result?.repo ?? config?.repo ?? '',
    branch: result?.branch ?? config?.branch ?? '',
    ...(config?.feature_name ? { feature_name: config.feature_name } : {}),
    cost_usd: result?.cost_usd ?? tasks.reduce((s, t) => s + (t.costUsd ?? 0), 0),
    ...(typeof config?.max_budget_usd === 'number' ? { max_budget_usd: config.max_budget_usd } : {}),
    ...(result?.started_at ? { started_at: result.started_at } : {}),
    ...(result?.ended_at ? { ended_at: result.ended_at } : {}),
    ...(result?.duration_ms !== undefined ? { duration_ms: result.duration_ms } : {}),
    ...(result?.error ? { error: result.error } : {}),
    ...(result?.container ? { container: result.container } : {}),
    ...(result?.deliverables ? { deliverables: result.deliverables } : {}),
    ...(result?.notifications?.length ? { notifications: result.notifications } : {}),
    tasks: tasks.map((t) => taskRow(t, undefined)),
  };
}

function liveOf(live: LiveActivity | undefined): ShowData['live'] | undefined {
  if (!live) return undefined;
  return {
    ...(live.task ? { task: live.task } : {}),
    turns: live.turns,
    cost_usd: live.costUsd,
    ...(live.last ? { last: live.last } : {}),
    attempt: live.attempt,
  };
}

export interface GatherOptions {
  runId: string;
  /** The configured output folder (`<runs_dir>/<run_id>` is tried first). */
  outputDir: string;
  client?: TemporalClientLike;
  webUi?: (runId: string) => string;
  /** A saved output to include in full (as listed under `outputs`). */
  output?: string;
  /** When a worker last polled a host's queue (a folder on another host that does not answer). */
  lastPollAt?: LocateOptions['lastPollAt'];
}

/** A saved output of a folder on this machine, checked against the folder's list of outputs. */
function localOutput(dir: string, wanted: string): BoundedText & { path: string } {
  const rel = path.normalize(wanted);
  const listed = savedOutputs(dir);
  if (!listed.includes(rel)) throw noSuchOutput(wanted, listed);
  const text = readFileSync(path.join(dir, rel), 'utf8');
  return { path: rel, text, bytes: Buffer.byteLength(text), truncated: false };
}

function noSuchOutput(wanted: string, listed: string[]): UserError {
  return new UserError(`--output ${wanted}: the run has no saved output by that name`, {
    hint: listed.length ? `its saved outputs: ${listed.join(', ')}` : 'this run saved no outputs',
  });
}

/** Everything `dkmv show` prints; undefined when neither Temporal nor a run folder knows the run. */
export async function gatherRun(options: GatherOptions): Promise<ShowData | undefined> {
  const { runId, client } = options;
  let observation: Awaited<ReturnType<typeof observeRun>> | undefined;
  if (client) {
    try {
      observation = await observeRun(client, runId, { queryTimeoutMs: 2000 });
    } catch {
      observation = undefined; // not found on this server
    }
  }
  const located = await locateRunFolder({
    runId,
    outputDir: options.outputDir,
    ...(client && observation ? { client } : {}),
    ...(options.output !== undefined ? { want: { output: options.output } } : {}),
    lastPollAt: options.lastPollAt,
  });
  const remote = located.remote;
  const localFolder = located.local ? readRunFolder(located.local) : undefined;
  // A remote folder's records win; the config.json the CLI wrote here fills in.
  const folder: RunFolder | undefined = remote?.folder
    ? { ...remote.folder, ...(remote.folder.config || !localFolder?.config ? {} : { config: localFolder.config }) }
    : localFolder;
  if (!observation && !folder) return undefined;

  let base: Omit<ShowData, 'source' | 'outputs' | 'kind'>;
  if (observation?.view) {
    base = fromView(observation.view, folder);
    const dkmvStatus = observation.description.typedSearchAttributes.get(DkmvStatus);
    if (observation.temporalStatus !== 'RUNNING' && base.status === 'running')
      base.status = runStatusOf(observation.temporalStatus, dkmvStatus);
  } else if (observation) {
    const d = observation.description;
    base = {
      ...(folder ? fromFolder(folder) : { run_id: runId, component: '', repo: '', branch: '', cost_usd: 0, tasks: [] }),
      status: runStatusOf(observation.temporalStatus, d.typedSearchAttributes.get(DkmvStatus)),
      started_at: d.startTime.toISOString(),
      ...(d.closeTime ? { ended_at: d.closeTime.toISOString() } : {}),
      duration_ms: (d.closeTime?.getTime() ?? Date.now()) - d.startTime.getTime(),
    };
  } else {
    base = fromFolder(folder!);
  }
  const live = liveOf(observation?.live);
  const outputs = remote ? remote.outputs : located.local ? savedOutputs(located.local) : [];
  let output: (BoundedText & { path: string }) | undefined;
  if (options.output !== undefined) {
    if (remote?.output) output = remote.output;
    else if (remote) throw noSuchOutput(options.output, remote.outputs);
    else if (located.local) output = localOutput(located.local, options.output);
    else
      throw new UserError(`--output ${options.output}: the run folder of ${runId} cannot be read`, {
        hint: located.problem ?? 'the run has not written a run folder yet',
      });
  }
  // Files of the harness record are read from a folder on this machine only.
  const localDir = remote ? undefined : located.local;
  const kind = kindOf(observation?.description.typedSearchAttributes.get(DkmvRunKind) ?? folder?.config?.kind);
  let harness: HarnessShow | undefined;
  if (kind === 'harness') {
    const view = asHarnessView(observation?.view) ?? readHarnessRecord(localDir);
    if (view) {
      harness = harnessShow(view, localDir);
      if (!observation) {
        // folder only: no result.json for a harness, its harness.json says how it ended
        base.status = view.status;
        base.cost_usd = view.costUsd;
        base.started_at = view.startedAt;
        if (view.endedAt) {
          base.ended_at = view.endedAt;
          base.duration_ms = Date.parse(view.endedAt) - Date.parse(view.startedAt);
        }
      }
      if (client && observation?.temporalStatus === 'RUNNING') await withLiveChildren(client, runId, harness.children);
    }
  }
  return {
    kind,
    ...base,
    ...(harness ? { harness } : {}),
    ...(live ? { live } : {}),
    outputs,
    ...(output ? { output } : {}),
    ...(localDir ? { run_dir: localDir } : {}),
    ...(remote ? { remote_folder: { host: remote.host, dir: remote.dir } } : {}),
    ...(located.problem ? { folder_problem: located.problem } : {}),
    ...(observation && options.webUi ? { web_ui: options.webUi(runId) } : {}),
    ...(folder?.config ? { config: folder.config } : {}),
    ...(observation ? { temporal_status: observation.temporalStatus } : {}),
    source: observation ? 'temporal' : 'folder',
  };
}
