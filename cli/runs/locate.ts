// Where a run's folder is, for `dkmv show` and `dkmv logs`: on this machine (the configured output
// folder, or the path the run was started with), else on the host whose worker ran the run's
// sandbox, read through Temporal (cli/runs/remote-records.ts). A folder here that holds only what
// the CLI wrote at the start (config.json) while a worker elsewhere writes the rest counts as remote.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TemporalClientLike } from '../temporal/client-like.js';
import type { ComponentRunInput } from '../../core/engine/run-types.js';
import type { RunRecordsReply, RunRecordsRequest } from '../../core/runs/remote-records.js';
import { hostOfQueue, readRemoteRecords, type LastPollAt } from './remote-records.js';

/** Files only the worker writes: a folder with none of them has not been written by a worker here. */
const WORKER_FILES = ['stream.jsonl', 'result.json', 'tasks_result.json', 'harness.json'];

export function hasWorkerRecords(dir: string): boolean {
  return WORKER_FILES.some((f) => existsSync(path.join(dir, f)));
}

export interface LocatedFolder {
  /** A folder on this machine (possibly only the CLI's config.json when `remote` is set too). */
  local?: string;
  /** What the host keeping the folder sent back. */
  remote?: RunRecordsReply;
  /** Why the run's folder could not be read (its host is gone, or the folder is not there). */
  problem?: string;
}

/** The run's input path and its last host queue, from one read of its history. */
async function fromHistory(
  client: TemporalClientLike,
  runId: string,
): Promise<{ runDir?: string; hostQueue?: string }> {
  try {
    const history = await client.workflow.getHandle(runId).fetchHistory();
    const events = history.events ?? [];
    const payload = events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const input = payload ? (defaultPayloadConverter.fromPayload(payload) as Partial<ComponentRunInput>) : undefined;
    let hostQueue: string | undefined;
    for (const e of events) {
      const name = e.activityTaskScheduledEventAttributes?.taskQueue?.name;
      if (name?.includes('@')) hostQueue = name;
    }
    return {
      ...(typeof input?.runDir === 'string' ? { runDir: input.runDir } : {}),
      ...(hostQueue ? { hostQueue } : {}),
    };
  } catch {
    return {};
  }
}

export interface LocateOptions {
  runId: string;
  outputDir: string;
  /** Given when Temporal knows the run: then a folder elsewhere can be read through its host. */
  client?: TemporalClientLike;
  /** What to ask a remote host for besides the records and the list of saved outputs. */
  want?: Pick<RunRecordsRequest, 'logTailBytes' | 'output'>;
  /** When a worker last polled a host's queue: tells a busy host from a gone one. */
  lastPollAt?: LastPollAt;
}

export async function locateRunFolder(options: LocateOptions): Promise<LocatedFolder> {
  const { runId, client } = options;
  const configured = path.join(options.outputDir, runId);
  if (hasWorkerRecords(configured)) return { local: configured };
  if (!client) return existsSync(configured) ? { local: configured } : {};
  const { runDir, hostQueue } = await fromHistory(client, runId);
  if (runDir && hasWorkerRecords(runDir)) return { local: runDir };
  const partial = [configured, runDir].find((d): d is string => Boolean(d && existsSync(d)));
  const local = partial ? { local: partial } : {};
  if (!hostQueue) return local; // no sandbox yet: no worker has written anything
  const request = { runId, runDir: runDir ?? configured, ...options.want };
  const read = await readRemoteRecords(client, hostQueue, request, options.lastPollAt);
  if (!read.ok) return { ...local, problem: read.message };
  if (!read.reply.found)
    return {
      ...local,
      problem:
        `the run folder of ${runId} is gone: host ${hostOfQueue(hostQueue)} has nothing at ${read.reply.dir} ` +
        '(deleted, or that worker now keeps run folders elsewhere); the summary comes from Temporal',
    };
  // Same path, and nothing written there yet either: a worker on this machine that has not
  // written its first record (follow the folder here). With records there, it is another machine.
  const nothingYet = read.reply.streamBytes === undefined && !read.reply.outputs.length;
  if (partial && nothingYet && path.resolve(read.reply.dir) === path.resolve(partial)) return { local: partial };
  return { ...local, remote: read.reply };
}
