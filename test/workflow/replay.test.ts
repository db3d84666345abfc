// Replay: every committed history (test/workflow/histories/*.json, recorded by
// `npm run record-histories`) must replay against today's workflow bundle without a
// nondeterminism error. A failure here means a change to workflow code would break runs that are
// in flight: version it with patched()/deprecatePatch() instead, or, if no such run can exist,
// re-record the histories deliberately.
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../../workers/bundle.js';
import { committedHistories } from './history-files.js';

describe('replay of recorded componentWorkflow histories', () => {
  const histories = committedHistories();

  it('has the representative histories committed', () => {
    expect(histories.map((h) => h.name)).toEqual(
      expect.arrayContaining([
        'completed',
        'failed',
        'paused-continued',
        'sandbox-lost',
        'outputs-corrected',
        'host-lost',
        'dkmv-answered-outputs',
        // harness round 3: the CHECK gate's fix round and the REVIEW gate's review-fix attempts
        'harness-check-fixed',
        'harness-review-fixed',
      ]),
    );
  });

  it('replays every history with the current workflow bundle', async () => {
    const bundle = await workflowBundle();
    const results = Worker.runReplayHistories(
      { workflowBundle: bundle, replayName: 'dkmv-replay-test' },
      histories.map((h) => ({ workflowId: h.name, history: h.history })),
    );
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of results) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  });
});
