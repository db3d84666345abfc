// `dkmv runs` / `show` / `logs` / `stop` for harness runs: the run kind comes from the DkmvRunKind
// search attribute (or the run folder's config.json), children are hidden from the list and shown
// under their harness.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TypedSearchAttributes } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HarnessView } from '../../../core/harness/types.js';
import { DkmvComponent, DkmvRunKind } from '../../../core/temporal/search-attributes.js';
import { isHarnessRun } from '../../../cli/commands/control.js';
import type { RunObservation } from '../../../cli/run/observe.js';
import { childrenOf, harnessShow } from '../../../cli/runs/harness-show.js';
import { listRuns, matches, rowFromExecution } from '../../../cli/runs/list.js';
import { harnessLines, runsTable, showText } from '../../../cli/runs/render.js';
import { gatherRun } from '../../../cli/runs/show.js';
import { visibilityQuery } from '../../../cli/runs/status.js';

const RUN = '260101-0000-harness-tiny-ab12';

function view(): HarnessView {
  return {
    runId: RUN,
    kind: 'harness',
    prompt: 'a tiny app',
    repo: '/tmp/repo.git',
    branch: 'feat/tiny',
    status: 'completed',
    phase: 'done',
    round: 2,
    costUsd: 0.5,
    budgetExhausted: false,
    startedAt: '2026-01-01T00:00:00Z',
    endedAt: '2026-01-01T00:05:00Z',
    planAttempts: [
      {
        attempt: 1,
        childId: `${RUN}/plan/a1`,
        childStatus: 'completed',
        costUsd: 0.1,
        accepted: false,
        problems: ['G1.4: x'],
      },
      { attempt: 2, childId: `${RUN}/plan/a2`, childStatus: 'completed', costUsd: 0.1, accepted: true, problems: [] },
    ],
    units: [
      {
        id: 'WU-01',
        title: 'counter',
        status: 'landed',
        costUsd: 0.3,
        attempts: [
          {
            round: 1,
            attempt: 1,
            childId: `${RUN}/gen/WU-01/r1a1`,
            branch: 'feat/tiny--wu-01-r1a1',
            childStatus: 'completed',
            costUsd: 0.1,
            turns: 3,
            land: { status: 'conflict', resolved: [], conflicts: [], unparsable: [] },
          },
          {
            round: 2,
            attempt: 2,
            childId: `${RUN}/gen/WU-01/r2a2`,
            branch: 'feat/tiny--wu-01-r2a2',
            childStatus: 'completed',
            costUsd: 0.2,
            turns: 4,
            land: { status: 'merged', resolved: [], conflicts: [], unparsable: [] },
          },
        ],
      },
    ],
  };
}

function execution(workflowId: string, kind: string | undefined, parent?: string) {
  return {
    workflowId,
    status: { code: 2, name: 'COMPLETED' as const },
    startTime: new Date('2026-01-01T00:00:00Z'),
    closeTime: new Date('2026-01-01T00:05:00Z'),
    typedSearchAttributes: new TypedSearchAttributes([
      ...(kind ? [{ key: DkmvRunKind, value: kind }] : []),
      { key: DkmvComponent, value: kind === 'harness' ? 'harness' : 'dev' },
    ]),
    ...(parent ? { parentExecution: { workflowId: parent, runId: 'r' } } : {}),
  };
}

