// A run folder that is not on this machine, read through Temporal: the run's history says which
// host's queue ran its sandbox (cli/runs/locate.ts); a short readRunRecordsWorkflow asks that
// host's worker for the records, the saved outputs and the log tail (bounded, see
// core/runs/remote-records.ts). When that host's worker does not answer, the caller gets a plain
// message saying which host and what to do, never a stack trace.
import { randomBytes } from 'node:crypto';
import type { TemporalClientLike } from '../temporal/client-like.js';
import { READ_RECORDS_WORKFLOW } from '../../core/engine/workflow-names.js';
import type { RunRecordsReply, RunRecordsRequest } from '../../core/runs/remote-records.js';

/** How long the run's host may take to pick the read up before it counts as gone. */
export const HOST_WAIT_SECONDS = 10;

export type RemoteRead = { ok: true; reply: RunRecordsReply } | { ok: false; message: string };

/** The host part of a host queue. */
export function hostOfQueue(queue: string): string {
  return queue.slice(queue.lastIndexOf('@') + 1);
}

/** Reads the run folder on the host behind `hostQueue`; a reader workflow on that host's queue family. */
export async function readRemoteRecords(
  client: TemporalClientLike,
  hostQueue: string,
  request: RunRecordsRequest,
  waitSeconds = HOST_WAIT_SECONDS,
): Promise<RemoteRead> {
  const host = hostOfQueue(hostQueue);
  const taskQueue = hostQueue.slice(0, hostQueue.lastIndexOf('@'));
  const gone =
    `host ${host}'s worker (queue ${hostQueue}) did not answer within ${waitSeconds} s: it is stopped or the host is gone. ` +
    `Start a worker there (DKMV_HOST_ID=${host}) to read the run folder; the summary above comes from Temporal.`;
  try {
    const reply = await client.workflow.execute(READ_RECORDS_WORKFLOW, {
      taskQueue,
      workflowId: `dkmv-read-records-${request.runId}-${randomBytes(3).toString('hex')}`,
      args: [{ hostQueue, request, waitSeconds }],
      // No worker on the shared queue either: give up instead of waiting for one.
      workflowExecutionTimeout: `${waitSeconds + 30} seconds`,
    });
    return { ok: true, reply: reply as RunRecordsReply };
  } catch (err) {
    // Loaded only now: a read that did not fail never needs the SDK's classes.
    const { TimeoutFailure, WorkflowFailedError, notPickedUp } = await import('../temporal/sdk-failures.js');
    if (err instanceof WorkflowFailedError) {
      if (notPickedUp(err)) return { ok: false, message: gone };
      if (err.cause instanceof TimeoutFailure)
        return {
          ok: false,
          message: `no dkmv worker answered on queue ${taskQueue} within ${waitSeconds + 30} s, so host ${host}'s run folder could not be read; start a worker (dkmv worker)`,
        };
      return {
        ok: false,
        message: `reading the run folder on host ${host} failed: ${err.cause?.message ?? err.message}`,
      };
    }
    return { ok: false, message: `reading the run folder on host ${host} failed: ${(err as Error).message}` };
  }
}

/** The line saying where a remote folder was read from. */
export function whereRead(reply: RunRecordsReply): string {
  return `${reply.host}:${reply.dir}`;
}
