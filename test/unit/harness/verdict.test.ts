// The verdict rules: scores decide (≥7 passes), worst verdict wins, one REPLAN per build, and a FIX
// round re-dispatches exactly the units that own a failing criterion.
import { describe, expect, it } from 'vitest';
import type { SettledCriterion, SettledReport } from '../../../core/harness/eval-report.js';
import {
  combineVerdicts,
  decideAfterEval,
  decideAfterSmoke,
  reportVerdict,
  unitsToRedispatch,
} from '../../../core/harness/verdict.js';
import { filesMentioned, ownerOfFile, type OwnerManifest } from '../../../core/harness/verdict-owners.js';

const manifest: OwnerManifest = {
  fileOwners: {
    'server.mjs': 'WU-01',
    'public/app.js': 'WU-01',
    'public/widgets.js': 'WU-02',
    'public/todo/': 'WU-03',
  },
  aggregationOwner: 'WU-01',
};

function crit(id: string, score: number, extra: Partial<SettledCriterion> = {}): SettledCriterion {
  return {
    criterion_id: id,
    text: `criterion ${id}`,
    score,
    passed: score >= 7,
    evidence: 'evidence long enough to count',
    fix_hint: score >= 7 ? null : 'see the evidence',
    evidence_refs: [],
    ...(/^WU-\d\d/.test(id) ? { unit: id.slice(0, 5) } : {}),
    ...extra,
  };
}

function rep(
  claimed: SettledReport['claimed_verdict'],
  criteria: SettledCriterion[],
  rationale = 'because',
): SettledReport {
  return {
    batch_id: 'r1-b1',
    round: 1,
    claimed_verdict: claimed,
    verdict_rationale: rationale,
    criteria,
    complaints: [],
    screenshots: [],
  };
}

describe('verdict', () => {
  it('a lenient PASS with a failing score is a RETRY', () => {
    expect(reportVerdict(rep('PASS', [crit('WU-02-C1', 5), crit('WU-02-C2', 9)]))).toBe('RETRY');
    expect(reportVerdict(rep('PASS', [crit('WU-02-C1', 7)]))).toBe('PASS');
    expect(reportVerdict(rep('REPLAN', [crit('WU-02-C1', 2)]))).toBe('REPLAN');
  });

  it('a RETRY with every criterion passing stands only with a stated reason', () => {
    expect(reportVerdict(rep('RETRY', [crit('WU-02-C1', 8)], 'dead #reset button found in the audit'))).toBe('RETRY');
    expect(reportVerdict(rep('RETRY', [crit('WU-02-C1', 8)], '  '))).toBe('PASS');
  });

  it('worst wins; a second REPLAN is a RETRY; no report is a RETRY', () => {
    expect(combineVerdicts(['PASS', 'RETRY', 'PASS'], 0)).toBe('RETRY');
    expect(combineVerdicts(['PASS', 'REPLAN', 'RETRY'], 0)).toBe('REPLAN');
    expect(combineVerdicts(['REPLAN'], 1)).toBe('RETRY');
    expect(combineVerdicts(['PASS', 'PASS'], 1)).toBe('PASS');
    expect(combineVerdicts([], 0)).toBe('RETRY');
  });

  it('re-dispatches units with failing criteria, and owners of failing overall criteria via the fix hint file', () => {
    const out = unitsToRedispatch(
      [
        crit('WU-02-C3', 3),
        crit('WU-02-C1', 9),
        crit('WU-03-C1', 8),
        crit('OV-C2', 4, { fix_hint: 'public/todo/list.js:renderList — escape the item text' }),
        crit('OV-C3', 2, { fix_hint: 'make the whole thing prettier', evidence: 'no file named here at all' }),
      ],
      manifest,
    );
    expect(out.map((a) => [a.unit, a.criteria.map((c) => c.criterion_id)])).toEqual([
      ['WU-01', ['OV-C3']], // nothing named a file: the aggregation owner
      ['WU-02', ['WU-02-C3']],
      ['WU-03', ['OV-C2']],
    ]);
  });

  it('decides: ship, fix only failing units, replan once, ship with issues after round 3 or when all are blocked', () => {
    const state = { round: 1, replanCount: 0, unitAttempts: { 'WU-01': 1, 'WU-02': 1, 'WU-03': 1 } };
    expect(decideAfterEval([rep('PASS', [crit('WU-02-C1', 8)])], manifest, state).action).toBe('SHIP');
    const fix = decideAfterEval(
      [rep('PASS', [crit('WU-02-C1', 5)]), rep('PASS', [crit('WU-03-C1', 9)])],
      manifest,
      state,
    );
    expect(fix).toMatchObject({ action: 'FIX', verdict: 'RETRY', blocked: [] });
    expect(fix.action === 'FIX' && fix.assignments.map((a) => a.unit)).toEqual(['WU-02']);
    expect(decideAfterEval([rep('REPLAN', [crit('WU-02-C1', 2)])], manifest, state).action).toBe('REPLAN');
    expect(decideAfterEval([rep('REPLAN', [crit('WU-02-C1', 2)])], manifest, { ...state, replanCount: 1 }).action).toBe(
      'FIX',
    );
    expect(decideAfterEval([rep('RETRY', [crit('WU-02-C1', 2)])], manifest, { ...state, round: 3 })).toMatchObject({
      action: 'SHIP_WITH_ISSUES',
      reason: 'no pass after 3 rounds',
    });
    const blocked = decideAfterEval([rep('RETRY', [crit('WU-02-C1', 2)])], manifest, {
      ...state,
      unitAttempts: { 'WU-02': 3 },
    });
    expect(blocked).toMatchObject({ action: 'SHIP_WITH_ISSUES', blocked: ['WU-02'] });
  });

  it('after SMOKE: evaluate, fix, or stop unverified after round 3', () => {
    expect(decideAfterSmoke(true, 1)).toBe('EVAL');
    expect(decideAfterSmoke(false, 2)).toBe('FIX');
    expect(decideAfterSmoke(false, 3)).toBe('UNVERIFIED');
  });
});

describe('owners', () => {
  it('finds a file by exact path, directory prefix or unique suffix (a browser URL path)', () => {
    expect(ownerOfFile(manifest, 'public/widgets.js:createCounter')).toBe('WU-02');
    expect(ownerOfFile(manifest, './public/todo/list.js')).toBe('WU-03');
    expect(ownerOfFile(manifest, 'widgets.js')).toBe('WU-02');
    expect(ownerOfFile(manifest, 'unknown.js')).toBeUndefined();
  });

  it('extracts files from stack traces, URLs and hints, not versions or IPs', () => {
    expect(
      filesMentioned('TypeError at http://127.0.0.1:4173/public/app.js:3:9 (node 18.19.0), see server.mjs:12.'),
    ).toEqual(['public/app.js', 'server.mjs']);
  });
});
