// Wakes the follower when a run's history grows: a long poll on the workflow's history
// (GetWorkflowExecutionHistory with waitNewEvent), so each step, pause and the run's end are seen
// as they happen, with no status polling.
import type { Client } from '@temporalio/client';

export class HistoryWatch {
  private token: Uint8Array | undefined;
  private ended = false;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    private readonly runId: string,
    private readonly signal: AbortSignal,
    /** Wait before retrying after an error (the server went away): the follower then polls. */
    private readonly retryMs = 1000,
  ) {}

  /** True once the history is complete (the run closed): nothing more will come. */
  get done(): boolean {
    return this.ended;
  }

  /**
   * Resolves when new events arrived since the last call (at once for the history so far), or when
   * the history ended, or after an error (so the caller looks again), or when aborted. One poll is in
   * flight at a time: calling again before it resolved returns the same promise.
   */
  next(): Promise<void> {
    this.pending ??= this.poll().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /**
   * One long poll, under a signal of its own linked to the follower's: the client adds an abort
   * listener per call to the signal it is given, so reusing the follower's signal for every poll
   * would pile listeners onto it (Node's MaxListenersExceededWarning in the middle of progress).
   */
  private async longPoll() {
    const call = new AbortController();
    const forward = (): void => call.abort();
    this.signal.addEventListener('abort', forward, { once: true });
    try {
      return await this.client.withAbortSignal(call.signal, () =>
        this.client.workflowService.getWorkflowExecutionHistory({
          namespace: this.client.options.namespace,
          execution: { workflowId: this.runId },
          waitNewEvent: true,
          ...(this.token ? { nextPageToken: this.token } : {}),
        }),
      );
    } finally {
      this.signal.removeEventListener('abort', forward);
    }
  }

  private async poll(): Promise<void> {
    while (!this.ended && !this.signal.aborted) {
      try {
        const res = await this.longPoll();
        const token = res.nextPageToken;
        // An empty token: the history is complete (closed run).
        if (!token || token.length === 0) this.ended = true;
        else this.token = token;
        if ((res.history?.events?.length ?? 0) > 0 || this.ended) return;
        // The long poll timed out with nothing new: poll again.
      } catch {
        if (this.signal.aborted) return;
        await new Promise((r) => setTimeout(r, this.retryMs));
        return;
      }
    }
  }
}
