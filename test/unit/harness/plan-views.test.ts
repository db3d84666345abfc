// Ownership keys, the ownership map, landing order, marker lines, ids and the readable views.
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../core/harness/gate1.js';
import { generatorChildId, childRunId, plannerChildId, unitBranch } from '../../../core/harness/ids.js';
import { generatorMarker, plannerMarker } from '../../../core/harness/markers.js';
import { covers } from '../../../core/harness/ownership-keys.js';
import type { HarnessPlan } from '../../../core/harness/plan-schema.js';
import { landingOrder, ownershipMap, renderPlanMd, sharedBrief, unitBrief } from '../../../core/harness/plan-views.js';
import { renderReport } from '../../../core/harness/report.js';
import type { HarnessView } from '../../../core/harness/types.js';
import { fixturePlan } from './fixture-plan.js';

function plan(): HarnessPlan {
  const r = checkPlan(fixturePlan());
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.plan;
}

describe('ownership keys', () => {
  it('dir ⊇ file ⊇ symbol ⊇ member, and nothing else', () => {
    expect(covers('public/', 'public/widgets.js')).toBe(true);
    expect(covers('public/', 'public/sub/')).toBe(true);
    expect(covers('public/widgets.js', 'public/widgets.js:createTodo')).toBe(true);
    expect(covers('a.js:Class', 'a.js:Class.method')).toBe(true);
    expect(covers('a.js:Class', 'a.js:ClassB')).toBe(false);
    expect(covers('a.js:createTodo', 'a.js')).toBe(false);
    expect(covers('public/widgets.js', 'public/widgets.jsx')).toBe(false);
    expect(covers('public/widgets.js:a', 'public/widgets.js:b')).toBe(false);
  });
});

describe('plan views', () => {
  it('maps every owns key to its unit', () => {
    expect(ownershipMap(plan())).toMatchObject({
      'server.mjs': 'WU-01',
      'public/app.js': 'WU-01',
      'public/widgets.js:createCounter': 'WU-02',
      'public/widgets.js:createTodo': 'WU-03',
    });
  });

  it('lands aggregation owners first, then by id', () => {
    const p = plan();
    p.aggregation_symbols[0]!.owner = 'WU-03';
    expect(landingOrder(p, ['WU-02', 'WU-01', 'WU-03'])).toEqual(['WU-03', 'WU-01', 'WU-02']);
  });

  it('a unit brief holds its own criteria only; the shared brief has the manifest', () => {
    const p = plan();
    const brief = unitBrief(p.units[1]!);
    expect(brief).toContain('WU-02-C3');
    expect(brief).not.toContain('WU-03-C1');
    expect(sharedBrief(p)).toContain('| createTodo | public/widgets.js | createTodo | WU-03 |');
    expect(renderPlanMd(p)).toContain('### WU-03: Todo widget (low)');
  });

  it('marker lines and ids are exact', () => {
    expect(plannerMarker(2)).toBe('dkmv-harness role=planner attempt=2');
    expect(generatorMarker('WU-02', 1, 3)).toBe('dkmv-harness role=generator unit=WU-02 round=1 attempt=3');
    expect(plannerChildId('r1', 1)).toBe('r1/plan/a1');
    expect(generatorChildId('r1', 'WU-02', 1, 2)).toBe('r1/gen/WU-02/r1a2');
    expect(childRunId('r1/gen/WU-02/r1a2')).toBe('r1--gen--WU-02--r1a2');
    expect(unitBranch('feat/app', 'WU-02', 1, 2)).toBe('feat/app--wu-02-r1a2');
  });

  it('the report lists units, structural merges, blocked units and cost', () => {
    const view: HarnessView = {
      runId: 'r1',
      kind: 'harness',
      prompt: 'build it',
      repo: '/r.git',
      branch: 'feat/app',
      status: 'completed',
      phase: 'done',
      round: 1,
      costUsd: 0.5,
      budgetExhausted: true,
      startedAt: '2026-01-01T00:00:00Z',
      planAttempts: [
        {
          attempt: 1,
          childId: 'r1/plan/a1',
          childStatus: 'completed',
          costUsd: 0.1,
          accepted: false,
          problems: ['G1.4: x'],
        },
        { attempt: 2, childId: 'r1/plan/a2', childStatus: 'completed', costUsd: 0.1, accepted: true, problems: [] },
      ],
      units: [
        {
          id: 'WU-02',
          title: 'Counter',
          status: 'landed',
          costUsd: 0.2,
          attempts: [
            {
              round: 1,
              attempt: 1,
              childId: 'c',
              branch: 'b',
              childStatus: 'completed',
              costUsd: 0.2,
              turns: 3,
              land: {
                status: 'merged',
                commit: 'abcdef1234567',
                resolved: [{ file: 'public/widgets.js', symbols: ['createCounter'] }],
                conflicts: [],
                unparsable: [],
              },
            },
          ],
        },
        { id: 'WU-03', title: 'Todo', status: 'blocked', costUsd: 0.1, attempts: [], feedback: 'conflict in x.js' },
      ],
    };
    const md = renderReport(view);
    expect(md).toContain('1/2 units landed, 1 blocked');
    expect(md).toContain('**Budget exhausted**');
    expect(md).toContain('| WU-02 | Counter | landed | 1 | abcdef1234 | $0.2000 |');
    // every child is a cost row; what no child accounts for (WU-03 has no attempt recorded) has its own row
    expect(md).toContain('| `r1/plan/a1` | planner |  | completed | $0.1000 |');
    expect(md).toContain('| (not recorded per child) | | | | $0.1000 |');
    expect(md).toContain('| **total** | 3 children | | | $0.5000 |');
    expect(md).toContain('- WU-02: `public/widgets.js` (createCounter)');
    expect(md).toContain('- WU-03: conflict in x.js');
    expect(md).toContain('- attempt 1 rejected: 1 problem(s), first: G1.4: x');
  });
});
