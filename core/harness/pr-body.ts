// The body of the harness's pull request (or of docs/harness/report.md when no PR can be opened):
// what was built, the work per unit, the evaluation (pass rate, rounds, per-unit scores with key
// evidence) and the remaining issues. Pure markdown from the workflow's final state.
import { PASS_SCORE, type SettledCriterion, type SettledReport } from './eval-report.js';

export const REPORT_PATH = 'docs/harness/report.md';

export interface PrUnit {
  id: string;
  title: string;
  /** e.g. landed, blocked, failed. */
  status: string;
  attempts?: number;
  files?: string[];
}

export interface PrBodyInput {
  /** One line: what the user asked for. */
  title: string;
  overview: string;
  features?: { id: string; name: string; description?: string }[];
  units: PrUnit[];
  evaluation: {
    /** Rounds of build/fix the build took. */
    rounds: number;
    replans: number;
    /** The last round's settled reports (one per evaluator batch). */
    reports: SettledReport[];
    smoke?: { passed: boolean; screenshot?: string };
  };
  /** Extra issues to document (blocked units, an unverified smoke test, …). */
  remainingIssues?: string[];
  /** `passed`: every criterion ≥7; `with_issues`: shipped after the last round without a pass. */
  outcome: 'passed' | 'with_issues';
}

/** A markdown table cell: one line, pipes escaped, at most `max` characters. */
function cell(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function passRate(criteria: SettledCriterion[]): string {
  const passed = criteria.filter((c) => c.score >= PASS_SCORE).length;
  const pct = criteria.length === 0 ? 0 : Math.round((passed / criteria.length) * 100);
  return `${passed}/${criteria.length} (${pct}%)`;
}

function perUnitRows(criteria: SettledCriterion[], units: PrUnit[]): string[] {
  const groups = new Map<string, SettledCriterion[]>();
  for (const u of units) groups.set(u.id, []);
  for (const c of criteria) {
    const key = c.unit ?? 'Overall';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const rows: string[] = [];
  for (const [unit, list] of groups) {
    if (list.length === 0) continue;
    const passed = list.filter((c) => c.score >= PASS_SCORE).length;
    const mean = list.reduce((s, c) => s + c.score, 0) / list.length;
    const weakest = [...list].sort((a, b) => a.score - b.score)[0]!;
    rows.push(
      `| ${cell(unit, 40)} | ${passed}/${list.length} | ${mean.toFixed(1)} (min ${weakest.score}) | ${cell(`${weakest.criterion_id}: ${weakest.evidence}`)} |`,
    );
  }
  return rows;
}

function remaining(input: PrBodyInput, criteria: SettledCriterion[]): string[] {
  const out = criteria
    .filter((c) => c.score < PASS_SCORE)
    .map((c) => {
      const hint = c.fix_hint ? ` Fix hint: ${c.fix_hint.replace(/\s+/g, ' ')}` : '';
      return `- **${c.criterion_id}**${c.unit ? ` (${c.unit})` : ''}, score ${c.score}: ${c.text.replace(/\s+/g, ' ')} — ${c.evidence.replace(/\s+/g, ' ')}${hint}`;
    });
  for (const issue of input.remainingIssues ?? []) out.push(`- ${issue.replace(/\s+/g, ' ')}`);
  return out.length ? out : ['None: every criterion scored 7 or more.'];
}

export function renderPrBody(input: PrBodyInput): string {
  const criteria = input.evaluation.reports.flatMap((r) => r.criteria);
  const lines: string[] = [];
  lines.push('## What was built', '', input.overview.trim(), '');
  for (const f of input.features ?? []) lines.push(`- **${f.name}**${f.description ? `: ${f.description}` : ''}`);
  if (input.features?.length) lines.push('');

  lines.push('## Work completed', '', '| Unit | Title | Status | Attempts | Files |', '|---|---|---|---|---|');
  for (const u of input.units) {
    const files = u.files?.length ? u.files.slice(0, 6).join(', ') + (u.files.length > 6 ? ', …' : '') : '';
    lines.push(
      `| ${cell(u.id, 20)} | ${cell(u.title, 80)} | ${cell(u.status, 20)} | ${u.attempts ?? ''} | ${cell(files, 120)} |`,
    );
  }
  lines.push('');

  const ev = input.evaluation;
  lines.push('## Evaluation results', '');
  lines.push(
    `- Outcome: ${input.outcome === 'passed' ? 'PASS (every criterion scored 7 or more)' : 'shipped with remaining issues'}`,
  );
  lines.push(`- Pass rate: ${passRate(criteria)}`);
  lines.push(`- Rounds: ${ev.rounds}${ev.replans ? `, re-planned ${ev.replans} time(s)` : ''}`);
  lines.push(
    `- Evaluators: ${ev.reports.length} batch(es), run in parallel, each with its own app and headless Chromium`,
  );
  if (ev.smoke)
    lines.push(
      `- Smoke test: ${ev.smoke.passed ? 'passed' : 'failed'}${ev.smoke.screenshot ? ` (screenshot \`${ev.smoke.screenshot}\`)` : ''}`,
    );
  lines.push('', '### Per-unit scores', '', '| Unit | Criteria passed | Score | Key evidence |', '|---|---|---|---|');
  lines.push(...perUnitRows(criteria, input.units), '');

  lines.push('## Remaining issues', '', ...remaining(input, criteria), '');
  lines.push(
    '---',
    `Built by the dkmv harness: planner → ${input.units.length} parallel generators → ${ev.reports.length} parallel evaluators.`,
  );
  return `${lines.join('\n')}\n`;
}
