// Gate 4 as code: the evaluator's report must cover its batch exactly, back failures with fix hints,
// point at real non-blank PNG screenshots and respect the score caps; missing criteria score 0.
import { describe, expect, it } from 'vitest';
import {
  checkEvalReport,
  gate4Feedback,
  settleEvalReport,
  type BatchExpectation,
  type ScreenshotFacts,
} from '../../../core/harness/eval-report.js';

const expectation: BatchExpectation = {
  batchId: 'r1-b1',
  round: 1,
  criteria: [
    { id: 'WU-02-C1', text: 'Clicking + increments the counter shown in #count', kind: 'ui', unit: 'WU-02' },
    { id: 'WU-02-C2', text: 'The counter module exports createCounter', kind: 'build', unit: 'WU-02' },
  ],
};

const good: ScreenshotFacts = { exists: true, png: true, nonblank: true, bytes: 5000 };
const facts = { '.agent/eval/r1-b1/s1.png': good, '.agent/eval/r1-b1/s2.png': good };

function report(edit: (r: Record<string, unknown> & { criteria: Record<string, unknown>[] }) => void = () => {}) {
  const r = {
    batch_id: 'r1-b1',
    round: 1,
    units: ['WU-02'],
    integration: false,
    verdict: 'PASS',
    verdict_rationale: 'all criteria verified in the browser',
    criteria: [
      {
        criterion_id: 'WU-02-C1',
        score: 8,
        evidence: 'Clicked #inc three times; #count went 0 → 3 (s1 before, s2 after)',
        evidence_refs: ['s1', 's2'],
        fix_hint: null,
        caps_applied: [],
      },
      {
        criterion_id: 'WU-02-C2',
        score: 9,
        evidence: 'public/widgets.js exports createCounter; app.js imports it by that name',
        evidence_refs: [],
        caps_applied: [],
      },
    ],
    screenshots: [
      { id: 's1', path: '.agent/eval/r1-b1/s1.png', url: '/', when: 'before' },
      { id: 's2', path: '.agent/eval/r1-b1/s2.png', url: '/', when: 'after' },
    ],
  };
  edit(r as never);
  return r;
}

