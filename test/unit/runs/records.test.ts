// Run records in DKMV's schema: result.json and tasks_result.json field by field (ours beside),
// saved outputs under tasks/<task>/ with .meta.json, prompts_log.md, lifecycle events in
// stream.jsonl (once each, `_ts`, `lifecycle: true`), and the readers of `dkmv runs` / `dkmv show`.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { saveTaskOutput } from '../../../activities/engine/run-folder.js';
import { writeRunRecord } from '../../../activities/engine/run-record.js';
import { stampLines } from '../../../activities/engine/stream-copy.js';
import type { LifecycleEvent } from '../../../core/engine/lifecycle.js';
import type { RunStatusView } from '../../../core/engine/run-types.js';
import { promptsLog, runResult, tasksResult } from '../../../core/runs/records.js';
import { readRunFolder, savedOutputs } from '../../../cli/runs/run-folder.js';
import { formatEvent } from '../../../cli/run/verbose-stream.js';

const RESULT_FIELDS = [
  'run_id',
  'component',
  'status',
  'repo',
  'branch',
  'feature_name',
  'model',
  'total_cost_usd',
  'duration_seconds',
  'num_turns',
  'timestamp',
  'session_id',
  'error_message',
];
const TASKS_FIELDS = [
  'run_id',
  'component',
  'status',
  'repo',
  'branch',
  'feature_name',
  'total_cost_usd',
  'duration_seconds',
  'error_message',
  'task_results',
];
const TASK_FIELDS = [
  'task_name',
  'description',
  'status',
  'total_cost_usd',
  'duration_seconds',
  'num_turns',
  'session_id',
  'error_message',
  'outputs',
];

function view(over: Partial<RunStatusView> = {}): RunStatusView {
  return {
    runId: '261201-2330-plan-auth-ab12',
    component: 'plan',
    repo: '/tmp/r.git',
    branch: 'feature/auth',
    featureName: 'auth',
    model: 'claude-sonnet-4-6',
    status: 'failed',
    costUsd: 0.5,
    startedAt: '2026-12-01T23:30:00.000Z',
    endedAt: '2026-12-01T23:31:30.500Z',
    error: 'task features: outputs missing',
    tasks: [
      {
        id: 'analyze',
        name: 'analyze',
        description: 'Analyze the PRD',
        status: 'completed',
        costUsd: 0.2,
        turns: 3,
        sessionId: 'sess-1',
        startedAt: '2026-12-01T23:30:01.000Z',
        endedAt: '2026-12-01T23:30:31.000Z',
        savedOutputs: ['.agent/analysis.json'],
        answers: { db: 'postgres' },
      },
      {
        id: 'features',
        name: 'features',
        status: 'failed',
        costUsd: 0.3,
        turns: 4,
        sessionId: 'sess-2',
        error: 'outputs missing',
        startedAt: '2026-12-01T23:30:32.000Z',
        endedAt: '2026-12-01T23:31:30.000Z',
      },
      { id: 'phases', name: 'phases', status: 'skipped', costUsd: 0, turns: 0 },
    ],
    ...over,
  };
}

