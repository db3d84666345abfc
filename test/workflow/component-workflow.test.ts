// componentWorkflow on the real dev server with stubbed activities: task order, fail fast, pause
// points and the decide signal/update, budgets, --start-task, lost containers, output correction,
// search attributes and memo. Plans come from small fixture components through the real loader.
//
// DKMV_RECORD_HISTORIES=1 (npm run record-histories) also saves the histories of a few
// representative runs to test/workflow/histories/ for replay.test.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentRunInput, Decision, RunStatusView } from '../../core/engine/run-types.js';
import { readRunMemo } from '../../core/temporal/payloads.js';
import {
  DkmvBranch,
  DkmvComponent,
  DkmvCostUsd,
  DkmvRepo,
  DkmvRunKind,
  DkmvStatus,
} from '../../core/temporal/search-attributes.js';
import { componentWorkflow, decideSignal, decideUpdate, statusQuery } from '../../workflows/index.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import { HISTORIES_DIR, historyToFileJson } from './history-files.js';
import {
  fakeActivities,
  fakeRun,
  planFixture,
  renderedPrompts,
  runInput,
  type HostScript,
  type TaskScript,
} from './fakes.js';

const RECORD = process.env.DKMV_RECORD_HISTORIES === '1';

const THREE_TASKS = {
  'component.yaml': `name: trio
tasks:
  - file: 01-a.yaml
  - file: 02-b.yaml
  - file: 03-c.yaml
`,
  '01-a.yaml': `name: a
prompt: Do a on {{ branch }}
outputs:
  - path: a.json
    save: true
`,
  '02-b.yaml': `name: b
commit: false
prompt: Do b
`,
  '03-c.yaml': `name: c
run: echo gate
`,
};

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

const QUESTIONS = [
  { id: 'colour', question: 'Which colour?', options: ['red', 'blue'], default: 'red' },
  { id: 'size', question: 'How big?', default: 'small' },
];

let worker: RunningWorker;
let client: Client;
let closeClient: () => Promise<void>;
let root: string;

beforeAll(async () => {
  worker = await startTestWorker({ activities: fakeActivities });
  ({ client, close: closeClient } = await testClient());
  root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-wf-test-'));
});

afterAll(async () => {
  await closeClient?.();
  await worker?.stop();
});

interface Started {
  id: string;
  handle: WorkflowHandle<typeof componentWorkflow>;
  run: ReturnType<typeof fakeRun>;
  input: ComponentRunInput;
}

async function start(
  files: Record<string, string>,
  scripts: Record<string, TaskScript> = {},
  extra: Partial<ComponentRunInput> = {},
  /** A decide signal delivered with the start (signalWithStart): handled before any task runs. */
  firstSignal?: Decision,
  hosts: HostScript = {},
): Promise<Started> {
  const id = `wf-test-${randomUUID().slice(0, 8)}`;
  const plan = planFixture(root, id, files, id);
  const input = runInput(plan, extra);
  const run = fakeRun(id, scripts, hosts);
  const options = {
    workflowId: id,
    taskQueue: worker.target.taskQueue,
    args: [input] as [ComponentRunInput],
    workflowExecutionTimeout: '2 minutes',
  };
  const handle = firstSignal
    ? await client.workflow.signalWithStart(componentWorkflow, {
        ...options,
        signal: decideSignal,
        signalArgs: [firstSignal],
      })
    : await client.workflow.start(componentWorkflow, options);
  return { id, handle, run, input };
}

/** The failure a run closes with: a RunFailed/RunAborted ApplicationFailure carrying the view. */
async function closedFailure(handle: WorkflowHandle): Promise<{ type: string | undefined; view: RunStatusView }> {
  const err = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  const failure = cause as ApplicationFailure;
  return { type: failure.type ?? undefined, view: failure.details?.[0] as RunStatusView };
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

async function awaitingInput(handle: WorkflowHandle): Promise<RunStatusView> {
  return waitFor(async () => {
    const view = await handle.query(statusQuery);
    return view.status === 'awaiting_input' ? view : undefined;
  }, 'the pause point');
}

async function saveHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (!RECORD) return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), historyToFileJson(history));
}

