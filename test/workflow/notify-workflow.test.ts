// Notifications from componentWorkflow on the real dev server (stubbed task activities, the real
// sendNotification activity against loopback receivers): the pause event carries the questions and
// the answer paths, the end event follows; a refusing or failing endpoint changes neither the
// outcome nor the pause, and its failure is kept in the run's status for `dkmv show`.
//
// DKMV_RECORD_HISTORIES=1 (npm run record-histories) saves two histories for replay.test.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendNotification } from '../../activities/notify/send-notification.js';
import type { ComponentRunInput, RunStatusView } from '../../core/engine/run-types.js';
import type { NotifyEvent } from '../../core/notify/index.js';
import { componentWorkflow, decideUpdate, statusQuery } from '../../workflows/index.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import { fakeActivities, fakeRun, planFixture, runInput, type TaskScript } from './fakes.js';
import { HISTORIES_DIR, historyToFileJson } from './history-files.js';
import { deadPort, startReceiver, type Receiver } from './webhook-receiver.js';

const RECORD = process.env.DKMV_RECORD_HISTORIES === '1';

const PAUSING = {
  'component.yaml': `name: asker
tasks:
  - file: 01-ask.yaml
    pause_after: true
  - file: 02-paint.yaml
`,
  '01-ask.yaml': `name: ask
prompt: Ask which colour
outputs:
  - path: questions.json
`,
  '02-paint.yaml': `name: paint
prompt: "Paint it {{ tasks.ask.answers.colour | default('unset') }}"
`,
};
const QUESTIONS = [{ id: 'colour', question: 'Which colour?', options: ['red', 'blue'], default: 'red' }];
const LINKS = { webUiUrl: 'http://127.0.0.1:8233', httpApiUrl: 'http://127.0.0.1:7243', namespace: 'default' };

let worker: RunningWorker;
let client: Client;
let closeClient: () => Promise<void>;
let root: string;
let receiver: Receiver;
let failing: Receiver;

beforeAll(async () => {
  worker = await startTestWorker({ activities: { ...fakeActivities, sendNotification } });
  ({ client, close: closeClient } = await testClient());
  root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-notify-wf-'));
  receiver = await startReceiver();
  failing = await startReceiver(500);
});

afterAll(async () => {
  await closeClient?.();
  await worker?.stop();
  await receiver?.close();
  await failing?.close();
});

async function start(
  urls: string[],
  scripts: Record<string, TaskScript>,
): Promise<WorkflowHandle<typeof componentWorkflow>> {
  const id = `wf-notify-${randomUUID().slice(0, 8)}`;
  const input: ComponentRunInput = runInput(planFixture(root, id, PAUSING, id), { notify: { urls, ...LINKS } });
  fakeRun(id, scripts);
  return client.workflow.start(componentWorkflow, {
    workflowId: id,
    taskQueue: worker.target.taskQueue,
    args: [input],
    workflowExecutionTimeout: '2 minutes',
  });
}

async function awaitingInput(handle: WorkflowHandle): Promise<RunStatusView> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = await handle.query(statusQuery);
    if (view.status === 'awaiting_input') return view;
    if (Date.now() > deadline) throw new Error('the run never paused');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function saveHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (!RECORD) return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), historyToFileJson(await handle.fetchHistory()));
}

const about = (runId: string, event: string) => (r: { body: Record<string, unknown> }) =>
  r.body.run_id === runId && r.body.event === event;

describe('componentWorkflow notifications', () => {
  it('posts the pause (questions, approve command, update payload, curl) and then the completion', async () => {
    const handle = await start([receiver.url], { ask: { questions: QUESTIONS, costUsd: 0.25 } });
    const paused = await receiver.waitFor(about(handle.workflowId, 'awaiting_input'), 'pause event');
    const event = paused.body as unknown as NotifyEvent;
    expect(event).toMatchObject({
      kind: 'component',
      component: handle.workflowId, // the fixture's folder name
      branch: 'feature/x',
      status: 'awaiting_input',
      cost_usd: 0.25,
      task: 'ask',
      questions: QUESTIONS,
      web_ui: `http://127.0.0.1:8233/namespaces/default/workflows/${handle.workflowId}`,
    });
    expect(event.answer?.approve).toBe(`dkmv approve ${handle.workflowId} --action continue --answer colour=red`);
    expect(event.answer?.curl).toContain(`/workflows/${handle.workflowId}/update/decide_validated`);

    // answered with the payload the notification names for the Web UI's update form
    await handle.executeUpdate(decideUpdate, { args: [JSON.parse(event.answer!.webUi.input)] });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    const done = await receiver.waitFor(about(handle.workflowId, 'completed'), 'completion event');
    expect(done.body).toMatchObject({ status: 'completed', cost_usd: 0.25 });
    expect(done.body.answer).toBeUndefined();
    expect(view.notifications).toEqual([
      { event: 'awaiting_input', target: new URL(receiver.url).origin, ok: true },
      { event: 'completed', target: new URL(receiver.url).origin, ok: true },
    ]);
    await saveHistory('notify-paused-completed', handle);
  });

  it('a refusing and a failing endpoint change neither the pause nor the outcome; show lists the failures', async () => {
    const dead = `http://127.0.0.1:${await deadPort()}/hook`;
    const handle = await start([dead, failing.url], { ask: { questions: QUESTIONS } });
    await awaitingInput(handle);
    // The decision is taken at once, while the pause's notifications are still being retried.
    await handle.executeUpdate(decideUpdate, { args: [{ action: 'continue', answers: { colour: 'blue' } }] });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.tasks.map((t) => t.status)).toEqual(['completed', 'completed']);
    expect(view.tasks[0]?.answers).toEqual({ colour: 'blue' });
    const records = view.notifications ?? [];
    expect(records).toHaveLength(4);
    expect(records.every((r) => !r.ok)).toBe(true);
    expect(records.map((r) => r.error).join('\n')).toMatch(/did not answer \(ECONNREFUSED\)/);
    expect(records.map((r) => r.error).join('\n')).toMatch(/answered HTTP 500/);
    // only hosts are named: a webhook's path stays out of the status
    expect(JSON.stringify(records)).not.toContain('/hook');
    expect(failing.received.filter(about(handle.workflowId, 'completed'))).toHaveLength(3); // retried, then given up
    await saveHistory('notify-endpoint-down', handle);
  });

  it('a failed run with a dead endpoint still fails as failed, with the failure event sent where it can be', async () => {
    const dead = `http://127.0.0.1:${await deadPort()}/hook`;
    const handle = await start([dead, receiver.url], { ask: { status: 'failed', error: 'model said no' } });
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failed = await receiver.waitFor(about(handle.workflowId, 'failed'), 'failure event');
    expect(failed.body).toMatchObject({ status: 'failed', error: 'task ask: model said no' });
    const view = await handle.query(statusQuery);
    expect(view.status).toBe('failed');
    expect(view.notifications?.map((r) => r.ok).sort()).toEqual([false, true]);
  });
});