describe('Gate 4 (evaluator report)', () => {
  it('accepts a complete report whose screenshots are real PNGs', () => {
    const gate = checkEvalReport(JSON.stringify(report()), expectation, facts);
    expect(gate).toMatchObject({ ok: true });
  });

  it('rejects invalid JSON and schema errors with the field named', () => {
    const bad = checkEvalReport('{not json', expectation, facts);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.complaints[0]).toMatch(/not valid JSON/);
    const schema = checkEvalReport(
      report((r) => (r.criteria[0]!.score = 11)),
      expectation,
      facts,
    );
    expect(!schema.ok && schema.complaints.join('\n')).toMatch(/criteria\.0\.score/);
  });

  it('names a missing criterion, a duplicate and one from another batch', () => {
    const gate = checkEvalReport(
      report((r) => {
        r.criteria[1] = { ...r.criteria[0]! };
        r.criteria.push({ ...r.criteria[0]!, criterion_id: 'WU-09-C1' });
      }),
      expectation,
      facts,
    );
    expect(gate.ok).toBe(false);
    const text = !gate.ok ? gate.complaints.join('\n') : '';
    expect(text).toMatch(/criterion WU-02-C2 is missing/);
    expect(text).toMatch(/criterion WU-02-C1 appears 2 times/);
    expect(text).toMatch(/WU-09-C1 is not part of batch r1-b1/);
  });

  it('requires a fix hint on every failing criterion', () => {
    const gate = checkEvalReport(
      report((r) => (r.criteria[1]!.score = 4)),
      expectation,
      facts,
    );
    expect(!gate.ok && gate.complaints).toEqual([
      expect.stringMatching(/WU-02-C2 fails \(score 4\) but has no fix_hint/),
    ]);
  });

  it('enforces the caps: dead element ≤3, endless spinner ≤3, generic design ≤4', () => {
    for (const [cap, max] of [
      ['dead_element', 3],
      ['endless_spinner', 3],
      ['ai_slop', 4],
    ] as const) {
      const over = checkEvalReport(
        report((r) => {
          r.criteria[0]!.score = max + 1;
          r.criteria[0]!.caps_applied = [cap];
          r.criteria[0]!.fix_hint = 'public/widgets.js:createCounter — bind the click handler';
        }),
        expectation,
        facts,
      );
      expect(!over.ok && over.complaints.join('\n')).toContain(
        `caps_applied has ${cap} (≤${max}) but the score is ${max + 1}`,
      );
      const at = checkEvalReport(
        report((r) => {
          r.criteria[0]!.score = max;
          r.criteria[0]!.caps_applied = [cap];
          r.criteria[0]!.fix_hint = 'public/widgets.js:createCounter — bind the click handler';
        }),
        expectation,
        facts,
      );
      expect(at.ok).toBe(true);
    }
  });

  it('rejects a report without screenshots, a missing or blank or non-PNG file, a path outside .agent/eval/, a dangling ref', () => {
    const none = checkEvalReport(
      report((r) => {
        r.screenshots = [];
        r.criteria[0]!.evidence_refs = [];
      }),
      expectation,
      {},
    );
    const noneText = !none.ok ? none.complaints.join('\n') : '';
    expect(noneText).toMatch(/no screenshots/);
    expect(noneText).toMatch(/WU-02-C1 is a ui criterion: evidence_refs must name at least one screenshot/);

    const broken = checkEvalReport(
      report((r) => {
        r.screenshots = [
          { id: 's1', path: '.agent/eval/r1-b1/s1.png' },
          { id: 's2', path: '.agent/eval/r1-b1/s2.png' },
          { id: 's3', path: 'shots/s3.png' },
        ];
        r.criteria[0]!.evidence_refs = ['s1', 's2', 's9'];
      }),
      expectation,
      {
        '.agent/eval/r1-b1/s1.png': { exists: true, png: true, nonblank: false, bytes: 900 },
        '.agent/eval/r1-b1/s2.png': { exists: true, png: false, nonblank: false, bytes: 12 },
      },
    );
    const text = !broken.ok ? broken.complaints.join('\n') : '';
    expect(text).toMatch(/screenshot s1 .* is blank/);
    expect(text).toMatch(/screenshot s2 .* is not a PNG/);
    expect(text).toMatch(/screenshot s3 \(shots\/s3.png\) is not under .agent\/eval\//);
    expect(text).toMatch(/evidence_refs names "s9", which is not in screenshots/);

    const missing = checkEvalReport(report(), expectation, {});
    expect(!missing.ok && missing.complaints.join('\n')).toMatch(/s1 .* does not exist/);
  });

  it('checks the batch id and round', () => {
    const gate = checkEvalReport(
      report((r) => ((r.batch_id = 'r1-b2'), (r.round = 2))),
      expectation,
      facts,
    );
    const text = !gate.ok ? gate.complaints.join('\n') : '';
    expect(text).toMatch(/batch_id is "r1-b2", expected "r1-b1"/);
    expect(text).toMatch(/round is 2, expected 1/);
  });

  it('feedback for the re-run is a numbered list of the complaints', () => {
    expect(gate4Feedback(['a', 'b'])).toMatch(/Gate 4\)[^\n]*\n1\. a\n2\. b$/);
  });
});

describe('settling a report after its last attempt', () => {
  it('keeps the scores of a valid report', () => {
    const settled = settleEvalReport(report(), expectation, facts);
    expect(settled.complaints).toEqual([]);
    expect(settled.criteria.map((c) => [c.criterion_id, c.score, c.passed, c.unit])).toEqual([
      ['WU-02-C1', 8, true, 'WU-02'],
      ['WU-02-C2', 9, true, 'WU-02'],
    ]);
    expect(settled.screenshots.map((s) => s.id)).toEqual(['s1', 's2']);
  });

  it('scores criteria still missing 0 (default FAIL), and no report at all fails everything', () => {
    const settled = settleEvalReport(
      report((r) => r.criteria.pop()),
      expectation,
      facts,
    );
    expect(settled.criteria[1]).toMatchObject({ criterion_id: 'WU-02-C2', score: 0, passed: false });
    expect(settled.complaints.join('\n')).toMatch(/WU-02-C2 is missing/);
    const nothing = settleEvalReport(undefined, expectation, {});
    expect(nothing.criteria.every((c) => c.score === 0 && !c.passed)).toBe(true);
    expect(nothing.claimed_verdict).toBe('RETRY');
  });

  it('clamps a score above its claimed cap and fails a ui criterion without a usable screenshot', () => {
    const settled = settleEvalReport(
      report((r) => {
        r.criteria[0]!.score = 9;
        r.criteria[0]!.caps_applied = ['dead_element'];
      }),
      expectation,
      facts,
    );
    expect(settled.criteria[0]!.score).toBe(3);
    const blank = settleEvalReport(report(), expectation, {
      '.agent/eval/r1-b1/s1.png': { ...good, nonblank: false },
      '.agent/eval/r1-b1/s2.png': { ...good, exists: false },
    });
    expect(blank.criteria[0]).toMatchObject({ score: 6, passed: false, evidence_refs: [] });
    expect(blank.criteria[1]).toMatchObject({ score: 9, passed: true }); // a build criterion needs no screenshot
  });
});