describe('componentWorkflow (stubbed activities, real server)', () => {
  it('runs tasks in order: prepare → agent/script → outputs → commit, then destroys the sandbox', async () => {
    const { handle, run } = await start(THREE_TASKS, {
      a: { costUsd: 0.12, turns: 3, outputs: { a: { ok: true } } },
      b: { costUsd: 0.05, turns: 2 },
    });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.tasks.map((t) => [t.id, t.status])).toEqual([
      ['a', 'completed'],
      ['b', 'completed'],
      ['c', 'completed'],
    ]);
    expect(view.costUsd).toBeCloseTo(0.17, 6);
    expect(view.tasks[0]).toMatchObject({ turns: 3, sessionId: 'sess-a', savedOutputs: ['.agent/a.json'] });
    const trace = run.trace().filter((t) => t !== 'writeRunRecord');
    expect(trace).toEqual([
      'createSandbox',
      'prepareTask:a',
      'runAgentTask:a',
      'checkOutputs:a',
      'commitTask:a',
      'prepareTask:b',
      'runAgentTask:b',
      'checkOutputs:b', // b has commit: false → no commitTask
      'prepareTask:c',
      'runScriptTask:c',
      'checkOutputs:c',
      'releaseContainer:c', // the last task: its container goes while git commits and pushes
      'commitTask:c',
      'destroySandbox',
    ]);
    // the rendered task c sees a's results through templates; b was given a's outputs
    const bPrepare = run.callsOf('prepareTask', 'b')[0]?.args[0] as { results: Record<string, unknown> };
    expect(bPrepare.results.a).toMatchObject({
      status: 'completed',
      cost: 0.12,
      turns: 3,
      outputs: { a: { ok: true } },
    });
    // saved outputs are force-added on commit
    const commitA = run.callsOf('commitTask', 'a')[0]?.args[0] as { forceAdd: string[]; message: string };
    expect(commitA).toMatchObject({ forceAdd: ['.agent/a.json'], message: 'dkmv: a' });
    // the final run record is written (in parallel with removing the sandbox)
    const finals = run.calls.filter((c) => c.name === 'writeRunRecord' && (c.args[0] as { final: boolean }).final);
    expect(finals).toHaveLength(1);
    expect(finals[0]).toMatchObject({ name: 'writeRunRecord', args: [{ final: true, status: 'completed' }] });
    await saveHistory('completed', handle);
  });

  it('sets search attributes and memo: run kind, component, branch, status, cost', async () => {
    const { handle, id, input } = await start(THREE_TASKS, { a: { costUsd: 0.25 }, b: { costUsd: 0.5 } });
    await handle.result();
    const description = await client.workflow.getHandle(id).describe();
    const attrs = description.typedSearchAttributes;
    expect(attrs.get(DkmvStatus)).toBe('completed');
    expect(attrs.get(DkmvCostUsd)).toBeCloseTo(0.75, 6);
    expect(attrs.get(DkmvComponent)).toBe(input.plan.component.name); // the component folder's name
    expect(attrs.get(DkmvRepo)).toBe('/tmp/repo.git');
    expect(attrs.get(DkmvBranch)).toBe('feature/x');
    expect(attrs.get(DkmvRunKind)).toBe('component');
    const memo = readRunMemo(description.memo);
    expect(memo?.status).toBe('completed');
    expect(memo?.costUsd).toBeCloseTo(0.75, 6);
    expect(memo?.tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'completed']);
  });

  it('fails fast: the first failed task marks the rest skipped and the run closes as failed with its view', async () => {
    const { handle, run, id } = await start(THREE_TASKS, {
      a: { costUsd: 0.1 },
      b: { status: 'failed', error: 'agent exited with code 1', costUsd: 0.2 },
    });
    const { type, view } = await closedFailure(handle);
    expect(type).toBe('RunFailed');
    expect(view.status).toBe('failed');
    expect(view.error).toContain('task b: agent exited with code 1');
    expect(view.tasks.map((t) => t.status)).toEqual(['completed', 'failed', 'skipped']);
    expect(view.tasks[1]?.error).toBe('agent exited with code 1');
    expect(view.costUsd).toBeCloseTo(0.3, 6);
    // nothing of c ran; b's partial work was committed (commit: false → no commit here); sandbox destroyed
    expect(run.callsOf('prepareTask', 'c')).toHaveLength(0);
    expect(run.callsOf('checkOutputs', 'b')).toHaveLength(0);
    expect(run.trace()).toContain('destroySandbox');
    const description = await client.workflow.getHandle(id).describe();
    expect(description.status.name).toBe('FAILED');
    expect(description.typedSearchAttributes.get(DkmvStatus)).toBe('failed');
    expect((description.memo?.dkmv as { status: string }).status).toBe('failed');
    await saveHistory('failed', handle);
  });

  it('commits partial work of a failed task that commits', async () => {
    const { handle, run } = await start(THREE_TASKS, { a: { status: 'timed_out' } });
    const { type, view } = await closedFailure(handle);
    expect(type).toBe('RunTimedOut');
    expect(view.status).toBe('timed_out');
    expect(view.tasks.map((t) => t.status)).toEqual(['timed_out', 'skipped', 'skipped']);
    const commit = run.callsOf('commitTask', 'a')[0]?.args[0] as { message: string };
    expect(commit.message).toBe('dkmv: a (timed_out, partial work)');
  });

  it('pause → decide: bad decisions are ignored (signal) or rejected (update); answers reach later tasks', async () => {
    const { handle, run, id } = await start(PAUSING, { ask: { questions: QUESTIONS } });
    const paused = await awaitingInput(handle);
    expect(paused.pending).toEqual({ taskId: 'ask', questions: QUESTIONS });
    expect(paused.tasks.map((t) => t.status)).toEqual(['completed', 'pending']);
    expect(paused.current?.phase).toMatch(/waiting for a decision/);
    expect((await client.workflow.getHandle(id).describe()).typedSearchAttributes.get(DkmvStatus)).toBe(
      'awaiting_input',
    );
    // no task activity runs while the run waits (run records are written in the background)
    const taskCalls = () => run.calls.filter((c) => c.name !== 'writeRunRecord').length;
    const callsWhilePaused = taskCalls();

    // an invalid signal is ignored and shown in status
    await handle.signal(decideSignal, { action: 'explode' } as never);
    const afterBad = await waitFor(async () => {
      const view = await handle.query(statusQuery);
      return view.lastDecisionError ? view : undefined;
    }, 'lastDecisionError');
    expect(afterBad.lastDecisionError).toMatch(/unknown action "explode"/);
    expect(afterBad.status).toBe('awaiting_input');
    await handle.signal(decideSignal, { action: 'continue', answers: { colour: 'green' } });
    await waitFor(async () => {
      const view = await handle.query(statusQuery);
      return view.lastDecisionError?.includes('must be one of') ? view : undefined;
    }, 'the second lastDecisionError');

    // the update rejects bad decisions back to the caller and leaves the run waiting
    await expect(
      handle.executeUpdate(decideUpdate, { args: [{ action: 'continue', answers: { nope: 'x' } }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(
      handle.executeUpdate(decideUpdate, { args: [{ action: 'continue', answers: { colour: 'green' } }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    expect((await handle.query(statusQuery)).status).toBe('awaiting_input');
    expect(taskCalls()).toBe(callsWhilePaused);

    // a good signal continues; unanswered questions take their default
    await handle.signal(decideSignal, { action: 'continue', answers: { colour: 'blue' } });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.lastDecisionError).toBeUndefined();
    expect(view.pending).toBeUndefined();
    expect(view.tasks[0]?.answers).toEqual({ colour: 'blue', size: 'small' });
    const paint = run.callsOf('prepareTask', 'paint')[0]?.args[0] as { results: Record<string, { answers?: unknown }> };
    expect(paint.results.ask?.answers).toEqual({ colour: 'blue', size: 'small' });
    expect(renderedPrompts.get(`${id}/paint`)).toBe('Paint it blue');
    await saveHistory('paused-continued', handle);
  });

  it('the decide update continues a paused run and returns the status', async () => {
    const { handle } = await start(PAUSING, { ask: { questions: QUESTIONS } });
    await awaitingInput(handle);
    const returned = await handle.executeUpdate(decideUpdate, {
      args: [{ action: 'continue', answers: { colour: 'red' } }],
    });
    expect(returned.status).toBe('awaiting_input'); // the snapshot taken as the decision is accepted
    const view = await handle.result();
    expect(view.tasks[0]?.answers).toEqual({ colour: 'red', size: 'small' });
  });

  it('a decision with no pause point waiting is ignored and explained', async () => {
    // an abort delivered with the start, before the pause point: the run must still stop there
    const { handle, run } = await start(PAUSING, { ask: { questions: QUESTIONS } }, {}, { action: 'abort' });
    const paused = await awaitingInput(handle);
    expect(paused.lastDecisionError).toBe('no pause point is waiting for a decision');
    expect(run.callsOf('prepareTask', 'paint')).toHaveLength(0);
    await handle.signal(decideSignal, { action: 'continue' });
    expect((await handle.result()).status).toBe('completed');
  });

  it('skip_remaining: later tasks are skipped and the run completes', async () => {
    const { handle, run } = await start(PAUSING, { ask: { questions: QUESTIONS } });
    await awaitingInput(handle);
    await handle.signal(decideSignal, { action: 'skip_remaining' });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.tasks.map((t) => t.status)).toEqual(['completed', 'skipped']);
    expect(run.callsOf('prepareTask', 'paint')).toHaveLength(0);
    expect(run.trace()).toContain('destroySandbox');
  });

  it('abort: later tasks are skipped and the run closes as aborted (status cancelled)', async () => {
    const { handle, run, id } = await start(PAUSING, { ask: { questions: QUESTIONS } });
    await awaitingInput(handle);
    await handle.signal(decideSignal, { action: 'abort' });
    const { type, view } = await closedFailure(handle);
    expect(type).toBe('RunAborted');
    expect(view.status).toBe('cancelled');
    expect(view.error).toBe('aborted at pause after ask');
    expect(view.tasks.map((t) => t.status)).toEqual(['completed', 'skipped']);
    expect(run.callsOf('prepareTask', 'paint')).toHaveLength(0);
    expect(run.trace()).toContain('destroySandbox');
    expect((await client.workflow.getHandle(id).describe()).typedSearchAttributes.get(DkmvStatus)).toBe('cancelled');
  });

  it("the last task's container is removed while git pushes, unless the run may pause after it or keeps it", async () => {
    const lastPauses = {
      'component.yaml': `name: lastpause
tasks:
  - file: 01-one.yaml
  - file: 02-two.yaml
    pause_after: true
`,
      '01-one.yaml': 'name: one\nprompt: one\n',
      '02-two.yaml': 'name: two\nprompt: two\n',
    };
    const auto = await start(lastPauses, {}, { auto: true });
    await auto.handle.result();
    expect(auto.run.trace().filter((t) => t.startsWith('releaseContainer'))).toEqual(['releaseContainer:two']);
    const kept = await start(lastPauses, {}, { auto: true, keepAlive: true });
    await kept.handle.result();
    expect(kept.run.callsOf('releaseContainer')).toEqual([]);
    const pausing = await start(lastPauses, {});
    await awaitingInput(pausing.handle);
    expect(pausing.run.callsOf('releaseContainer')).toEqual([]);
    await pausing.handle.signal(decideSignal, { action: 'continue', answers: {} });
    await pausing.handle.result();
    expect(pausing.run.callsOf('releaseContainer')).toEqual([]);
  });

  it('--auto skips pause points', async () => {
    const { handle } = await start(PAUSING, { ask: { questions: QUESTIONS } }, { auto: true });
    const view = await handle.result();
    expect(view.tasks.map((t) => t.status)).toEqual(['completed', 'completed']);
  });

  it('budgets: each task gets min(task limit, what remains); a spent budget fails the next task', async () => {
    const files = {
      'component.yaml': `name: spender
max_budget_usd: 1.0
tasks:
  - file: t.yaml
    max_budget_usd: 0.8
  - file: t.yaml
    max_budget_usd: 0.5
  - file: t.yaml
  - file: t.yaml
`,
      't.yaml': 'name: t\nprompt: spend\n',
    };
    const ids = ['t-1', 't-2', 't-3', 't-4'];
    const { handle, run, input } = await start(
      files,
      { 't-1': { costUsd: 0.7 }, 't-2': { costUsd: 0.3 } },
      { maxBudgetUsd: 1.0 },
    );
    expect(input.plan.tasks.map((t) => t.id)).toEqual(ids);
    const { view } = await closedFailure(handle);
    // what the workflow offered (what remains of the run cap) and what the agent got
    const offered = ids.map(
      (s) => (run.callsOf('prepareTask', s)[0]?.args[0] as { budgetUsd?: number } | undefined)?.budgetUsd,
    );
    expect(offered[0]).toBeCloseTo(1.0, 6);
    expect(offered[1]).toBeCloseTo(0.3, 6);
    expect(offered[2]).toBeCloseTo(0, 6);
    expect(offered[3]).toBeUndefined(); // never prepared
    const given = run
      .callsOf('runAgentTask')
      .map((c) => (c.args[0] as { task: { budgetUsd?: number } }).task.budgetUsd);
    expect(given).toHaveLength(2);
    expect(given[0]).toBeCloseTo(0.8, 6); // min(0.8, 1.0)
    expect(given[1]).toBeCloseTo(0.3, 6); // min(0.5, 0.3)
    expect(view.status).toBe('failed');
    expect(view.tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'failed', 'skipped']);
    expect(view.tasks[2]?.error).toMatch(/budget \(\$1\) is spent/);
    expect(view.costUsd).toBeCloseTo(1.0, 6);
  });

  it('--start-task: earlier tasks are pre-existing, their outputs read from the branch', async () => {
    const { handle, run } = await start(THREE_TASKS, { a: { outputs: { a: { from: 'branch' } } } }, { startTask: '2' });
    const view = await handle.result();
    expect(view.tasks.map((t) => t.status)).toEqual(['pre-existing', 'completed', 'completed']);
    expect(run.callsOf('runAgentTask', 'a')).toHaveLength(0);
    expect(run.callsOf('commitTask', 'a')).toHaveLength(0);
    const check = run.callsOf('checkOutputs', 'a')[0]?.args[0] as { save: boolean };
    expect(check.save).toBe(false);
    const b = run.callsOf('prepareTask', 'b')[0]?.args[0] as { results: Record<string, unknown> };
    expect(b.results.a).toEqual({ status: 'pre-existing', cost: 0, turns: 0, outputs: { a: { from: 'branch' } } });
  });

  it('--start-task by name, and an unknown one fails the run', async () => {
    const byName = await start(THREE_TASKS, {}, { startTask: 'c' });
    expect((await byName.handle.result()).tasks.map((t) => t.status)).toEqual([
      'pre-existing',
      'pre-existing',
      'completed',
    ]);
    const unknown = await start(THREE_TASKS, {}, { startTask: 'zzz' });
    const { view } = await closedFailure(unknown.handle);
    expect(view.error).toMatch(/--start-task zzz: no such task/);
    expect(view.tasks.map((t) => t.status)).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('SandboxLost: a new sandbox (generation + 1) is created and the task re-runs', async () => {
    const { handle, run, id } = await start(THREE_TASKS, { b: { sandboxLost: 1, costUsd: 0.1 } });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'completed']);
    const creates = run.callsOf('createSandbox').map((c) => (c.args[0] as { generation: number }).generation);
    expect(creates).toEqual([0, 1]);
    const destroyed = run.callsOf('destroySandbox').map((c) => (c.args[0] as { sandboxId: string }).sandboxId);
    expect(destroyed).toEqual([id, `${id}-g1`]); // the lost one, then the replacement at the end
    const bRuns = run
      .callsOf('runAgentTask', 'b')
      .map((c) => (c.args[0] as { sandbox: { sandboxId: string } }).sandbox.sandboxId);
    expect(bRuns).toEqual([id, `${id}-g1`]);
    expect(run.callsOf('prepareTask', 'b')).toHaveLength(2); // re-prepared in the new workspace
    expect(run.callsOf('runAgentTask', 'a')).toHaveLength(1); // pushed work is not redone
    const c = run.callsOf('runScriptTask', 'c')[0]?.args[0] as { sandbox: { sandboxId: string } };
    expect(c.sandbox.sandboxId).toBe(`${id}-g1`);
    expect(view.containerName).toBe(`dkmv-${id}-g1`);
    await saveHistory('sandbox-lost', handle);
  });

  it('a host whose worker never picks up its work is lost: a new sandbox on a live worker, the task re-runs', async () => {
    const { handle, run, id } = await start(THREE_TASKS, {}, { hostStartTimeoutSeconds: 2 }, undefined, {
      firstHostDead: true,
    });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'completed']);
    const creates = run.callsOf('createSandbox').map((c) => (c.args[0] as { generation: number }).generation);
    expect(creates).toEqual([0, 1]);
    // Nothing ran on the dead host; the removal queued there never ran either (nobody polls it).
    const prepared = run.callsOf('prepareTask').map((c) => (c.args[0] as { sandbox: { sandboxId: string } }).sandbox);
    expect(prepared.map((s) => s.sandboxId)).toEqual([`${id}-g1`, `${id}-g1`, `${id}-g1`]);
    const destroyed = run.callsOf('destroySandbox').map((c) => (c.args[0] as { sandboxId: string }).sandboxId);
    expect(destroyed).toEqual([`${id}-g1`]);
    expect(view.containerName).toBe(`dkmv-${id}-g1`);
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const activityOf = (scheduledId: unknown) =>
      events.find((e) => String(e.eventId) === String(scheduledId))?.activityTaskScheduledEventAttributes?.activityType
        ?.name;
    const timedOut = events
      .filter((e) => e.activityTaskTimedOutEventAttributes?.failure?.timeoutFailureInfo?.timeoutType === 2) // SCHEDULE_TO_START
      .map((e) => activityOf(e.activityTaskTimedOutEventAttributes?.scheduledEventId));
    // The task's work timed out once. A progress record and the removal of the lost sandbox, queued
    // on the dead host, time out too if the run is still going 2 s later (on a loaded machine).
    expect(timedOut.filter((name) => name !== 'writeRunRecord' && name !== 'destroySandbox')).toHaveLength(1);
    await saveHistory('host-lost', handle);
  });

  it('SandboxLost too often fails the task', async () => {
    const { handle, run } = await start(THREE_TASKS, { a: { sandboxLost: 5 } });
    const { view } = await closedFailure(handle);
    expect(view.tasks.map((t) => t.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(view.tasks[0]?.error).toMatch(/is gone/);
    expect(run.callsOf('createSandbox')).toHaveLength(3); // the first plus two replacements
  });

  it('missing outputs: one corrective resume of the same session, then success', async () => {
    const { handle, run } = await start(THREE_TASKS, {
      a: { outputsMissingUntilResumed: true, costUsd: 0.1, turns: 2 },
    });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    const aRuns = run
      .callsOf('runAgentTask', 'a')
      .map((c) => c.args[0] as { resume?: { sessionId: string; prompt: string } });
    expect(aRuns).toHaveLength(2);
    expect(aRuns[0]?.resume).toBeUndefined();
    expect(aRuns[1]?.resume?.sessionId).toBe('sess-a');
    expect(aRuns[1]?.resume?.prompt).toContain('.agent/out.json is missing');
    expect(run.callsOf('checkOutputs', 'a')).toHaveLength(2);
    expect(view.tasks[0]).toMatchObject({ status: 'completed', turns: 4 });
    expect(view.tasks[0]?.costUsd).toBeCloseTo(0.2, 6); // both sessions are paid for
    await saveHistory('outputs-corrected', handle);
  });

  it('outputs still missing after the corrective resume fail the task (only one resume)', async () => {
    const { handle, run } = await start(THREE_TASKS, { a: { outputsAlwaysMissing: true } });
    const { view } = await closedFailure(handle);
    expect(view.tasks[0]?.status).toBe('failed');
    expect(view.tasks[0]?.error).toBe('outputs: .agent/out.json is missing');
    expect(run.callsOf('runAgentTask', 'a')).toHaveLength(2);
    expect(run.callsOf('commitTask', 'a')).toHaveLength(0);
  });

  it('cancelling the workflow marks the run cancelled and still destroys the sandbox', async () => {
    const { handle, run } = await start(PAUSING, { ask: { questions: QUESTIONS } });
    await awaitingInput(handle);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    expect(run.trace()).toContain('destroySandbox');
    const final = run.callsOf('writeRunRecord').at(-1)?.args[0];
    expect(final).toEqual({ final: true, status: 'cancelled' });
  });
});