describe('DKMV record schemas', () => {
  it("result.json has DKMV's fields with DKMV's meaning, and ours beside them", () => {
    const r = runResult(view(), Date.now());
    for (const f of RESULT_FIELDS) expect(r, f).toHaveProperty(f);
    expect(r).toMatchObject({
      feature_name: 'auth',
      model: 'claude-sonnet-4-6',
      total_cost_usd: 0.5,
      duration_seconds: 90.5,
      num_turns: 7,
      timestamp: '2026-12-01T23:30:00.000Z',
      session_id: 'sess-2',
      error_message: 'task features: outputs missing',
      // ours
      cost_usd: 0.5,
      duration_ms: 90500,
      error: 'task features: outputs missing',
    });
    expect(runResult(view({ error: undefined }), Date.now()).error_message).toBe('');
  });

  it("result.json of a paused or cancelled run validates against DKMV's BaseResult; dkmv reads its own status back", async () => {
    // DKMV's BaseResult (dkmv/core/models.py), field by field: pydantic's checks as a zod schema.
    const nonNegative = z.number().min(0);
    const baseResult = z.object({
      run_id: z.string(),
      component: z.string(),
      status: z.enum(['pending', 'running', 'completed', 'failed', 'timed_out']),
      repo: z.string(),
      branch: z.string(),
      feature_name: z.string(),
      model: z.string(),
      total_cost_usd: nonNegative,
      duration_seconds: nonNegative,
      num_turns: z.number().int().min(0),
      timestamp: z.iso.datetime(),
      session_id: z.string(),
      error_message: z.string(),
    });
    const paused = runResult(view({ status: 'awaiting_input', endedAt: undefined, error: undefined }), Date.now());
    expect(baseResult.safeParse(paused).success).toBe(true);
    expect(paused).toMatchObject({ status: 'running', run_status: 'awaiting_input' });
    const cancelled = runResult(view({ status: 'cancelled' }), Date.now());
    expect(baseResult.safeParse(cancelled).success).toBe(true);
    expect(cancelled).toMatchObject({ status: 'failed', run_status: 'cancelled' });
    expect(tasksResult(view({ status: 'cancelled' }), () => ({}), Date.now())).toMatchObject({
      status: 'failed',
      run_status: 'cancelled',
    });
    // dkmv runs / show read dkmv's own status back.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-paused-'));
    try {
      writeFileSync(path.join(dir, 'result.json'), JSON.stringify(paused));
      expect(readRunFolder(dir)?.result?.status).toBe('awaiting_input');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('result.json reports the deliverables found and missing at the end (only when the component has some)', () => {
    const deliverables = { present: ['docs/x.md'], missing: [{ path: 'notes.md', required: false }] };
    expect(runResult(view({ deliverables }), Date.now()).deliverables).toEqual(deliverables);
    expect(runResult(view(), Date.now())).not.toHaveProperty('deliverables');
  });

  it('tasks_result.json is an object with task_results in run order; outputs are the saved contents', () => {
    const t = tasksResult(
      view(),
      (task): Record<string, string> => (task.id === 'analyze' ? { '.agent/analysis.json': '{}' } : {}),
      0,
    );
    for (const f of TASKS_FIELDS) expect(t, f).toHaveProperty(f);
    expect(t.task_results.map((x) => x.task_name)).toEqual(['analyze', 'features', 'phases']);
    for (const x of t.task_results) for (const f of TASK_FIELDS) expect(x, f).toHaveProperty(f);
    expect(t.task_results[0]).toMatchObject({
      description: 'Analyze the PRD',
      duration_seconds: 30,
      num_turns: 3,
      session_id: 'sess-1',
      outputs: { '.agent/analysis.json': '{}' },
      task_id: 'analyze',
      answers: { db: 'postgres' },
    });
    expect(t.task_results[1]).toMatchObject({ status: 'failed', error_message: 'outputs missing', description: '' });
  });

  it('prompts_log.md holds every task instructions and prompt, fenced so a fence inside cannot close it', () => {
    const log = promptsLog('plan', [
      { name: 'analyze', instructions: 'Be brief.', prompt: 'Read the PRD.\n```js\nx\n```\n' },
      { name: 'gate', prompt: '# run: script' },
    ]);
    expect(log).toMatch(/^# Component: plan/);
    expect(log).toContain('## Task 1: analyze');
    expect(log).toContain('## Task 2: gate');
    expect(log).toContain('````markdown\nRead the PRD.\n```js\nx\n```\n````');
  });

  it('`dkmv logs` shows lifecycle events as one line each', () => {
    const line = JSON.stringify({
      type: 'task_failed',
      lifecycle: true,
      task_name: 'plan',
      total_cost_usd: 0.5,
      error_message: 'boom',
    });
    expect(formatEvent(line).join('')).toContain('task_failed plan $0.5000: boom');
    const answered = JSON.stringify({
      type: 'pause_resolved',
      lifecycle: true,
      task_name: 'qa',
      action: 'skip_remaining',
    });
    expect(formatEvent(answered).join('')).toContain('pause_resolved qa → skip_remaining');
  });

  it('stream lines get _ts; lines that already have one, or are not JSON objects, pass unchanged', () => {
    const out = stampLines('{"type":"assistant"}\n{"type":"x","_ts":"old"}\nnot json\n', 'T');
    expect(out.split('\n')).toEqual(['{"type":"assistant","_ts":"T"}', '{"type":"x","_ts":"old"}', 'not json', '']);
  });
});

describe('writeRunRecord (activity) and the run-folder readers', () => {
  let runDir: string;
  beforeEach(() => {
    runDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'dkmv-unit-records-')), '261201-2330-plan-auth-ab12');
    mkdirSync(runDir);
  });
  afterEach(() => rmSync(path.dirname(runDir), { recursive: true, force: true }));

  const event = (seq: number, type: LifecycleEvent['type'], fields: Record<string, unknown> = {}): LifecycleEvent => ({
    type,
    lifecycle: true,
    _ts: `2026-12-01T23:30:0${seq}.000Z`,
    seq,
    run_id: 'r',
    ...fields,
  });

  it('writes the records, prompts_log.md at the end, and each lifecycle event once', async () => {
    saveTaskOutput(runDir, { id: 'analyze', name: 'analyze' }, '.agent/analysis.json', '{"questions":[]}');
    writeFileSync(path.join(runDir, 'prompt_analyze.md'), 'Read the PRD.');
    writeFileSync(path.join(runDir, 'claude_md_analyze.md'), 'Be brief.');
    const first = [event(1, 'run_started'), event(2, 'task_start', { task_name: 'analyze' })];
    await writeRunRecord({
      runDir,
      view: view({ status: 'running', endedAt: undefined }),
      final: false,
      events: first,
    });
    // A retried call (same events) and the final one (new events) write nothing twice.
    await writeRunRecord({
      runDir,
      view: view({ status: 'running', endedAt: undefined }),
      final: false,
      events: first,
    });
    await writeRunRecord({
      runDir,
      view: view({ containerName: 'dkmv-plan-ab12' }),
      final: true,
      events: [event(3, 'run_failed')],
    });

    const lines = readFileSync(path.join(runDir, 'stream.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['run_started', 'task_start', 'run_failed']);
    expect(lines.every((l) => l.lifecycle === true && typeof l._ts === 'string')).toBe(true);

    const result = JSON.parse(readFileSync(path.join(runDir, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ status: 'failed', total_cost_usd: 0.5, feature_name: 'auth' });
    const tasks = JSON.parse(readFileSync(path.join(runDir, 'tasks_result.json'), 'utf8'));
    expect(tasks.task_results[0].outputs).toEqual({ '.agent/analysis.json': '{"questions":[]}' });
    expect(readFileSync(path.join(runDir, 'prompts_log.md'), 'utf8')).toContain('Read the PRD.');
    // DKMV's attach / stop read the container name from container.txt.
    expect(readFileSync(path.join(runDir, 'container.txt'), 'utf8')).toBe('dkmv-plan-ab12');
    const meta = JSON.parse(readFileSync(path.join(runDir, 'tasks/analyze/analysis.json.meta.json'), 'utf8'));
    expect(meta).toMatchObject({ task_name: 'analyze', path: '.agent/analysis.json', size_bytes: 16 });

    // A late progress write after the final record leaves the record alone.
    await writeRunRecord({ runDir, view: view({ status: 'running' }), final: false, events: [] });
    expect(JSON.parse(readFileSync(path.join(runDir, 'result.json'), 'utf8')).status).toBe('failed');

    // The readers: tasks from task_results, outputs listed once (top-level copies), records left out.
    const folder = readRunFolder(runDir)!;
    expect(folder.result).toMatchObject({ status: 'failed', cost_usd: 0.5 });
    expect(folder.tasks!.map((t) => [t.id, t.status, t.costUsd])).toEqual([
      ['analyze', 'completed', 0.2],
      ['features', 'failed', 0.3],
      ['phases', 'skipped', 0],
    ]);
    expect(folder.tasks![0]).toMatchObject({ savedOutputs: ['.agent/analysis.json'], answers: { db: 'postgres' } });
    expect(savedOutputs(runDir)).toEqual(['analysis.json']);
  });

  it('writes events in seq order when a later batch arrives first (concurrent record writes)', async () => {
    const running = view({ status: 'running', endedAt: undefined });
    await writeRunRecord({ runDir, view: running, final: false, events: [event(3, 'task_completed')] });
    expect(existsSync(path.join(runDir, 'stream.jsonl'))).toBe(false); // held: 1 and 2 are not there yet
    await writeRunRecord({
      runDir,
      view: running,
      final: false,
      events: [event(1, 'run_started'), event(2, 'task_start')],
    });
    await writeRunRecord({ runDir, view: view(), final: true, events: [event(5, 'run_failed')] }); // 4 never came
    const types = readFileSync(path.join(runDir, 'stream.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toEqual(['run_started', 'task_start', 'task_completed', 'run_failed']);
  });

  it('reads folders of earlier dkmv runs (a plain task list) and of DKMV itself (its field names only)', () => {
    writeFileSync(
      path.join(runDir, 'tasks_result.json'),
      JSON.stringify([{ id: 'a', name: 'a', status: 'completed', costUsd: 1, turns: 2 }]),
    );
    expect(readRunFolder(runDir)!.tasks![0]).toMatchObject({ id: 'a', costUsd: 1 });
    writeFileSync(
      path.join(runDir, 'result.json'),
      JSON.stringify({
        run_id: 'ab12cd34',
        component: 'qa',
        status: 'completed',
        total_cost_usd: 1.25,
        duration_seconds: 12.5,
        timestamp: '2026-01-01T00:00:00+00:00',
        error_message: '',
      }),
    );
    writeFileSync(
      path.join(runDir, 'tasks_result.json'),
      JSON.stringify({
        run_id: 'ab12cd34',
        task_results: [
          {
            task_name: 'evaluate',
            status: 'completed',
            total_cost_usd: 1.25,
            num_turns: 9,
            outputs: { 'qa_evaluation.json': '{}' },
          },
        ],
      }),
    );
    const folder = readRunFolder(runDir)!;
    expect(folder.result).toMatchObject({
      cost_usd: 1.25,
      duration_ms: 12500,
      started_at: '2026-01-01T00:00:00+00:00',
    });
    expect(folder.tasks![0]).toMatchObject({ id: 'evaluate', turns: 9, savedOutputs: ['qa_evaluation.json'] });
    expect(existsSync(path.join(runDir, 'stream.jsonl'))).toBe(false);
  });
});
