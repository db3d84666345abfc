// A run folder that is not on this machine, read through Temporal: the run's history says which
// host's queue ran its sandbox (cli/runs/locate.ts); a short readRunRecordsWorkflow asks that
// host's worker for the records, the saved outputs and the log tail (bounded, see
// core/runs/remote-records.ts). When that host's worker does not answer, the caller gets a plain
// message saying which host and what to do, never a stack trace; when a worker polled that host's
// queue a moment ago, the message says the host may only be busy or restarting, not gone.
import { randomBytes } from 'node:crypto';
import type { TemporalClientLike } from '../temporal/client-like.js';
import type { TemporalSession } from '../temporal/connection.js';
import { READ_RECORDS_WORKFLOW } from '../../core/engine/workflow-names.js';
import type { RunRecordsReply, RunRecordsRequest } from '../../core/runs/remote-records.js';

/** How long the run's host may take to pick the read up before it counts as gone. */
export const HOST_WAIT_SECONDS = 10;

/** A poll longer ago than this does not show a live worker (an idle one polls at least every minute). */
const LIVE_POLL_MS = 70_000;

export type RemoteRead = { ok: true; reply: RunRecordsReply } | { ok: false; message: string };

/** When a worker last polled a queue for activities (ms since the epoch), if the server knows. */
export type LastPollAt = (queue: string) => Promise<number | undefined>;

/** `lastPollAt` from a session: the newest activity poll of the queue the server remembers. */
export function lastPollFrom(session: Pick<TemporalSession, 'pollers'>): LastPollAt {
  return async (queue) => {
    const polls = (await session.pollers(queue, 'activity')).map((p) => p.at).filter((at) => at > 0);
    return polls.length ? Math.max(...polls) : undefined;
  };
}

/** The message for a host whose worker did not pick the read up; `polledAgoMs` from its queue's pollers. */
export function notAnswered(hostQueue: string, waitSeconds: number, polledAgoMs?: number): string {
  const host = hostOfQueue(hostQueue);
  const silent = `host ${host}'s worker (queue ${hostQueue}) did not answer within ${waitSeconds} s`;
  const start = `Start a worker there (DKMV_HOST_ID=${host}) to read the run folder; the summary above comes from Temporal.`;
  if (polledAgoMs !== undefined && polledAgoMs <= LIVE_POLL_MS)
    return (
      `${silent}, though a worker polled that queue ${Math.max(0, Math.round(polledAgoMs / 1000))} s ago: ` +
      `it may be busy or restarting; try again in a moment. If it stays silent, check that host's worker (\`dkmv status\` there). ${start}`
    );
  return `${silent}: it is stopped or the host is gone. ${start}`;
}

/** The host part of a host queue. */
export function hostOfQueue(queue: string): string {
  return queue.slice(queue.lastIndexOf('@') + 1);
}

/** Reads the run folder on the host behind `hostQueue`; a reader workflow on that host's queue family. */
export async function readRemoteRecords(
  client: TemporalClientLike,
  hostQueue: string,
  request: RunRecordsRequest,
  lastPollAt?: LastPollAt,
): Promise<RemoteRead> {
  const host = hostOfQueue(hostQueue);
  const taskQueue = hostQueue.slice(0, hostQueue.lastIndexOf('@'));
  try {
    const reply = await client.workflow.execute(READ_RECORDS_WORKFLOW, {
      taskQueue,
      workflowId: `dkmv-read-records-${request.runId}-${randomBytes(3).toString('hex')}`,
      args: [{ hostQueue, request, waitSeconds: HOST_WAIT_SECONDS }],
      // No worker on the shared queue either: give up instead of waiting for one.
      workflowExecutionTimeout: `${HOST_WAIT_SECONDS + 30} seconds`,
    });
    return { ok: true, reply: reply as RunRecordsReply };
  } catch (err) {
    // Loaded only now: a read that did not fail never needs the SDK's classes.
    const { TimeoutFailure, WorkflowFailedError, notPickedUp } = await import('../temporal/sdk-failures.js');
    if (err instanceof WorkflowFailedError) {
      if (notPickedUp(err)) {
        const polledAt = await lastPollAt?.(hostQueue).catch(() => undefined);
        return {
          ok: false,
          message: notAnswered(hostQueue, HOST_WAIT_SECONDS, polledAt ? Date.now() - polledAt : undefined),
        };
      }
      if (err.cause instanceof TimeoutFailure)
        return {
          ok: false,
          message: `no dkmv worker answered on queue ${taskQueue} within ${HOST_WAIT_SECONDS + 30} s, so host ${host}'s run folder could not be read; start a worker (dkmv worker)`,
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
