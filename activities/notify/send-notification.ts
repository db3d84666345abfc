// Posts one run notification to one webhook. Short per-attempt timeout; a refused, slow or failing
// endpoint throws (Temporal retries within the workflow's bounds), naming only the endpoint's host.
// The body is redacted against the worker's secrets before it leaves the machine.
import { ApplicationFailure } from '@temporalio/activity';
import { notificationBody, targetLabel, type SendNotificationInput } from '../../core/notify/index.js';
import { redactSecrets, workerCredentials } from '../engine/secrets.js';

/** One attempt may take this long (the workflow's schedule-to-close bounds all attempts). */
export const NOTIFY_ATTEMPT_MS = 5000;

export async function sendNotification(input: SendNotificationInput): Promise<{ status: number }> {
  await workerCredentials(); // so the worker's secrets are known to the redaction
  const body = notificationBody(input, redactSecrets);
  const target = targetLabel(input.url);
  let res: Response;
  try {
    res = await fetch(input.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'dkmv-notify' },
      body,
      signal: AbortSignal.timeout(NOTIFY_ATTEMPT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw ApplicationFailure.retryable(`${target} did not answer (${cause})`, 'NotifyUnreachable');
  }
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw ApplicationFailure.retryable(`${target} answered HTTP ${res.status}`, 'NotifyRejected');
  return { status: res.status };
}
