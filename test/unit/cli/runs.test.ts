// `dkmv runs` / `dkmv show` building blocks: status mapping, visibility queries, run folders.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { TypedSearchAttributes } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../core/errors.js';
import { DkmvBranch, DkmvComponent, DkmvCostUsd, DkmvStatus } from '../../../core/temporal/search-attributes.js';
import { listRuns, rowFromExecution } from '../../../cli/runs/list.js';
import { savedOutputs } from '../../../cli/runs/run-folder.js';
import { showText } from '../../../cli/runs/render.js';
import { gatherRun } from '../../../cli/runs/show.js';
import { DKMV_RUN_ID, writeDkmvRun } from './dkmv-run-folder.js';
import {
  formatCost,
  formatDuration,
  parseStatusFilter,
  runStatusOf,
  visibilityQuery,
} from '../../../cli/runs/status.js';

describe('runStatusOf', () => {
  it.each([
    ['RUNNING', 'running', 'running'],
    ['RUNNING', 'awaiting_input', 'awaiting_input'],
    ['RUNNING', undefined, 'running'],
    ['COMPLETED', 'completed', 'completed'],
    ['COMPLETED', undefined, 'completed'],
    ['FAILED', 'failed', 'failed'],
    ['FAILED', 'timed_out', 'timed_out'],
    ['FAILED', 'cancelled', 'cancelled'], // abort at a pause
    ['FAILED', 'running', 'failed'],
    ['FAILED', 'completed', 'failed'],
    ['CANCELLED', 'running', 'cancelled'],
    ['TERMINATED', 'awaiting_input', 'cancelled'],
    ['TIMED_OUT', 'running', 'timed_out'],
  ])('%s + DkmvStatus %s → %s', (exec, dkmv, expected) => {
    expect(runStatusOf(exec, dkmv)).toBe(expected);
  });
});

