// harnessWorkflow on the real dev server: real componentWorkflow children (their sandbox and agent
// activities faked; each child's commit writes scripted files to its branch), real git landing with
// the structural merge. Covers the happy path, Gate 1 retry, an ownership violation fed back, a
// landing conflict re-dispatched, a blocked unit, budget exhaustion, --review-plan and continue.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPlan } from '../../core/harness/gate1.js';
import { generatorChildId, plannerChildId, childRunId } from '../../core/harness/ids.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import type { HarnessInput, HarnessView } from '../../core/harness/types.js';
import { DkmvRunKind } from '../../core/temporal/search-attributes.js';
import { listRuns } from '../../cli/runs/list.js';
import { gatherRun } from '../../cli/runs/show.js';
import { decideUpdate, harnessStatusQuery, harnessWorkflow } from '../../workflows/index.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import { makeBareRepo } from '../support/e2e.js';
import { fixturePlan } from '../unit/harness/fixture-plan.js';
import { fakeRun, renderedPrompts, type TaskScript } from './fakes.js';
import { HISTORIES_DIR, historyToFileJson } from './history-files.js';
import { childEdits, derivedLockfile, forcedConflicts, harnessTestActivities, type Edit } from './harness-fakes.js';
import { sendNotification } from '../../activities/notify/send-notification.js';
import type { NotifyEvent } from '../../core/notify/index.js';
import { startReceiver } from './webhook-receiver.js';

// DKMV_RECORD_HISTORIES=1 also saves representative harness histories for replay.test.ts.
const RECORD = process.env.DKMV_RECORD_HISTORIES === '1';

async function saveHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (!RECORD) return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), historyToFileJson(await handle.fetchHistory()));
}

const HOME = path.resolve(import.meta.dirname, '../..');
const WIDGETS = `// Widgets.\n\nexport function el(tag) {\n  return document.createElement(tag);\n}\n`;
const COUNTER = `\nexport function createCounter() {\n  return el('section');\n}\n`;
const TODO = `\nexport function createTodo() {\n  return el('ul');\n}\n`;
const APP = `import { createCounter, createTodo } from './widgets.js';\n\nexport function main(root) {\n  root.append(createCounter(), createTodo());\n}\n`;

let worker: RunningWorker;
let client: Client;
let closeClient: () => Promise<void>;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-harness-wf-'));
  process.env.DKMV_HARNESS_DIR = path.join(root, 'landing');
  worker = await startTestWorker({ activities: { ...harnessTestActivities, sendNotification } });
  ({ client, close: closeClient } = await testClient());
});

afterAll(async () => {
  await closeClient?.();
  await worker?.stop();
});

const validPlan = (): Record<string, unknown> => fixturePlan();

interface Child {
  script?: TaskScript;
  edits?: Record<string, Edit>;
}

const append =
  (text: string): Edit =>
  (old) =>
    `${old ?? ''}${text}`;

const UNIT_WORK: Record<string, Record<string, Edit>> = {
  'WU-01': {
    'server.mjs': '// server\n',
    'package.json': '{}\n',
    'public/index.html': '<main id="app"></main>\n',
    'public/app.js': APP,
  },
  'WU-02': { 'public/widgets.js': append(COUNTER) },
  'WU-03': { 'public/widgets.js': append(TODO) },
};

function register(runId: string, children: Record<string, Child>): void {
  for (const [suffix, child] of Object.entries(children)) {
    const id = `${runId}/${suffix}`;
    const slot = suffix.startsWith('plan/') ? 'plan' : 'build';
    fakeRun(id, { [slot]: child.script ?? { costUsd: 0.01, turns: 2 } });
    if (child.edits) childEdits.set(id, child.edits);
  }
}

function plannerWrites(plan: unknown): Child {
  return { edits: { '.agent/plan.json': JSON.stringify(plan) } };
}

