// The REVIEW gate (code, not trust): the reviewer's `.agent/review.json` is parsed, its score is
// recomputed as the minimum of the four dimensions (1–5 each), findings without a file and a line
// are rejected, and the unit passes at `minScore` (default 4, dkh's threshold). Below it, the
// accepted findings go verbatim to a review-fix generator attempt. Pure.
import type { RoleSettings } from './types.js';

export const REVIEW_PATH = '.agent/review.json';
export const REVIEW_DIMENSIONS = ['correctness', 'contracts', 'tests', 'readability'] as const;
export const DEFAULT_REVIEW_MIN_SCORE = 4;
/** Review-fix attempts per unit before it lands with its review attached. */
export const DEFAULT_REVIEW_ROUNDS = 2;

/** The review gate's settings; absent on the harness input = no review (`--no-review`, older runs). */
export interface ReviewSettings {
  minScore: number;
  maxRounds: number;
  role: RoleSettings;
  /** The reviewer role component (absolute). */
  roleDir: string;
}

export interface ReviewFinding {
  severity: 'blocker' | 'major' | 'minor';
  file: string;
  line: number;
  what: string;
  fix: string;
}

export interface ReviewVerdict {
  /** min(dimensions); null when the file is missing or its scores are not four whole numbers 1–5. */
  score: number | null;
  scores: Partial<Record<(typeof REVIEW_DIMENSIONS)[number], number>>;
  passed: boolean;
  /** Findings with a file and a line (the others are in `problems`). */
  findings: ReviewFinding[];
  summary: string;
  /** What the gate rejected in the file. */
  problems: string[];
}

const SEVERITIES = ['blocker', 'major', 'minor'] as const;

function record(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** The dimensions' scores, and a problem for each one missing or outside 1–5. */
function scoresOf(raw: Record<string, unknown>): { scores: ReviewVerdict['scores']; problems: string[] } {
  const given = record(raw.scores) ?? {};
  const scores: ReviewVerdict['scores'] = {};
  const problems: string[] = [];
  for (const d of REVIEW_DIMENSIONS) {
    const v = given[d];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5) scores[d] = v;
    else problems.push(`scores.${d} must be a whole number from 1 to 5 (got ${JSON.stringify(v ?? null)})`);
  }
  return { scores, problems };
}

/** Findings with a file and a positive line are kept; each other one is a problem. */
function findingsOf(raw: Record<string, unknown>): { findings: ReviewFinding[]; problems: string[] } {
  const list = Array.isArray(raw.findings) ? raw.findings : [];
  const findings: ReviewFinding[] = [];
  const problems: string[] = [];
  list.forEach((item, i) => {
    const f = record(item) ?? {};
    const file = text(f.file);
    const line = typeof f.line === 'string' ? Number(f.line) : f.line;
    if (!file || typeof line !== 'number' || !Number.isInteger(line) || line < 1) {
      problems.push(
        `findings[${i}] was rejected: a finding needs a file and a line number (${text(f.what) || 'no text'})`,
      );
      return;
    }
    const severity = SEVERITIES.includes(f.severity as never) ? (f.severity as ReviewFinding['severity']) : 'major';
    findings.push({ severity, file, line, what: text(f.what) || '(no description)', fix: text(f.fix) });
  });
  return { findings, problems };
}

/** Judges the raw text of review.json (undefined = the reviewer wrote none). */
export function gateReview(raw: string | undefined, minScore: number): ReviewVerdict {
  const empty = { score: null, scores: {}, passed: false, findings: [], summary: '' };
  if (raw === undefined) return { ...empty, problems: [`${REVIEW_PATH} is missing`] };
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = record(JSON.parse(raw));
  } catch (err) {
    return { ...empty, problems: [`${REVIEW_PATH} is not JSON: ${(err as Error).message}`] };
  }
  if (!parsed) return { ...empty, problems: [`${REVIEW_PATH} is not a JSON object`] };
  const s = scoresOf(parsed);
  const f = findingsOf(parsed);
  const complete = s.problems.length === 0;
  const score = complete ? Math.min(...REVIEW_DIMENSIONS.map((d) => s.scores[d]!)) : null;
  return {
    score,
    scores: s.scores,
    passed: score !== null && score >= minScore,
    findings: f.findings,
    summary: text(parsed.summary),
    problems: [...s.problems, ...f.problems],
  };
}

/** What the review-fix generator attempt is told: the score, each finding verbatim, the summary. */
export function reviewFeedback(verdict: ReviewVerdict, minScore: number): string {
  const dims = REVIEW_DIMENSIONS.map((d) => `${d} ${verdict.scores[d] ?? '?'}`).join(', ');
  const findings = verdict.findings.length
    ? verdict.findings
        .map((f) => `- [${f.severity}] ${f.file}:${f.line} — ${f.what}${f.fix ? `\n  Fix: ${f.fix}` : ''}`)
        .join('\n')
    : '- (the reviewer gave no finding with a file and line; use the summary)';
  return [
    `A code review of your unit scored ${verdict.score ?? 'no valid score'}/5 (${dims}); the minimum is ${minScore}.`,
    'Fix these findings in what your unit owns, keep everything that already works, then stop:',
    findings,
    verdict.summary ? `Reviewer's summary: ${verdict.summary}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}