describe('status filter and visibility query', () => {
  it('accepts run statuses (also with dashes), rejects others as usage errors', () => {
    expect(parseStatusFilter(undefined)).toBeUndefined();
    expect(parseStatusFilter('Completed')).toBe('completed');
    expect(parseStatusFilter('awaiting-input')).toBe('awaiting_input');
    expect(() => parseStatusFilter('sleeping')).toThrow(UserError);
  });

  it('filters component and harness runs by component, branch and status, quoting values', () => {
    expect(visibilityQuery({})).toBe(`WorkflowType IN ('componentWorkflow', 'harnessWorkflow')`);
    const q = visibilityQuery({ component: "it's", branch: 'feature/x', status: 'cancelled' });
    expect(q).toContain(`DkmvComponent = 'it\\'s'`);
    expect(q).toContain(`DkmvBranch = 'feature/x'`);
    expect(q).toContain(`ExecutionStatus IN ('Canceled', 'Terminated') OR DkmvStatus = 'cancelled'`);
    expect(visibilityQuery({ status: 'awaiting_input' })).toContain(`ExecutionStatus = 'Running'`);
  });

  it('formats durations and costs', () => {
    expect(formatDuration(undefined)).toBe('-');
    expect(formatDuration(12_400)).toBe('12s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(formatCost(0.01234)).toBe('$0.0123');
    expect(formatCost(undefined)).toBe('-');
  });
});

describe('rows from Temporal visibility', () => {
  it('reads the search attributes and derives status and duration', () => {
    const row = rowFromExecution(
      {
        workflowId: '250101-1200-dev-auth-ab12',
        status: { code: 2, name: 'COMPLETED' },
        startTime: new Date('2025-01-01T12:00:00Z'),
        closeTime: new Date('2025-01-01T12:03:05Z'),
        typedSearchAttributes: new TypedSearchAttributes([
          { key: DkmvComponent, value: 'dev' },
          { key: DkmvBranch, value: 'feature/auth' },
          { key: DkmvStatus, value: 'completed' },
          { key: DkmvCostUsd, value: 1.25 },
        ]),
      },
      0,
    );
    expect(row).toMatchObject({
      run_id: '250101-1200-dev-auth-ab12',
      status: 'completed',
      component: 'dev',
      branch: 'feature/auth',
      cost_usd: 1.25,
      duration_ms: 185_000,
      source: 'temporal',
    });
  });
});

describe('run folders (no server)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-unit-runs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function folder(runId: string, component: string, status: string, cost: number): string {
    const run = path.join(dir, runId);
    mkdirSync(run, { recursive: true });
    writeFileSync(
      path.join(run, 'config.json'),
      JSON.stringify({ run_id: runId, component, branch: 'b', vars: { who: 'Ada' }, params: { model: 'm' } }),
    );
    writeFileSync(
      path.join(run, 'result.json'),
      JSON.stringify({
        run_id: runId,
        component,
        branch: 'b',
        repo: 'r',
        status,
        cost_usd: cost,
        started_at: `20${runId.slice(0, 2)}-01-01T00:00:00Z`,
        ended_at: `20${runId.slice(0, 2)}-01-01T00:01:00Z`,
        duration_ms: 60_000,
      }),
    );
    writeFileSync(
      path.join(run, 'tasks_result.json'),
      JSON.stringify([{ id: 'greet', name: 'greet', status: 'completed', costUsd: cost, turns: 2 }]),
    );
    writeFileSync(path.join(run, 'stream.jsonl'), '');
    writeFileSync(path.join(run, 'prompt_greet.md'), 'x');
    writeFileSync(path.join(run, 'greeting.json'), '{}');
    return run;
  }

  it('lists folders newest first with filters and a limit', async () => {
    folder('240101-0000-hello-a-0001', 'hello', 'completed', 0.1);
    folder('250101-0000-hello-b-0002', 'hello', 'failed', 0.2);
    folder('230101-0000-dev-c-0003', 'dev', 'completed', 0.3);
    const all = await listRuns(undefined, dir, { limit: 10 });
    expect(all.map((r) => r.run_id)).toEqual([
      '250101-0000-hello-b-0002',
      '240101-0000-hello-a-0001',
      '230101-0000-dev-c-0003',
    ]);
    expect(all.every((r) => r.source === 'folder')).toBe(true);
    expect(
      (await listRuns(undefined, dir, { limit: 10, component: 'hello', status: 'completed' })).map((r) => r.run_id),
    ).toEqual(['240101-0000-hello-a-0001']);
    expect(await listRuns(undefined, dir, { limit: 1 })).toHaveLength(1);
    expect(await listRuns(undefined, path.join(dir, 'missing'), { limit: 5 })).toEqual([]);
  });

  it('with a full page from Temporal, folders older than its oldest row are not described', async () => {
    folder('230101-0000-hello-old-0001', 'hello', 'completed', 0.1); // older than both Temporal rows
    folder('270101-0000-hello-new-0002', 'hello', 'completed', 0.2); // newer: it may still make the cut
    const info = (id: string, start: string) => ({
      workflowId: id,
      status: { code: 2, name: 'COMPLETED' },
      startTime: new Date(start),
      closeTime: new Date(start),
      typedSearchAttributes: new TypedSearchAttributes([{ key: DkmvComponent, value: 'hello' }]),
    });
    const described: string[] = [];
    const client = {
      workflow: {
        async *list() {
          yield info('260101-0000-hello-t1-0003', '2026-01-01T00:00:00Z');
          yield info('250101-0000-hello-t2-0004', '2025-01-01T00:00:00Z');
        },
        getHandle: (id: string) => ({
          describe: () => {
            described.push(id);
            return Promise.reject(new Error('not found'));
          },
        }),
      },
    } as unknown as Parameters<typeof listRuns>[0];
    const rows = await listRuns(client, dir, { limit: 2 });
    expect(described).toEqual(['270101-0000-hello-new-0002']);
    expect(rows.map((r) => r.run_id)).toEqual(['270101-0000-hello-new-0002', '260101-0000-hello-t1-0003']);
  });

  it('show works from the folder alone, with the contract fields of --json', async () => {
    const run = folder('250101-0000-hello-b-0002', 'hello', 'failed', 0.2);
    const data = await gatherRun({ runId: '250101-0000-hello-b-0002', outputDir: dir });
    expect(data).toMatchObject({
      run_id: '250101-0000-hello-b-0002',
      status: 'failed',
      component: 'hello',
      branch: 'b',
      cost_usd: 0.2,
      source: 'folder',
      run_dir: run,
      tasks: [{ name: 'greet', status: 'completed', cost_usd: 0.2, turns: 2, error: null }],
      outputs: ['greeting.json'],
    });
    expect(await gatherRun({ runId: 'nope', outputDir: dir })).toBeUndefined();
  });

  it('show reports the deliverables recorded in result.json', async () => {
    const run = folder('250101-0000-hello-b-0002', 'hello', 'failed', 0.2);
    const result = JSON.parse(readFileSync(path.join(run, 'result.json'), 'utf8')) as Record<string, unknown>;
    const deliverables = {
      present: ['docs/a.md'],
      missing: [
        { path: 'docs/x.md', required: true },
        { path: 'notes.md', required: false },
      ],
    };
    writeFileSync(path.join(run, 'result.json'), JSON.stringify({ ...result, deliverables }));
    const data = await gatherRun({ runId: '250101-0000-hello-b-0002', outputDir: dir });
    expect(data?.deliverables).toEqual(deliverables);
    const text = stripVTControlCharacters(showText(data!));
    expect(text).toMatch(/delivered +docs\/a\.md/);
    expect(text).toMatch(/missing +docs\/x\.md, notes\.md \(optional\)/);
  });

  it("show of a finished run written by DKMV: no budget shown when it had none, no '(so far)'", async () => {
    const id = DKMV_RUN_ID;
    writeDkmvRun(dir);
    const text = stripVTControlCharacters(showText((await gatherRun({ runId: id, outputDir: dir }))!));
    expect(text).toMatch(/cost +\$1\.25\d*\n/);
    expect(text).not.toContain('budget');
    expect(text).not.toContain('so far');
  });

  it('saved outputs leave out dkmv records', () => {
    const run = folder('250101-0000-hello-b-0002', 'hello', 'failed', 0.2);
    mkdirSync(path.join(run, 'docs'));
    writeFileSync(path.join(run, 'docs', 'prompt_x.md'), 'kept: inside a saved folder');
    expect(savedOutputs(run)).toEqual(['docs/prompt_x.md', 'greeting.json']);
  });
});