function happyChildren(): Record<string, Child> {
  return {
    'plan/a1': plannerWrites(validPlan()),
    'gen/WU-01/r1a1': { edits: UNIT_WORK['WU-01'] },
    'gen/WU-02/r1a1': { edits: UNIT_WORK['WU-02'] },
    'gen/WU-03/r1a1': { edits: UNIT_WORK['WU-03'] },
  };
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

async function start(
  children: Record<string, Child>,
  extra: Partial<HarnessInput> = {},
): Promise<{ runId: string; repo: string; handle: WorkflowHandle<typeof harnessWorkflow> }> {
  const runId = `260101-0000-harness-wf-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(path.join(root, 'repo-'));
  const repo = makeBareRepo(dir, { 'README.md': '# tiny\n', 'public/widgets.js': WIDGETS });
  register(runId, children);
  const input: HarnessInput = {
    runId,
    prompt: 'Build a counter and a todo list',
    repo,
    branch: 'feat/tiny',
    image: 'dkmv-sandbox:latest',
    memory: '2g',
    runDir: path.join(root, 'runs', runId),
    projectRoot: root,
    maxParallel: 5,
    reviewPlan: false,
    roles: { planner: {}, generator: {} },
    layers: { config: {}, default: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 10, timeout_minutes: 5 } },
    roleDirs: {
      planner: path.join(HOME, 'components/harness/planner'),
      generator: path.join(HOME, 'components/harness/generator'),
    },
    ...extra,
  };
  const handle = await client.workflow.start(harnessWorkflow, {
    workflowId: runId,
    taskQueue: worker.target.taskQueue,
    args: [input],
    workflowExecutionTimeout: '3 minutes',
  });
  return { runId, repo, handle };
}

async function failedView(handle: WorkflowHandle): Promise<HarnessView> {
  const err = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return ((err as WorkflowFailedError).cause as { details?: unknown[] }).details?.[0] as HarnessView;
}

function prompt(childId: string, slot: string): string {
  return renderedPrompts.get(`${childRunId(childId)}/${slot}`) ?? '';
}

describe('harnessWorkflow (real children with faked sandboxes, real git landing)', () => {
  it('plans, builds 3 units in parallel children, lands them structurally, ships a report', async () => {
    const { runId, repo, handle } = await start(happyChildren());
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.units.map((u) => [u.id, u.status, u.attempts.length])).toEqual([
      ['WU-01', 'landed', 1],
      ['WU-02', 'landed', 1],
      ['WU-03', 'landed', 1],
    ]);
    // WU-02 and WU-03 both appended to widgets.js: whichever landed second needed the structural merge
    const resolved = view.units.flatMap((u) => u.attempts.flatMap((a) => a.land?.resolved ?? []));
    expect(resolved.map((r) => r.file)).toContain('public/widgets.js');
    const widgets = git(repo, 'show', 'feat/tiny:public/widgets.js');
    expect(widgets).toContain('export function createCounter()');
    expect(widgets).toContain('export function createTodo()');
    expect(git(repo, 'show', 'feat/tiny:public/app.js')).toBe(APP);
    expect(JSON.parse(git(repo, 'show', 'feat/tiny:docs/harness/plan.json'))).toMatchObject({ version: 1 });
    const report = git(repo, 'show', 'feat/tiny:docs/harness/report.md');
    expect(report).toContain('3/3 units landed, 0 blocked');
    expect(report).toContain('`public/widgets.js`');
    // the children are real workflows with the deterministic ids
    for (const id of [
      plannerChildId(runId, 1),
      ...['WU-01', 'WU-02', 'WU-03'].map((u) => generatorChildId(runId, u, 1, 1)),
    ]) {
      const d = await client.workflow.getHandle(id).describe();
      expect(d.status.name).toBe('COMPLETED');
      expect(d.parentExecution?.workflowId).toBe(runId);
    }
    // role prompts start with their marker line; a generator sees only its own criteria
    expect(prompt(plannerChildId(runId, 1), 'plan').split('\n')[0]).toBe('dkmv-harness role=planner attempt=1');
    const gen2 = prompt(generatorChildId(runId, 'WU-02', 1, 1), 'build');
    expect(gen2.split('\n')[0]).toBe('dkmv-harness role=generator unit=WU-02 round=1 attempt=1');
    expect(gen2).toContain('WU-02-C3');
    expect(gen2).not.toContain('WU-03-C1');
    // the run kind is a search attribute (set by the workflow here: this test starts it without
    // any), and a visibility query on it finds the harness run but not its component children
    expect((await handle.describe()).typedSearchAttributes.get(DkmvRunKind)).toBe('harness');
    const found: string[] = [];
    for await (const info of client.workflow.list({ query: `DkmvRunKind = 'harness' AND WorkflowId = '${runId}'` }))
      found.push(info.workflowId);
    expect(found).toEqual([runId]);
    const children: string[] = [];
    for await (const info of client.workflow.list({
      query: `DkmvRunKind = 'component' AND WorkflowId STARTS_WITH '${runId}/'`,
    }))
      children.push(info.workflowId);
    expect(children.sort()).toEqual(
      [plannerChildId(runId, 1), ...['WU-01', 'WU-02', 'WU-03'].map((u) => generatorChildId(runId, u, 1, 1))].sort(),
    );
    // what `dkmv runs` and `dkmv show` read: the harness listed by kind, its children only under it
    const listed = await listRuns(client, path.join(root, 'runs'), { limit: 50, kind: 'harness' });
    expect(listed.find((r) => r.run_id === runId)).toMatchObject({ kind: 'harness', status: 'completed' });
    const top = await listRuns(client, path.join(root, 'runs'), { limit: 50 });
    expect(top.filter((r) => r.run_id.startsWith(`${runId}/`))).toEqual([]);
    const shown = await gatherRun({ runId, outputDir: path.join(root, 'runs'), client });
    expect(shown?.kind).toBe('harness');
    expect(shown?.harness?.units.map((u) => u.status)).toEqual(['landed', 'landed', 'landed']);
    expect(shown?.harness?.children.map((c) => [c.workflow_id, c.status]).sort()).toEqual(
      children.map((id) => [id, 'completed']),
    );
    const q = await handle.query(harnessStatusQuery);
    expect(q.integrationHead).toBe(git(repo, 'rev-parse', 'feat/tiny').trim());
    await saveHistory('harness-completed', handle);
  });

  it('Gate 1 rejects a duplicate owner; the feedback and the previous plan reach attempt 2, which passes', async () => {
    const bad = validPlan() as { units: { owns: string[] }[] };
    bad.units[2]!.owns.push('public/widgets.js:createCounter');
    const children = { ...happyChildren(), 'plan/a1': plannerWrites(bad), 'plan/a2': plannerWrites(validPlan()) };
    const { runId, repo, handle } = await start(children);
    const view = await handle.result();
    expect(view.planAttempts.map((a) => a.accepted)).toEqual([false, true]);
    expect(view.planAttempts[0]!.problems).toContainEqual(
      expect.stringContaining('G1.4: public/widgets.js:createCounter has more than one owner (WU-02, WU-03)'),
    );
    const second = prompt(plannerChildId(runId, 2), 'plan');
    expect(second.split('\n')[0]).toBe('dkmv-harness role=planner attempt=2');
    expect(second).toContain('1. G1.4: public/widgets.js:createCounter has more than one owner');
    // the re-run finds its rejected plan as a file (and, like every attempt, the Gate 1 self-check)
    expect(second).toContain('Your previous plan is in `.agent/previous_plan.json`');
    const files = (b: string) => git(repo, 'ls-tree', '-r', '--name-only', b).split('\n');
    expect(git(repo, 'show', 'feat/tiny--plan-a2:.agent/previous_plan.json')).toBe(
      git(repo, 'show', 'feat/tiny--plan-a1:.agent/plan.json'),
    );
    expect(files('feat/tiny--plan-a2')).toContain('.agent/check-plan.mjs');
    expect(files('feat/tiny--plan-a1')).not.toContain('.agent/previous_plan.json');
  });

  it('fails with the numbered problems after 3 rejected plans', async () => {
    const { handle } = await start({
      'plan/a1': plannerWrites({}),
      'plan/a2': plannerWrites({ version: 1 }),
      'plan/a3': { edits: { '.agent/plan.json': 'not json' } },
    });
    const view = await failedView(handle);
    expect(view.status).toBe('failed');
    expect(view.error).toContain('Gate 1 rejected the plan 3 times');
    expect(view.error).toContain('1. G1.1: .agent/plan.json is not valid JSON');
  });

  it('an ownership violation costs an attempt and is fed back; the next attempt keeps its work and lands', async () => {
    const children = {
      ...happyChildren(),
      'gen/WU-03/r1a1': { edits: { ...UNIT_WORK['WU-03'], 'README.md': '# tiny, mine now\n' } },
      // The retry starts from attempt 1's commits (merged onto the new head): it only undoes what
      // the feedback lists.
      'gen/WU-03/r1a2': { edits: { 'README.md': '# tiny\n' } },
    };
    const { runId, handle, repo } = await start(children);
    const view = await handle.result();
    const wu3 = view.units.find((u) => u.id === 'WU-03')!;
    expect(wu3.status).toBe('landed');
    expect(wu3.attempts.map((a) => a.violations ?? [])).toEqual([[expect.stringContaining('README.md')], []]);
    const retry = prompt(generatorChildId(runId, 'WU-03', 1, 2), 'build');
    expect(retry).toContain('README.md: the file (modified) — rule "code that existed before"');
    expect(retry).toContain('Your branch already holds your previous attempt');
    expect(wu3.attempts.map((a) => a.carried)).toEqual([undefined, 'merged']);
    expect(git(repo, 'show', 'feat/tiny:README.md')).toBe('# tiny\n');
    const widgets = git(repo, 'show', 'feat/tiny:public/widgets.js');
    expect(widgets.match(/export function createTodo/g)).toHaveLength(1);
  });

  it('a timed-out generator keeps its partial commit: the retry starts from it and finishes the unit', async () => {
    const helper = `\nfunction todoKey(i) {\n  return \`todo-\${i}\`;\n}\n`;
    const children = {
      ...happyChildren(),
      // attempt 1 runs out of time after writing a helper (the engine commits the partial work)
      'gen/WU-03/r1a1': {
        script: { status: 'timed_out', costUsd: 0.01, turns: 2 },
        edits: { 'public/widgets.js': append(helper) },
      },
      'gen/WU-03/r1a2': { edits: { 'public/widgets.js': append(TODO) } },
    } as Record<string, Child>;
    const { runId, handle, repo } = await start(children);
    const view = await handle.result();
    const wu3 = view.units.find((u) => u.id === 'WU-03')!;
    expect(wu3.status).toBe('landed');
    expect(wu3.attempts.map((a) => a.childStatus)).toEqual(['timed_out', 'completed']);
    expect(wu3.attempts[1]!.carried).toMatch(/^(kept|merged)$/);
    expect(prompt(generatorChildId(runId, 'WU-03', 1, 2), 'build')).toContain(
      'Your branch already holds your previous attempt',
    );
    const widgets = git(repo, 'show', 'feat/tiny:public/widgets.js');
    expect(widgets.match(/function todoKey/g)).toHaveLength(1);
    expect(widgets).toContain('export function createTodo()');
  });

  it('an ownership rejection on the last attempt gets one more attempt, which only removes what was listed', async () => {
    const children = {
      ...happyChildren(),
      'gen/WU-03/r1a1': { edits: { ...UNIT_WORK['WU-03'], 'README.md': '# tiny, mine now\n' } },
      'gen/WU-03/r1a2': { edits: { 'README.md': '# tiny\n' } },
    };
    const { handle, repo } = await start(children, { maxUnitAttempts: 1 });
    const view = await handle.result();
    const wu3 = view.units.find((u) => u.id === 'WU-03')!;
    expect([wu3.status, wu3.attempts.length]).toEqual(['landed', 2]);
    expect(git(repo, 'show', 'feat/tiny:public/widgets.js')).toContain('export function createTodo()');
    await saveHistory('harness-ownership-last-chance', handle);
  });

  it('real-model habits pass ownership and land first time; derived files never land; declared dependencies do', async () => {
    const plan = validPlan() as { units: { id: string; dependencies?: Record<string, string> }[] };
    plan.units.find((u) => u.id === 'WU-03')!.dependencies = { 'left-pad': '^1.3.0' };
    const header =
      (text: string): Edit =>
      (old) =>
        (old ?? '').replace('// Widgets.\n', `// Widgets.\n// ${text}\n`);
    const children = {
      ...happyChildren(),
      'plan/a1': plannerWrites(plan),
      // A header comment, a private helper beside the owned function, `npm install` (lockfile,
      // node_modules, package.json created with only its dependencies).
      'gen/WU-02/r1a1': {
        edits: {
          'public/widgets.js': (old: string | undefined) =>
            `${(header('Counter: WU-02.') as (o?: string) => string)(old)}\nconst counterStep = 1;\n${COUNTER}`,
          'package-lock.json': '{"lockfileVersion":3}\n',
          'node_modules/left-pad/index.js': 'module.exports = 1;\n',
          'package.json': '{\n  "dependencies": {\n    "left-pad": "^1.3.0"\n  }\n}\n',
        },
      },
      'gen/WU-03/r1a1': {
        edits: {
          'public/widgets.js': append(`\nfunction todoKey(i) {\n  return \`todo-\${i}\`;\n}\n${TODO}`),
          'public/todo-store.js': '// Todo storage (WU-03 only).\nexport const todoStore = [];\n',
        },
      },
    };
    const { repo, handle } = await start(children);
    const view = await handle.result();
    const why = view.units.map((u) => [u.id, u.attempts.map((a) => [a.violations, a.land?.conflicts, a.error])]);
    expect(
      view.units.map((u) => [u.id, u.status, u.attempts.length]),
      JSON.stringify(why),
    ).toEqual([
      ['WU-01', 'landed', 1],
      ['WU-02', 'landed', 1],
      ['WU-03', 'landed', 1],
    ]);
    const files = git(repo, 'ls-tree', '-r', '--name-only', 'feat/tiny').split('\n');
    expect(files).toContain('public/todo-store.js');
    expect(files.filter((f) => f.startsWith('node_modules/'))).toEqual([]);
    expect(JSON.parse(git(repo, 'show', 'feat/tiny:package.json'))).toEqual({ dependencies: { 'left-pad': '^1.3.0' } });
    // WU-02's lockfile did not land; the one on the branch is regenerated from the merged manifest
    const lock = git(repo, 'show', 'feat/tiny:package-lock.json');
    expect(lock).toBe(derivedLockfile({ dependencies: { 'left-pad': '^1.3.0' } }));
    expect(view.lockfiles).toMatchObject({
      files: ['package-lock.json'],
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(git(repo, 'log', '-1', '--format=%s', view.lockfiles!.commit!).trim()).toBe(
      'dkmv harness: regenerate package-lock.json from the merged manifests',
    );
    const widgets = git(repo, 'show', 'feat/tiny:public/widgets.js');
    for (const part of [
      '// Counter: WU-02.',
      'const counterStep = 1;',
      'function todoKey(i)',
      'createCounter',
      'createTodo',
    ])
      expect(widgets).toContain(part);
  });

  it('a landing conflict re-dispatches the unit on the new head with the conflict report', async () => {
    forcedConflicts.add('WU-03');
    const children = { ...happyChildren(), 'gen/WU-03/r1a2': { edits: UNIT_WORK['WU-03'] } };
    const { runId, handle } = await start(children);
    const view = await handle.result();
    const wu3 = view.units.find((u) => u.id === 'WU-03')!;
    expect(wu3.attempts.map((a) => a.land?.status)).toEqual(['conflict', 'merged']);
    expect(prompt(generatorChildId(runId, 'WU-03', 1, 2), 'build')).toContain('- public/widgets.js: createTodo');
    await saveHistory('harness-conflict-redispatched', handle);
    // the second attempt branched from the head with WU-01 and WU-02 landed
    const heads = view.units.find((u) => u.id === 'WU-02')!.attempts[0]!.land!.commit;
    expect(heads).toBeDefined();
  });

  it('a unit failing 3 times is blocked; the rest lands and ships', async () => {
    const failing: Child = { script: { status: 'failed', error: 'agent exited with code 1' } };
    const children = {
      ...happyChildren(),
      'gen/WU-02/r1a1': failing,
      'gen/WU-02/r1a2': failing,
      'gen/WU-02/r1a3': failing,
    };
    const { repo, handle } = await start(children);
    const view = await handle.result();
    expect(view.units.map((u) => u.status)).toEqual(['landed', 'blocked', 'landed']);
    expect(view.units[1]!.feedback).toContain('agent exited with code 1');
    expect(git(repo, 'show', 'feat/tiny:docs/harness/report.md')).toContain('## Blocked units');
  });

  it('stops dispatching when the budget is spent and ships what landed', async () => {
    const children = {
      ...happyChildren(),
      'plan/a1': { ...plannerWrites(validPlan()), script: { costUsd: 0.4 } },
      'gen/WU-01/r1a1': { edits: UNIT_WORK['WU-01'], script: { costUsd: 0.6 } },
    };
    const { handle } = await start(children, { maxBudgetUsd: 1, maxParallel: 1 });
    const view = await handle.result();
    expect(view.budgetExhausted).toBe(true);
    expect(view.costUsd).toBeCloseTo(1, 6);
    expect(view.units.map((u) => u.status)).toEqual(['landed', 'not_dispatched', 'not_dispatched']);
  });

  it('--review-plan waits for a decision; an update from a second client lets it build', async () => {
    const { handle } = await start(happyChildren(), { reviewPlan: true });
    const paused = await waitFor(async () => {
      const v = await handle.query(harnessStatusQuery);
      return v.status === 'awaiting_input' ? v : undefined;
    });
    expect(paused.pending?.questions[0]?.id).toBe('plan');
    const other = await testClient();
    try {
      await other.client.workflow.getHandle(handle.workflowId).executeUpdate(decideUpdate, {
        args: [{ action: 'continue', answers: { plan: 'build' } }],
      });
    } finally {
      await other.close();
    }
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.units.every((u) => u.status === 'landed')).toBe(true);
  });

  it('--review-plan with a webhook: the review is notified, answered from the event, and the end follows', async () => {
    const receiver = await startReceiver();
    try {
      const notify = { urls: [receiver.url], namespace: 'default' };
      const { runId, handle } = await start(happyChildren(), { reviewPlan: true, notify });
      const of = (event: string) => (r: { body: Record<string, unknown> }) =>
        r.body.run_id === runId && r.body.event === event;
      const paused = await receiver.waitFor(of('awaiting_input'), 'the review event');
      const event = paused.body as unknown as NotifyEvent;
      expect(event).toMatchObject({ kind: 'harness', component: 'harness', branch: 'feat/tiny', task: 'plan' });
      expect(event.questions?.[0]).toMatchObject({ id: 'plan', options: ['build', 'abort'] });
      await handle.executeUpdate(decideUpdate, { args: [JSON.parse(event.answer!.webUi.input)] });
      const view = await handle.result();
      expect(view.status).toBe('completed');
      expect((await receiver.waitFor(of('completed'), 'the end event')).body.kind).toBe('harness');
      expect(view.notifications?.map((n) => [n.event, n.ok])).toEqual([
        ['awaiting_input', true],
        ['completed', true],
      ]);
      await saveHistory('harness-notify-review', handle);
    } finally {
      await receiver.close();
    }
  });

  it('continue: re-dispatches only the units that did not land', async () => {
    const accepted = checkPlan(validPlan());
    if (!accepted.ok) throw new Error('fixture plan rejected');
    const plan: HarnessPlan = accepted.plan;
    const children = {
      'gen/WU-02/r1a1': { edits: UNIT_WORK['WU-02'] },
      'gen/WU-03/r1a1': { edits: UNIT_WORK['WU-03'] },
    };
    const { runId, handle } = await start(children, { resume: { fromRunId: 'earlier', plan, landed: ['WU-01'] } });
    const view = await handle.result();
    expect(view.continuedFrom).toBe('earlier');
    expect(view.units.map((u) => [u.id, u.status, u.attempts.length])).toEqual([
      ['WU-01', 'landed', 0],
      ['WU-02', 'landed', 1],
      ['WU-03', 'landed', 1],
    ]);
    expect(view.planAttempts).toEqual([]);
    await expect(client.workflow.getHandle(plannerChildId(runId, 1)).describe()).rejects.toThrow();
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
