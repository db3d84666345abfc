// componentWorkflow with stubbed activities: DKMV's pause answers and run records. The answers are
// delivered (deliverAnswers, with the asking task's outputs) right after the decision; DKMV's qa
// menu answer and pause-response shape act as DKMV's CLI makes them act; the lifecycle events
// reach the run-record activity in order, task_start before the task's first activity.
//
// DKMV_RECORD_HISTORIES=1 (npm run record-histories) also saves a history of a paused run with
// these records (`dkmv-records-paused`) and one whose answered output reaches the next task
// (`dkmv-answered-outputs`) for replay.test.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliverAnswersInput } from '../../core/engine/activity-types.js';
import type { Decision, RunStatusView } from '../../core/engine/run-types.js';
import { componentWorkflow, decideSignal, statusQuery } from '../../workflows/index.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import { HISTORIES_DIR, historyToFileJson } from './history-files.js';
import { fakeActivities, fakeRun, planFixture, renderedPrompts, runInput, type TaskScript } from './fakes.js';

const PAUSING = {
  'component.yaml': `name: asker
tasks:
  - file: 01-analyze.yaml
    pause_after: true
  - file: 02-plan.yaml
`,
  '01-analyze.yaml': `name: analyze
description: Analyze and ask
prompt: Analyze
outputs:
  - path: analysis.json
    save: true
  - path: notes.md
`,
  '02-plan.yaml': `name: plan
prompt: "Plan with {{ tasks.analyze.answers.db | default('unset') }}{% for q in (tasks.analyze.outputs.analysis.questions | default([])) %}; decided {{ q.id }}={{ q.user_answer | default('none') }}{% endfor %}"
`,
};

const QUESTIONS = [{ id: 'db', question: 'Which database?', options: ['postgres', 'sqlite'], default: 'sqlite' }];

let worker: RunningWorker;
let client: Client;
let closeClient: () => Promise<void>;
let root: string;

beforeAll(async () => {
  worker = await startTestWorker({ activities: fakeActivities });
  ({ client, close: closeClient } = await testClient());
  root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-wf-answers-'));
});

afterAll(async () => {
  await closeClient?.();
  await worker?.stop();
});

async function start(scripts: Record<string, TaskScript>, questions = QUESTIONS) {
  const id = `wf-answers-${randomUUID().slice(0, 8)}`;
  const plan = planFixture(root, id, PAUSING, id);
  const run = fakeRun(id, { analyze: { questions }, ...scripts });
  const handle = await client.workflow.start(componentWorkflow, {
    workflowId: id,
    taskQueue: worker.target.taskQueue,
    args: [runInput(plan)],
    workflowExecutionTimeout: '2 minutes',
  });
  return { id, handle, run };
}

async function paused(handle: WorkflowHandle): Promise<RunStatusView> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = await handle.query(statusQuery);
    if (view.status === 'awaiting_input') return view;
    if (Date.now() > deadline) throw new Error('the run never paused');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function decide(handle: WorkflowHandle, decision: Decision): Promise<RunStatusView> {
  await paused(handle);
  await handle.signal(decideSignal, decision);
  return (await handle.result()) as RunStatusView;
}

