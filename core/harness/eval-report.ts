// The evaluator's report (`.agent/eval_report.json`, harness note §6.4) and Gate 4 in code: an
// evaluator's opinion counts only when its report covers the batch, backs failures with fix hints,
// points at real screenshots and respects the score caps. Pure: the screenshot files are inspected
// by an activity (activities/harness/browser-screenshots.ts) and handed in as facts.
import { z } from 'zod';
import { buildEvidenceSchema, evidenceComplaints, screenshotKind, usableEvidenceIds } from './kind-evidence.js';
import type { AppKind } from './plan-schema.js';

export const EVAL_REPORT_PATH = '.agent/eval_report.json';
/** Where an evaluator re-run finds the batch's previous report (staged by the harness). */
export const PREVIOUS_EVAL_REPORT_PATH = '.agent/previous_eval_report.json';
/** Screenshots must live here (relative to the workspace), so they are committed with the report. */
export const EVAL_SCREENSHOT_DIR = '.agent/eval/';
/** A criterion passes at this score (dkh's threshold). */
export const PASS_SCORE = 7;

/** Score caps: a dead element or an endless spinner ≤3, generic ("AI slop") design ≤4. */
export const SCORE_CAPS = { dead_element: 3, endless_spinner: 3, ai_slop: 4, generic_design: 4 } as const;
export type CapName = keyof typeof SCORE_CAPS;

export const VERDICTS = ['PASS', 'RETRY', 'REPLAN'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Built on first use (workflow code loads this file for every new workflow; see plan-schema.ts). */
function buildEvalReportSchema() {
  const CriterionScoreSchema = z.object({
    criterion_id: z.string().min(1),
    criterion: z.string().optional(),
    score: z.number().int().min(0).max(10),
    passed: z.boolean().optional(),
    evidence: z.string().min(20, 'evidence must be specific (at least 20 characters)'),
    evidence_refs: z.array(z.string()).default([]),
    fix_hint: z.string().nullable().optional(),
    caps_applied: z.array(z.enum(Object.keys(SCORE_CAPS) as [CapName, ...CapName[]])).default([]),
  });

  const ScreenshotSchema = z.object({
    id: z.string().min(1),
    path: z.string().min(1),
    url: z.string().optional(),
    viewport: z.string().optional(),
    when: z.string().optional(),
  });

  return z.object({
    batch_id: z.string().min(1),
    round: z.number().int().positive(),
    units: z.array(z.string()).default([]),
    integration: z.boolean().default(false),
    verdict: z.enum(VERDICTS),
    verdict_rationale: z.string().default(''),
    criteria: z.array(CriterionScoreSchema),
    interactive_audit: z
      .array(
        z.object({
          page: z.string(),
          selector: z.string(),
          changed: z.boolean(),
          before: z.string().optional(),
          after: z.string().optional(),
        }),
      )
      .default([]),
    console_errors: z.array(z.object({ type: z.string(), text: z.string() })).default([]),
    screenshots: z.array(ScreenshotSchema).default([]),
    // Non-web builds (app.kind service, cli, library): requests or commands instead of screenshots.
    evidence: z.array(buildEvidenceSchema()).default([]),
  });
}

export const EvalReportSchema = z.lazy(buildEvalReportSchema);
export type EvalReport = z.infer<typeof EvalReportSchema>;
export type CriterionScore = EvalReport['criteria'][number];
export type ReportScreenshot = EvalReport['screenshots'][number];

/** One criterion the batch must score (from the plan). `unit` is absent for overall (OV-*) criteria. */
export interface BatchCriterion {
  id: string;
  text: string;
  kind: 'ui' | 'api' | 'behavior' | 'build' | 'design';
  unit?: string;
}

/** What the workflow asked the evaluator for. */
export interface BatchExpectation {
  batchId: string;
  round: number;
  criteria: BatchCriterion[];
  /** The build's kind (absent = web): which evidence Gate 4 accepts. */
  appKind?: AppKind;
}

/** The integration batch's extra row (the "weakest link" design score). */
export const DESIGN_QUALITY_CRITERION: BatchCriterion = {
  id: 'OV-DESIGN',
  text: 'Design quality: the app follows the plan’s design direction with a coherent, distinctive look (not generic)',
  kind: 'design',
};

/** What an activity found on disk for one screenshot path (relative to the workspace). */
export interface ScreenshotFacts {
  exists: boolean;
  png: boolean;
  nonblank: boolean;
  bytes: number;
}

/** Screenshot paths a report references, for the activity to inspect. */
export function screenshotPaths(report: EvalReport): string[] {
  return [...new Set(report.screenshots.map((s) => s.path))];
}

export type Gate4Result = { ok: true; report: EvalReport } | { ok: false; complaints: string[]; report?: EvalReport };

/** Parses the raw JSON text (or value); complaints say where the schema failed. */
export function parseEvalReport(raw: unknown): { report?: EvalReport; complaints: string[] } {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (err) {
      return { complaints: [`${EVAL_REPORT_PATH} is not valid JSON: ${(err as Error).message}`] };
    }
  }
  const parsed = EvalReportSchema.safeParse(value);
  if (parsed.success) return { report: parsed.data, complaints: [] };
  return {
    complaints: parsed.error.issues.map(
      (i) => `${EVAL_REPORT_PATH}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`,
    ),
  };
}

