// `dkmv test` owns the run it started: Ctrl-C (SIGINT) and SIGTERM both cancel it, so no run is
// left paused or running with its container after the test process goes away.
import type { Client } from '@temporalio/client';

/** Cancels `runId` on SIGINT or SIGTERM; returns the function that removes the handlers. */
export function cancelOnSignals(client: Client, runId: string, log: (line: string) => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal === 'SIGTERM' ? 'terminated' : 'interrupted'}: cancelling the run ${runId}…`);
    void client.workflow
      .getHandle(runId)
      .cancel()
      .catch(() => undefined);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const s of signals) process.once(s, onSignal);
  return () => {
    for (const s of signals) process.removeListener(s, onSignal);
  };
}