describe('DKMV answers and records in componentWorkflow', () => {
  it('delivers the answers right after the decision, with the asking task and its outputs', async () => {
    const { handle, run } = await start({});
    const view = await decide(handle, { action: 'continue', answers: { db: 'postgres' } });
    expect(view.status).toBe('completed');
    const trace = run.trace().filter((t) => t !== 'writeRunRecord');
    expect(trace.indexOf('deliverAnswers:analyze')).toBe(trace.indexOf('commitTask:analyze') + 1);
    expect(trace.indexOf('prepareTask:plan')).toBeGreaterThan(trace.indexOf('deliverAnswers:analyze'));
    const delivered = run.callsOf('deliverAnswers', 'analyze')[0]!.args[0] as DeliverAnswersInput;
    expect(delivered).toMatchObject({
      taskId: 'analyze',
      taskName: 'analyze',
      outputs: ['.agent/analysis.json', '.agent/notes.md'],
      answers: { db: 'postgres' },
      action: 'continue',
    });
    expect(view.tasks[0]?.answers).toEqual({ db: 'postgres' });
  });

  it('later templates read the answered output (questions[].user_answer), as DKMV renders its plan prompt', async () => {
    const analysis = { questions: [{ id: 'db', question: 'Which database?' }] };
    const { handle, id } = await start({ analyze: { questions: QUESTIONS, outputs: { analysis } } });
    const view = await decide(handle, { action: 'continue', answers: { db: 'postgres' } });
    expect(view.status).toBe('completed');
    expect(renderedPrompts.get(`${id}/plan`)).toBe('Plan with postgres; decided db=postgres');
    await saveHistory('dkmv-answered-outputs', handle, id);
  });

  it('records lifecycle events in order, each once, task_start before the task runs', async () => {
    const { handle, run, id } = await start({});
    const view = await decide(handle, { action: 'continue' });
    // Record writes run concurrently (fire-and-forget): progress writes hand over each event once,
    // in order, and the final write hands over all of them again (the activity dedupes by seq).
    const progress = run.lifecycle.filter((e) => !e.final).sort((a, b) => a.seq - b.seq);
    const events = run.lifecycle.filter((e) => e.final);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(progress.map((e) => e.type)).toEqual(events.slice(0, progress.length).map((e) => e.type));
    expect(progress.map((e) => e.seq)).toEqual(progress.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual([
      'run_started',
      'task_start',
      'task_completed',
      'pause_requested',
      'pause_resolved',
      'task_start',
      'task_completed',
      'run_completed',
    ]);
    // The pause is recorded while the run waits (not only when it goes on).
    expect(progress.find((e) => e.type === 'pause_requested')?.status).toBe('awaiting_input');
    // task_start is handed over while the task runs, before it ends.
    expect(progress.filter((e) => e.type === 'task_start').map((e) => e.status)).toEqual(['running', 'running']);
    expect(view.tasks.map((t) => t.description)).toEqual(['Analyze and ask', undefined]);
    expect(view.featureName).toBeDefined();
    await saveHistory('dkmv-records-paused', handle, id);
  });

  it("DKMV's qa menu: --answer action=ship skips the rest (ship as-is), action=abort aborts, action=fix goes on", async () => {
    const ship = await start({}, []);
    const shipped = await decide(ship.handle, { action: 'continue', answers: { action: 'ship' } });
    expect(shipped.status).toBe('completed');
    expect(shipped.tasks.map((t) => t.status)).toEqual(['completed', 'skipped']);
    const delivered = ship.run.callsOf('deliverAnswers', 'analyze')[0]!.args[0] as DeliverAnswersInput;
    expect(delivered).toMatchObject({ answers: { action: 'ship' }, action: 'skip_remaining' });

    const fix = await start({}, []);
    const fixed = await decide(fix.handle, { action: 'continue', answers: { action: 'fix' } });
    expect(fixed.tasks.map((t) => t.status)).toEqual(['completed', 'completed']);

    const abort = await start({}, []);
    await paused(abort.handle);
    await abort.handle.signal(decideSignal, { action: 'continue', answers: { action: 'abort' } });
    const failure = await abort.handle.result().catch((e: unknown) => e);
    expect(String((failure as Error).message)).toMatch(/workflow execution failed/i);
    const view = await abort.handle.query(statusQuery);
    expect(view.status).toBe('cancelled');
    expect(abort.run.callsOf('prepareTask', 'plan')).toHaveLength(0);
  });

  it("DKMV's pause response shape {answers, skip_remaining: true} (no action) skips the rest", async () => {
    const { handle } = await start({});
    const view = await decide(handle, { answers: { db: 'sqlite' }, skip_remaining: true });
    expect(view.status).toBe('completed');
    expect(view.tasks.map((t) => t.status)).toEqual(['completed', 'skipped']);
    expect(view.tasks[0]?.answers).toEqual({ db: 'sqlite' });
  });
});

async function saveHistory(name: string, handle: WorkflowHandle, _id: string): Promise<void> {
  if (process.env.DKMV_RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), historyToFileJson(history));
}
