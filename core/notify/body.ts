// The request body for one webhook: Slack's shape for a Slack incoming webhook, the plain event
// otherwise, redacted with the given function (the worker's known secrets) before it leaves.
import { buildEvent } from './event.js';
import { slackBody } from './slack.js';
import { isSlackWebhook } from './targets.js';
import type { SendNotificationInput } from './types.js';

export function notificationBody(input: SendNotificationInput, redact: (text: string) => string): string {
  const event = buildEvent(input.facts, input.targets);
  const body = isSlackWebhook(input.url) ? slackBody(event) : event;
  return redact(JSON.stringify(body));
}
