// Sends a run's notifications (one sendNotification activity per webhook) without ever failing or
// holding the run: bounded retries, every failure swallowed and kept in the run's status, where
// `dkmv show` lists it. Runs without notify targets never ask for the patch, so histories recorded
// before notifications replay unchanged.
import { patched, proxyActivities } from '@temporalio/workflow';
import type * as activities from '../../activities/index.js';
import type { NotifyFacts, NotifyRecord, NotifyTargets } from '../../core/notify/types.js';
import { targetLabel } from '../../core/notify/targets.js';
import { summaryOption } from '../metadata/summaries.js';

export const NOTIFY_PATCH = 'notify-events';

function sender(summary: string) {
  return proxyActivities<typeof activities>({
    ...summaryOption(summary),
    startToCloseTimeout: '10 seconds',
    // All attempts of one notification: a dead endpoint is given up after this long.
    scheduleToCloseTimeout: '20 seconds',
    retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumAttempts: 3 },
  });
}

function messageOf(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause;
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}

export class Notifier {
  private constructor(
    private readonly targets: NotifyTargets,
    private readonly records: NotifyRecord[],
  ) {}

  /** A notifier for runs that name webhooks (checks the patch only then); else undefined. */
  static for(targets: NotifyTargets | undefined, records: () => NotifyRecord[]): Notifier | undefined {
    if (!targets?.urls.length || !patched(NOTIFY_PATCH)) return undefined;
    return new Notifier(targets, records());
  }

  /** Posts to every webhook; resolves once each is delivered or given up, never rejects. */
  send(facts: NotifyFacts | undefined): Promise<void> {
    if (!facts) return Promise.resolve();
    const { urls, ...links } = this.targets;
    const sends = urls.map((url) => {
      const target = targetLabel(url);
      return sender(`notify ${facts.event} → ${target}`)
        .sendNotification({ url, targets: links, facts })
        .then(
          () => this.records.push({ event: facts.event, target, ok: true }),
          (err: unknown) => this.records.push({ event: facts.event, target, ok: false, error: messageOf(err) }),
        );
    });
    return Promise.all(sends).then(() => undefined);
  }
}
