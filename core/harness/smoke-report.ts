// The smoke report (harness note §6.3): what the SMOKE phase found when it installed, started and
// loaded the app in headless Chromium, the pass rule, and which unit owns each failure.
// Pure: the activity (activities/harness/smoke.ts) gathers the facts, this file judges them.
import { z } from 'zod';
import { INTEGRATION, ownerOfText, type OwnerManifest } from './verdict-owners.js';

export const SMOKE_STEPS = ['install', 'start', 'ready', 'load', 'console'] as const;
export type SmokeStepName = (typeof SMOKE_STEPS)[number];

/** Built on first use (workflow code loads this file for every new workflow; see plan-schema.ts). */
function buildSmokeReportSchema() {
  const SmokeStepSchema = z.object({
    name: z.enum(SMOKE_STEPS),
    status: z.enum(['pass', 'fail', 'skipped']),
    duration_ms: z.number().int().nonnegative(),
    exit_code: z.number().int().nullable().optional(),
    log_tail: z.string().optional(),
    detail: z.string().optional(),
  });

  const ConsoleErrorSchema = z.object({
    type: z.enum(['error', 'pageerror']),
    text: z.string(),
    location: z.string().optional(),
  });

  const SmokeScreenshotSchema = z.object({
    /** Path in the run folder, relative to it (e.g. `smoke/r1.png`). */
    path: z.string(),
    sha256: z.string(),
    bytes: z.number().int().nonnegative(),
    nonblank: z.boolean(),
  });

  return z.object({
    round: z.number().int().nonnegative(),
    commit: z.string(),
    url: z.string(),
    steps: z.array(SmokeStepSchema),
    http_status: z.number().int().nullable(),
    screenshot: SmokeScreenshotSchema.nullable(),
    console_errors: z.array(ConsoleErrorSchema),
    body_text_length: z.number().int().nonnegative(),
    process_alive: z.boolean(),
    passed: z.boolean(),
    failure_summary: z.string().nullable(),
    /** `service`: the load step is the plan's declared HTTP request (no browser, no screenshot). */
    kind: z.enum(['web', 'service']).optional(),
  });
}

export const SmokeReportSchema = z.lazy(buildSmokeReportSchema);
export type SmokeReport = z.infer<typeof SmokeReportSchema>;
export type SmokeStep = SmokeReport['steps'][number];
export type ConsoleError = SmokeReport['console_errors'][number];

/** The facts a smoke run gathers, before judging. */
export type SmokeFacts = Omit<SmokeReport, 'passed' | 'failure_summary'>;

/** Why a smoke run fails, one line per broken condition; empty = passed. */
export function smokeFailures(facts: SmokeFacts): string[] {
  const out: string[] = [];
  const step = (name: SmokeStepName) => facts.steps.find((s) => s.name === name);
  const install = step('install');
  if (install?.status !== 'pass') {
    out.push(`install failed${install?.exit_code != null ? ` (exit code ${install.exit_code})` : ''}`);
  }
  if (!facts.process_alive) out.push('the app process exited');
  if (facts.http_status === null || facts.http_status < 200 || facts.http_status > 299) {
    out.push(
      facts.http_status === null
        ? `no HTTP answer from ${facts.url} before the start timeout`
        : `HTTP ${facts.http_status} from the ready path`,
    );
  }
  const load = step('load');
  if (load?.status !== 'pass') {
    const what = facts.kind === 'service' ? 'the declared request failed' : 'the page did not load';
    out.push(`${what}${load?.detail ? `: ${load.detail}` : ''}`);
  }
  if (load?.status === 'pass' && facts.kind !== 'service') {
    if (!facts.screenshot?.nonblank) out.push('the screenshot is blank');
    if (facts.body_text_length === 0) out.push('the page shows no text');
  }
  for (const e of facts.console_errors)
    out.push(`${e.type === 'pageerror' ? 'page error' : 'console error'}: ${e.text}`);
  return out;
}

/** passed = install ok ∧ process alive ∧ 2xx ∧ page loads ∧ non-blank screenshot with text ∧ zero console errors. */
export function judgeSmoke(facts: SmokeFacts): SmokeReport {
  const failures = smokeFailures(facts);
  return { ...facts, passed: failures.length === 0, failure_summary: failures.length ? failures.join('; ') : null };
}

/** One failure handed to the unit that owns it (the fixer's prompt quotes `error` verbatim). */
export interface OwnedFailure {
  unit: string;
  error: string;
  evidence?: string;
}

/**
 * Maps each smoke failure to the unit owning the file it names (stack location, log tail), else to
 * the aggregation owner (else `integration`). Console and page errors map one by one; an install,
 * start or load failure maps through the files its log tail names.
 */
export function ownersOfSmokeFailures(report: SmokeReport, manifest: OwnerManifest): OwnedFailure[] {
  if (report.passed) return [];
  const out: OwnedFailure[] = [];
  for (const e of report.console_errors) {
    out.push({
      unit: ownerOfText(manifest, e.location, e.text),
      error: `${e.type === 'pageerror' ? 'page error' : 'console error'}: ${e.text}`,
      ...(e.location ? { evidence: `at ${e.location}` } : {}),
    });
  }
  for (const s of report.steps) {
    if (s.status !== 'fail' || s.name === 'console') continue;
    const what = `${s.name} step failed${s.exit_code != null ? ` (exit code ${s.exit_code})` : ''}${s.detail ? `: ${s.detail}` : ''}`;
    out.push({
      unit: ownerOfText(manifest, s.log_tail, s.detail),
      error: what,
      ...(s.log_tail ? { evidence: s.log_tail } : {}),
    });
  }
  if (out.length === 0) {
    // Blank page, no text, dead process without a failed step: the app's entry point is to blame.
    out.push({ unit: manifest.aggregationOwner ?? INTEGRATION, error: report.failure_summary ?? 'smoke test failed' });
  }
  return out;
}

/** The failures grouped per unit, in first-seen order: one fixer child per key. */
export function groupByUnit(failures: OwnedFailure[]): Map<string, OwnedFailure[]> {
  const groups = new Map<string, OwnedFailure[]>();
  for (const f of failures) groups.set(f.unit, [...(groups.get(f.unit) ?? []), f]);
  return groups;
}

/** A unit's smoke failures as the fixer prompt quotes them (error, then its evidence). */
export function formatSmokeFailures(failures: OwnedFailure[]): string {
  return failures
    .map((f) => `- Smoke test: ${f.error}${f.evidence ? `\n  Evidence:\n${indent(f.evidence)}` : ''}`)
    .join('\n');
}

/** Indents quoted command output or evidence under a fixer-prompt bullet (also CHECK's). */
export function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