describe('dkmv runs: kind and children', () => {
  it('queries both workflow families; --kind filters on DkmvRunKind', () => {
    expect(visibilityQuery({})).toBe(`WorkflowType IN ('componentWorkflow', 'harnessWorkflow')`);
    expect(visibilityQuery({ kind: 'harness' })).toContain(`DkmvRunKind = 'harness'`);
    expect(visibilityQuery({ kind: 'component', branch: 'b' })).toContain(`DkmvRunKind = 'component'`);
  });

  it('reads the kind from the search attribute, not the id; a child carries its parent', () => {
    // an id that looks like a harness id but the attribute says component: the attribute wins
    expect(rowFromExecution(execution('260101-0000-harness-x-0001', 'component')).kind).toBe('component');
    expect(rowFromExecution(execution('260101-0000-other-x-0001', 'harness')).kind).toBe('harness');
    expect(rowFromExecution(execution('250101-0000-dev-old-0001', undefined)).kind).toBe('component');
    const child = rowFromExecution(execution(`${RUN}/plan/a1`, 'component', RUN));
    expect(child.parent).toBe(RUN);
    expect(matches(child, { limit: 10 })).toBe(false);
    expect(matches(child, { limit: 10, children: true })).toBe(true);
    const harness = rowFromExecution(execution(RUN, 'harness'));
    expect(matches(harness, { limit: 10, kind: 'harness' })).toBe(true);
    expect(matches(harness, { limit: 10, kind: 'component' })).toBe(false);
  });

  it('prints a KIND column', () => {
    const table = runsTable([rowFromExecution(execution(RUN, 'harness'))]);
    expect(table).toContain('KIND');
    expect(table).toMatch(new RegExp(`${RUN}.*harness`));
  });
});

describe('dkmv show / logs for a harness', () => {
  it('lists phase, round, plan attempts, units and every child with its status', () => {
    const h = harnessShow(view(), undefined);
    expect(h).toMatchObject({ phase: 'done', round: 2 });
    expect(h.units).toEqual([
      { id: 'WU-01', title: 'counter', status: 'landed', attempts: 2, cost_usd: 0.3, land: 'merged' },
    ]);
    expect(childrenOf(view()).map((c) => [c.workflow_id, c.role, c.unit ?? '', c.status])).toEqual([
      [`${RUN}/plan/a1`, 'planner', '', 'completed'],
      [`${RUN}/plan/a2`, 'planner', '', 'completed'],
      [`${RUN}/gen/WU-01/r1a1`, 'generator', 'WU-01', 'completed'],
      [`${RUN}/gen/WU-01/r2a2`, 'generator', 'WU-01', 'completed'],
    ]);
    expect(h.children[2]!.run_id).toBe(`${RUN}--gen--WU-01--r1a1`);
    const text = harnessLines(h).join('\n');
    expect(text).toContain('round');
    expect(text).toContain('1 problem(s)');
    expect(text).toContain(`${RUN}/gen/WU-01/r2a2`);
  });

  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-unit-hruns-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shows a harness from its run folder alone (config.json kind, harness.json, report.md)', async () => {
    const run = path.join(dir, RUN);
    mkdirSync(run, { recursive: true });
    writeFileSync(path.join(run, 'config.json'), JSON.stringify({ kind: 'harness', runId: RUN, branch: 'feat/tiny' }));
    writeFileSync(path.join(run, 'harness.json'), JSON.stringify(view()));
    writeFileSync(path.join(run, 'report.md'), '# report\n');
    const data = await gatherRun({ runId: RUN, outputDir: dir });
    expect(data).toMatchObject({ kind: 'harness', status: 'completed', cost_usd: 0.5, source: 'folder' });
    expect(data!.harness!.report).toBe(path.join(run, 'report.md'));
    expect(data!.harness!.children).toHaveLength(4);
    const text = showText(data!);
    expect(text).toContain(`${RUN}/plan/a2`);
    expect(text).toContain(`report: ${path.join(run, 'report.md')}`);
    // and the list shows it as a harness with its status from harness.json
    const rows = await listRuns(undefined, dir, { limit: 5 });
    expect(rows.map((r) => [r.run_id, r.kind, r.status])).toEqual([[RUN, 'harness', 'completed']]);
  });
});

describe('dkmv stop / approve dispatch', () => {
  it('treats a run as a harness by its DkmvRunKind attribute', () => {
    const obs = (kind: string) =>
      ({
        temporalStatus: 'RUNNING',
        description: { typedSearchAttributes: new TypedSearchAttributes([{ key: DkmvRunKind, value: kind }]) },
      }) as unknown as RunObservation;
    expect(isHarnessRun(obs('harness'))).toBe(true);
    expect(isHarnessRun(obs('component'))).toBe(false);
  });
});
