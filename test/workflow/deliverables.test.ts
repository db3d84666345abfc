// componentWorkflow's end-of-run deliverables check on the real dev server with stubbed activities:
// a missing required deliverable fails the run and names it; optional ones are only reported; the
// report reaches the status view. Runs without deliverables never call the activity.
// DKMV_RECORD_HISTORIES=1 (npm run record-histories) also saves a failed run's history for replay.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentRunInput, RunStatusView } from '../../core/engine/run-types.js';
import { componentWorkflow } from '../../workflows/index.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import { HISTORIES_DIR, historyToFileJson } from './history-files.js';
import { fakeActivities, fakeRun, planFixture, runInput, type HostScript } from './fakes.js';

const DELIVERING = {
  'component.yaml': `name: writer
deliverables:
  - docs/x.md
  - path: reports
    required: true
  - path: notes/extra.md
    required: false
tasks:
  - file: 01-write.yaml
`,
  '01-write.yaml': `name: write
prompt: Write the docs
`,
};

const PLAIN = {
  'component.yaml': `name: plain
tasks:
  - file: 01-write.yaml
`,
  '01-write.yaml': DELIVERING['01-write.yaml'],
};

const RECORD = process.env.DKMV_RECORD_HISTORIES === '1';

let worker: RunningWorker;
let client: Client;
let closeClient: () => Promise<void>;
let root: string;

beforeAll(async () => {
  worker = await startTestWorker({ activities: fakeActivities });
  ({ client, close: closeClient } = await testClient());
  root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-wf-deliv-'));
});

afterAll(async () => {
  await closeClient?.();
  await worker?.stop();
});

async function start(files: Record<string, string>, hosts: HostScript) {
  const id = `wf-deliv-${randomUUID().slice(0, 8)}`;
  const input = runInput(planFixture(root, id, files, id));
  const run = fakeRun(id, {}, hosts);
  const handle = await client.workflow.start(componentWorkflow, {
    workflowId: id,
    taskQueue: worker.target.taskQueue,
    args: [input] as [ComponentRunInput],
    workflowExecutionTimeout: '2 minutes',
  });
  return { handle, run };
}

async function saveHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (!RECORD) return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), historyToFileJson(await handle.fetchHistory()));
}

describe('componentWorkflow: deliverables checked at the end of the run', () => {
  it('all required deliverables present: completes with the report (a missing optional one listed)', async () => {
    const { handle, run } = await start(DELIVERING, { deliverablesPresent: ['docs/x.md', 'reports'] });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.deliverables).toEqual({
      present: ['docs/x.md', 'reports'],
      missing: [{ path: 'notes/extra.md', required: false }],
    });
    const trace = run.trace().filter((t) => t !== 'writeRunRecord');
    // checked after the last task, before the sandbox goes
    expect(trace.slice(-2)).toEqual(['checkDeliverables', 'destroySandbox']);
    expect(run.callsOf('checkDeliverables')[0]?.args[0]).toMatchObject({
      deliverables: [
        { path: 'docs/x.md', required: true },
        { path: 'reports', required: true },
        { path: 'notes/extra.md', required: false },
      ],
    });
  });

  it('a required deliverable missing: the run fails naming it, the sandbox is still removed', async () => {
    const { handle, run } = await start(DELIVERING, { deliverablesPresent: ['reports'] });
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(failure.type).toBe('RunFailed');
    expect(failure.message).toBe('deliverable docs/x.md was not produced by any task');
    const view = failure.details?.[0] as RunStatusView;
    expect(view.status).toBe('failed');
    expect(view.tasks.map((t) => t.status)).toEqual(['completed']);
    expect(view.deliverables?.missing).toEqual([
      { path: 'docs/x.md', required: true },
      { path: 'notes/extra.md', required: false },
    ]);
    expect(run.trace()).toContain('destroySandbox');
    await saveHistory('deliverables-missing', handle);
  });

  it('a component without deliverables never checks them', async () => {
    const { handle, run } = await start(PLAIN, {});
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.deliverables).toBeUndefined();
    expect(run.callsOf('checkDeliverables')).toEqual([]);
  });
});
