// The REVIEW gate's rule: the score is the minimum of the four dimensions, findings without a file
// and a line are rejected, the threshold decides, and the feedback quotes the findings verbatim.
import { describe, expect, it } from 'vitest';
import { gateReview, reviewFeedback } from '../../../core/harness/review-gate.js';

const review = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    unit: 'WU-02',
    scores: { correctness: 5, contracts: 4, tests: 3, readability: 5 },
    findings: [
      { severity: 'major', file: 'src/counter.js', line: 12, what: 'off by one', fix: 'start at 0' },
      { severity: 'minor', file: 'src/counter.js', what: 'no line given' },
      { severity: 'minor', line: 3, what: 'no file given' },
    ],
    summary: 'Mostly right.',
    score: 5, // a reviewer's own overall score is ignored
    ...over,
  });

describe('REVIEW gate', () => {
  it('recomputes the score as the lowest dimension and rejects findings without file and line', () => {
    const v = gateReview(review(), 4);
    expect(v.score).toBe(3);
    expect(v.passed).toBe(false);
    expect(v.findings).toEqual([
      { severity: 'major', file: 'src/counter.js', line: 12, what: 'off by one', fix: 'start at 0' },
    ]);
    expect(v.problems).toEqual([
      expect.stringContaining('findings[1] was rejected: a finding needs a file and a line number'),
      expect.stringContaining('findings[2] was rejected'),
    ]);
  });

  it('passes at the threshold; the threshold is a setting', () => {
    expect(gateReview(review(), 3).passed).toBe(true);
    const all4 = review({ scores: { correctness: 4, contracts: 4, tests: 4, readability: 5 } });
    expect(gateReview(all4, 4)).toMatchObject({ score: 4, passed: true });
  });

  it('a missing file, bad JSON or a score outside 1–5 is no valid review (score null, not passed)', () => {
    expect(gateReview(undefined, 4)).toMatchObject({
      score: null,
      passed: false,
      problems: [expect.stringContaining('missing')],
    });
    expect(gateReview('{nope', 4)).toMatchObject({ score: null, problems: [expect.stringContaining('not JSON')] });
    const bad = gateReview(review({ scores: { correctness: 6, contracts: 4, tests: 4, readability: 4 } }), 4);
    expect(bad).toMatchObject({ score: null, passed: false });
    expect(bad.problems[0]).toContain('scores.correctness must be a whole number from 1 to 5 (got 6)');
  });

  it('the review-fix feedback quotes the score, each finding and the summary', () => {
    const v = gateReview(review(), 4);
    expect(reviewFeedback(v, 4)).toBe(
      [
        'A code review of your unit scored 3/5 (correctness 5, contracts 4, tests 3, readability 5); the minimum is 4.',
        'Fix these findings in what your unit owns, keep everything that already works, then stop:',
        '- [major] src/counter.js:12 — off by one\n  Fix: start at 0',
        "Reviewer's summary: Mostly right.",
      ].join('\n'),
    );
  });
});
