// readRunRecords: serves a run folder kept on this worker's host to a CLI on another machine — the
// records, the list of saved outputs, one saved output and the tail of the agent stream, each within
// RECORD_LIMITS. Scheduled on this host's queue by readRunRecordsWorkflow. Read-only.
import os from 'node:os';
import { readRunRecordsAt, type RunRecordsReply, type RunRecordsRequest } from '../../core/runs/remote-records.js';
import { localRunDir } from '../engine/run-folder.js';
import { redactSecrets, workerCredentials } from '../engine/secrets.js';

/** The host this worker answers for (the `<host>` of its queue `<queue>@<host>`). */
function hostId(): string {
  return process.env.DKMV_HOST_ID || process.env.HOSTNAME || os.hostname();
}

export async function readRunRecords(request: RunRecordsRequest): Promise<RunRecordsReply> {
  await workerCredentials(); // so the reply is redacted against this worker's secrets
  const reply = readRunRecordsAt(localRunDir(request.runDir), hostId(), request);
  // Run folders are redacted when written; redact again so a file written some other way cannot
  // carry one of this worker's secrets into the reader's history.
  if (reply.log) reply.log.text = redactSecrets(reply.log.text);
  if (reply.output) reply.output.text = redactSecrets(reply.output.text);
  if (reply.folder) reply.folder = JSON.parse(redactSecrets(JSON.stringify(reply.folder))) as typeof reply.folder;
  return reply;
}
