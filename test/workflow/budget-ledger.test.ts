// The budget ledger on the real dev server: two runs of one project share a small daily ceiling.
// With on_budget_exhausted=fail the second run fails clearly before anything is spent; with wait it
// waits (durable timer) until the first run records what it spent, then runs on its grant. The
// ledger activities are the real ones (update-with-start on the ledger workflow); the run's other
// activities are stubs.
//
// DKMV_RECORD_HISTORIES=1 also saves the histories of a granted run and of the ledger for replay.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerGrant, ledgerRecord } from '../../activities/ledger/ledger-activities.js';
import type { ComponentRunInput, RunStatusView } from '../../core/engine/run-types.js';
import { ledgerWorkflowId, type OnBudgetExhausted } from '../../core/ledger/accounting.js';
import { ledgerQuery } from '../../workflows/ledger/workflow.js';
import { componentWorkflow, decideSignal, statusQuery } from '../../workflows/index.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import { fakeActivities, fakeRun, planFixture, runInput, type FakeRun } from './fakes.js';
import { HISTORIES_DIR, historyToFileJson } from './history-files.js';
import { clearOfUtcMidnight } from '../support/utc-day.js';

const RECORD = process.env.DKMV_RECORD_HISTORIES === '1';

const PAUSING = {
  'component.yaml': `name: spender
tasks:
  - file: 01-work.yaml
    pause_after: true
  - file: 02-more.yaml
`,
  '01-work.yaml': `name: work
prompt: Work
`,
  '02-more.yaml': `name: more
prompt: More
`,
};

let worker: RunningWorker;
let client: Client;
let closeClient: () => Promise<void>;
let root: string;

beforeAll(async () => {
  // Both runs of a test must ask the ledger on the same UTC day.
  await clearOfUtcMidnight(2 * 60_000);
  worker = await startTestWorker({ activities: { ...fakeActivities, ledgerGrant, ledgerRecord } });
  ({ client, close: closeClient } = await testClient());
  root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-ledger-test-'));
}, 300_000);

afterAll(async () => {
  await closeClient?.();
  await worker?.stop();
});

interface Started {
  handle: WorkflowHandle<typeof componentWorkflow>;
  run: FakeRun;
}

async function start(project: string, onExhausted: OnBudgetExhausted, auto: boolean): Promise<Started> {
  const id = `ledger-test-${randomUUID().slice(0, 8)}`;
  const plan = planFixture(root, id, PAUSING, id);
  const input: ComponentRunInput = runInput(plan, {
    auto,
    maxBudgetUsd: 0.6,
    ledger: { project, dailyCeilingUsd: 1, onExhausted, grantUsd: 0.6, waitSeconds: 1 },
  });
  const run = fakeRun(id, { work: { costUsd: 0.2, turns: 2 }, more: { costUsd: 0.1, turns: 1 } });
  const handle = await client.workflow.start(componentWorkflow, {
    workflowId: id,
    taskQueue: worker.target.taskQueue,
    args: [input],
    workflowExecutionTimeout: '2 minutes',
  });
  return { handle, run };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const paused = (h: WorkflowHandle<typeof componentWorkflow>) =>
  waitFor(async () => {
    const v = await h.query(statusQuery);
    return v.status === 'awaiting_input' ? v : undefined;
  }, 'the pause point');

async function ledgerDay(project: string) {
  const state = await client.workflow.getHandle(ledgerWorkflowId(project)).query(ledgerQuery);
  const days = Object.values(state.days);
  expect(days).toHaveLength(1);
  return days[0]!;
}

async function save(name: string, handle: WorkflowHandle): Promise<void> {
  if (!RECORD) return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), historyToFileJson(await handle.fetchHistory()));
}

describe('budget ledger: two concurrent runs, a $1 daily ceiling, $0.60 grants', () => {
  it('fail: the second run fails clearly before spending; the first settles what it spent', async () => {
    const project = `p-${randomUUID().slice(0, 8)}`;
    const first = await start(project, 'fail', false);
    await paused(first.handle); // holds its $0.60 grant while waiting for a decision
    expect((await first.handle.query(statusQuery)).maxBudgetUsd).toBe(0.6);
    expect(await ledgerDay(project)).toMatchObject({ reservedUsd: 0.6, spentUsd: 0 });

    const second = await start(project, 'fail', true);
    const err = await second.handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = (err as WorkflowFailedError).cause as ApplicationFailure;
    const view = failure.details?.[0] as RunStatusView;
    expect(view.status).toBe('failed');
    expect(view.error).toMatch(
      /the daily budget is exhausted: \$0\.60 of \$1\.00 used or reserved on \d{4}-\d{2}-\d{2} \(UTC\), \$0\.40 left, this run needs \$0\.60/,
    );
    expect(view.error).toContain('on_budget_exhausted=wait');
    expect(view.costUsd).toBe(0);
    expect(second.run.calls.map((c) => c.name)).not.toContain('createSandbox'); // nothing started

    await first.handle.signal(decideSignal, { action: 'continue', answers: {} });
    const done = await first.handle.result();
    expect(done.costUsd).toBeCloseTo(0.3, 6);
    expect(await ledgerDay(project)).toMatchObject({ reservedUsd: 0, spentUsd: 0.3 });
    await save('ledger-granted', first.handle);
    await save('ledger-entity', client.workflow.getHandle(ledgerWorkflowId(project)));
  });

  it('wait: the second run waits until the first records its spend, then runs on its grant', async () => {
    const project = `p-${randomUUID().slice(0, 8)}`;
    const first = await start(project, 'wait', false);
    await paused(first.handle);
    const second = await start(project, 'wait', true);
    const waiting = await waitFor(async () => {
      const v = await second.handle.query(statusQuery);
      return v.current?.phase.startsWith('waiting for the daily budget') ? v : undefined;
    }, 'the second run to wait');
    expect(waiting.current?.phase).toMatch(/\$0\.40 of \$1\.00 left/);
    expect(second.run.calls.map((c) => c.name)).not.toContain('createSandbox');

    await first.handle.signal(decideSignal, { action: 'continue', answers: {} });
    expect((await first.handle.result()).status).toBe('completed');
    const view = await second.handle.result();
    expect(view.status).toBe('completed');
    expect(view.maxBudgetUsd).toBe(0.6);
    expect(second.run.calls.map((c) => c.name)).toContain('createSandbox');
    // Both settled: 0.3 each, nothing reserved.
    expect(await ledgerDay(project)).toMatchObject({ reservedUsd: 0, spentUsd: 0.6 });
  });
});
