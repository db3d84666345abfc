// readRunRecordsWorkflow: how a CLI on another machine reads a run folder. The folder lives on the
// host whose worker ran the run's sandbox; this short workflow schedules the bounded readRunRecords
// activity on that host's queue and returns what it read. A host whose worker does not pick it up
// within `waitSeconds` is reported as gone (the schedule-to-start timeout), nothing is retried.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../../activities/index.js';
import type { RunRecordsReply, RunRecordsRequest } from '../../core/runs/remote-records.js';

export interface ReadRunRecordsInput {
  /** The run's host queue (`<queue>@<host>`). */
  hostQueue: string;
  request: RunRecordsRequest;
  /** How long the host's worker may take to pick the read up. */
  waitSeconds: number;
}

export async function readRunRecordsWorkflow(input: ReadRunRecordsInput): Promise<RunRecordsReply> {
  const { readRunRecords } = proxyActivities<typeof activities>({
    taskQueue: input.hostQueue,
    scheduleToStartTimeout: `${input.waitSeconds} seconds`,
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 1 },
  });
  return await readRunRecords(input.request);
}
