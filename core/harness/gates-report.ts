// The CHECK and REVIEW gates as report lines: one line per check run and per unit review, for
// docs/harness/report.md, `dkmv show` and the follow output. Pure, from the status view.
import type { HarnessView } from './types.js';

/** `- Check: round 1 failed (`npm test` exited 1) — check/r1.json`, one per CHECK run. */
export function checkLines(view: HarnessView): string[] {
  return (view.quality?.checks ?? []).map(
    (c) =>
      `- Check: round ${c.round} ${c.passed ? 'passed' : 'failed'}${c.summary ? ` (${c.summary})` : ''} — \`${c.reportPath}\``,
  );
}

/** `- Review WU-02: 3/5 → 5/5 after 1 review-fix round(s)`, or landed below the threshold. */
export function reviewLines(view: HarnessView): string[] {
  const out: string[] = [];
  for (const u of view.units) {
    const reviews = u.reviews ?? [];
    if (reviews.length === 0) continue;
    const last = reviews[reviews.length - 1]!;
    const scores = reviews.map((r) => (r.score === null ? 'no valid review' : `${r.score}/5`)).join(' → ');
    const fixes = reviews.filter((r) => r.fixRequested).length;
    const below = !last.passed
      ? `; landed below the minimum score ${last.minScore} with the review attached (\`${last.reviewPath ?? 'no review file'}\`)`
      : '';
    out.push(`- Review ${u.id}: ${scores}${fixes ? ` after ${fixes} review-fix round(s)` : ''}${below}`);
  }
  return out;
}

/** The "## Gates" section of the report, or nothing when neither gate ran. */
export function gatesSection(view: HarnessView): string[] {
  const lines = [...checkLines(view), ...reviewLines(view)];
  return lines.length ? ['## Gates', '', ...lines, ''] : [];
}