function isUnderEvalDir(p: string): boolean {
  const norm = p.replace(/^\.\//, '');
  return norm.startsWith(EVAL_SCREENSHOT_DIR) && !norm.split('/').includes('..');
}

/** Complaints about one criterion's own entry (fix hint, caps, refs); empty = acceptable. */
function criterionComplaints(
  c: CriterionScore,
  expected: BatchCriterion,
  shots: Map<string, ReportScreenshot>,
  facts: Record<string, ScreenshotFacts>,
  web: boolean,
  evidenceIds: Set<string>,
): string[] {
  const out: string[] = [];
  const at = `criterion ${c.criterion_id}`;
  if (c.score < PASS_SCORE && !c.fix_hint?.trim()) {
    out.push(`${at} fails (score ${c.score}) but has no fix_hint: name the file:function and the change`);
  }
  for (const cap of c.caps_applied) {
    if (c.score > SCORE_CAPS[cap])
      out.push(`${at}: caps_applied has ${cap} (≤${SCORE_CAPS[cap]}) but the score is ${c.score}`);
  }
  if (!web && c.evidence_refs.length === 0) {
    out.push(`${at}: evidence_refs must name at least one evidence[] id (what you ran and what came back)`);
  }
  if (web && (expected.kind === 'ui' || expected.kind === 'design') && c.evidence_refs.length === 0) {
    out.push(`${at} is a ${expected.kind} criterion: evidence_refs must name at least one screenshot id`);
  }
  for (const ref of c.evidence_refs) {
    if (evidenceIds.has(ref)) continue;
    const shot = shots.get(ref);
    if (!shot) out.push(`${at}: evidence_refs names "${ref}", which is not in screenshots[]`);
    else if (!screenshotOk(shot, facts)) out.push(`${at}: evidence_refs "${ref}" points at an unusable screenshot`);
  }
  return out;
}

function screenshotOk(shot: ReportScreenshot, facts: Record<string, ScreenshotFacts>): boolean {
  const f = facts[shot.path];
  return isUnderEvalDir(shot.path) && !!f?.exists && f.png && f.nonblank;
}

/**
 * Gate 4: every batch criterion appears exactly once, failing criteria have a fix hint, every
 * screenshot exists under .agent/eval/ as a non-blank PNG and every reference resolves, scores
 * respect the caps they claim. `facts` holds the activity's findings per screenshot path.
 */
export function checkEvalReport(
  raw: unknown,
  expectation: BatchExpectation,
  facts: Record<string, ScreenshotFacts>,
): Gate4Result {
  const { report, complaints } = parseEvalReport(raw);
  if (!report) return { ok: false, complaints };
  const out: string[] = [];
  if (report.batch_id !== expectation.batchId) {
    out.push(`batch_id is "${report.batch_id}", expected "${expectation.batchId}"`);
  }
  if (report.round !== expectation.round) out.push(`round is ${report.round}, expected ${expectation.round}`);

  const expected = new Map(expectation.criteria.map((c) => [c.id, c]));
  const counts = new Map<string, number>();
  for (const c of report.criteria) counts.set(c.criterion_id, (counts.get(c.criterion_id) ?? 0) + 1);
  for (const id of expected.keys()) {
    const n = counts.get(id) ?? 0;
    if (n === 0) out.push(`criterion ${id} is missing: score every criterion of the batch`);
    if (n > 1) out.push(`criterion ${id} appears ${n} times: score it exactly once`);
  }
  for (const id of counts.keys()) {
    if (!expected.has(id)) out.push(`criterion ${id} is not part of batch ${expectation.batchId}`);
  }

  const web = screenshotKind(expectation.appKind);
  const evidenceIds = web ? new Set<string>() : usableEvidenceIds(report.evidence, expectation.appKind);
  if (!web) out.push(...evidenceComplaints(report.evidence, expectation.appKind));
  else if (report.screenshots.length === 0) out.push(`no screenshots: save at least one under ${EVAL_SCREENSHOT_DIR}`);
  const shots = new Map<string, ReportScreenshot>();
  for (const s of report.screenshots) {
    if (shots.has(s.id)) out.push(`screenshot id "${s.id}" is used twice`);
    shots.set(s.id, s);
    out.push(...screenshotComplaints(s, facts));
  }

  const seen = new Set<string>();
  for (const c of report.criteria) {
    const exp = expected.get(c.criterion_id);
    if (!exp || seen.has(c.criterion_id)) continue;
    seen.add(c.criterion_id);
    out.push(...criterionComplaints(c, exp, shots, facts, web, evidenceIds));
  }
  return out.length === 0 ? { ok: true, report } : { ok: false, complaints: out, report };
}

function screenshotComplaints(s: ReportScreenshot, facts: Record<string, ScreenshotFacts>): string[] {
  const at = `screenshot ${s.id} (${s.path})`;
  if (!isUnderEvalDir(s.path)) return [`${at} is not under ${EVAL_SCREENSHOT_DIR}`];
  const f = facts[s.path];
  if (!f?.exists) return [`${at} does not exist`];
  if (!f.png) return [`${at} is not a PNG file`];
  if (!f.nonblank) return [`${at} is blank (one colour): take it after the page rendered`];
  return [];
}

/** A criterion's final score after Gate 4, as the verdict and the PR body use it. */
export interface SettledCriterion {
  criterion_id: string;
  text: string;
  unit?: string;
  score: number;
  passed: boolean;
  evidence: string;
  fix_hint: string | null;
  evidence_refs: string[];
}

/** A batch's result after Gate 4 (and its one re-run). */
export interface SettledReport {
  batch_id: string;
  round: number;
  /** The evaluator's own verdict; the verdict rules recompute it from the scores. */
  claimed_verdict: Verdict;
  verdict_rationale: string;
  criteria: SettledCriterion[];
  /** Gate 4 complaints still standing after the last attempt (empty for a valid report). */
  complaints: string[];
  /** Screenshots usable as evidence (existing, PNG, non-blank), relative to the workspace. */
  screenshots: ReportScreenshot[];
}

/**
 * The scores that count, from the last attempt's report (valid or not): criteria missing (or
 * without a report at all) score 0, a score above a claimed cap is clamped to it, and a failing
 * criterion whose only evidence is an unusable screenshot keeps its failure. Default FAIL.
 */
export function settleEvalReport(
  raw: unknown,
  expectation: BatchExpectation,
  facts: Record<string, ScreenshotFacts>,
): SettledReport {
  const gate = checkEvalReport(raw, expectation, facts);
  const report = gate.report;
  const complaints = gate.ok ? [] : gate.complaints;
  const byId = new Map<string, CriterionScore>();
  for (const c of report?.criteria ?? []) if (!byId.has(c.criterion_id)) byId.set(c.criterion_id, c);
  const usable = (report?.screenshots ?? []).filter((s) => screenshotOk(s, facts));
  const web = screenshotKind(expectation.appKind);
  const evidenceIds = web ? new Set<string>() : usableEvidenceIds(report?.evidence ?? [], expectation.appKind);
  const usableIds = new Set([...usable.map((s) => s.id), ...evidenceIds]);
  const criteria = expectation.criteria.map((exp): SettledCriterion => {
    const c = byId.get(exp.id);
    const base = { criterion_id: exp.id, text: exp.text, ...(exp.unit ? { unit: exp.unit } : {}) };
    if (!c) {
      return {
        ...base,
        score: 0,
        passed: false,
        evidence: 'not scored by the evaluator (missing from its report after the re-run): default FAIL',
        fix_hint: null,
        evidence_refs: [],
      };
    }
    let score = c.score;
    for (const cap of c.caps_applied) score = Math.min(score, SCORE_CAPS[cap]);
    // A ui/design criterion needs a screenshot that really shows something; without one it cannot pass.
    const refs = c.evidence_refs.filter((r) => usableIds.has(r));
    if (web && (exp.kind === 'ui' || exp.kind === 'design') && refs.length === 0)
      score = Math.min(score, PASS_SCORE - 1);
    // A non-web criterion passes only on a recorded request or command.
    if (!web && refs.length === 0) score = Math.min(score, PASS_SCORE - 1);
    return {
      ...base,
      score,
      passed: score >= PASS_SCORE,
      evidence: c.evidence,
      fix_hint: c.fix_hint?.trim() ? c.fix_hint.trim() : null,
      evidence_refs: refs,
    };
  });
  return {
    batch_id: expectation.batchId,
    round: expectation.round,
    claimed_verdict: report?.verdict ?? 'RETRY',
    verdict_rationale: report?.verdict_rationale ?? '',
    criteria,
    complaints,
    screenshots: usable,
  };
}

/** The re-run prompt's addition: the gate's complaints as a numbered list. */
export function gate4Feedback(complaints: string[]): string {
  return [
    `Your ${EVAL_REPORT_PATH} was rejected by the harness (Gate 4). Fix every point and write the report again:`,
    ...complaints.map((c, i) => `${i + 1}. ${c}`),
  ].join('\n');
}

/** Units per evaluator batch (dkh's limit): each batch is one evaluator child with its own app and browser. */
export const MAX_UNITS_PER_BATCH = 3;

/**
 * The round's batches: units in groups of ≤3 (`r<round>-b1`, `-b2`, …) plus one integration batch
 * (`r<round>-int`) scoring the overall criteria and the design-quality row.
 */
export function planEvalBatches(
  round: number,
  units: { id: string; criteria: Omit<BatchCriterion, 'unit'>[] }[],
  overall: Omit<BatchCriterion, 'unit'>[],
  appKind?: AppKind,
): (BatchExpectation & { units: string[]; integration: boolean })[] {
  const out: (BatchExpectation & { units: string[]; integration: boolean })[] = [];
  for (let i = 0; i < units.length; i += MAX_UNITS_PER_BATCH) {
    const group = units.slice(i, i + MAX_UNITS_PER_BATCH);
    out.push({
      batchId: `r${round}-b${out.length + 1}`,
      round,
      units: group.map((u) => u.id),
      integration: false,
      criteria: group.flatMap((u) => u.criteria.map((c) => ({ ...c, unit: u.id }))),
      ...(appKind ? { appKind } : {}),
    });
  }
  out.push({
    batchId: `r${round}-int`,
    round,
    units: [],
    integration: true,
    // Only a page has a look to judge: the design-quality row is for web builds.
    criteria: screenshotKind(appKind) ? [...overall, DESIGN_QUALITY_CRITERION] : [...overall],
    ...(appKind ? { appKind } : {}),
  });
  return out;
}

/** The criteria as the evaluator prompt lists them: `- <id> [<kind>] (<unit>): <text>`. */
export function formatBatchCriteria(criteria: BatchCriterion[]): string {
  return criteria.map((c) => `- ${c.id} [${c.kind}] (${c.unit ?? 'overall'}): ${c.text}`).join('\n');
}

/** Template variables of the evaluator role component (components/harness/evaluator). */
export function evaluatorVars(input: {
  batch: BatchExpectation & { units: string[]; integration: boolean };
  spec: string;
  app: { install: string; start: string; ready_path: string };
  port: number;
  feedback?: string;
  /** What `.agent/previous_eval_report.json` is, when one was staged (e.g. "your report of attempt 1"). */
  previousReport?: string;
}): Record<string, string> {
  return {
    harness_batch: input.batch.batchId,
    harness_round: String(input.batch.round),
    harness_units: input.batch.integration
      ? 'integration (overall criteria and design quality)'
      : input.batch.units.join(', '),
    harness_criteria: formatBatchCriteria(input.batch.criteria),
    harness_spec: input.spec,
    harness_port: String(input.port),
    harness_app_install: input.app.install,
    harness_app_start: input.app.start,
    harness_ready_path: input.app.ready_path,
    harness_feedback: input.feedback ?? '',
    harness_previous_report: input.previousReport ?? '',
    harness_app_kind: input.batch.appKind ?? 'web',
  };
}
