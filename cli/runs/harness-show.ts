// The harness part of `dkmv show` / `dkmv logs` for a run whose DkmvRunKind is `harness`: phase,
// round, plan attempts, each unit's attempts and cost, and the children (component runs) with their
// status — from the harness view (status query, result, or harness.json in the run folder), with
// the children's live status from Temporal when the server answers.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TemporalClientLike } from '../temporal/client-like.js';
import { checkLines, reviewLines } from '../../core/harness/gates-report.js';
import type { HarnessView } from '../../core/harness/types.js';
import { childRunId } from '../../core/harness/ids.js';
import { harnessOutcome } from '../../core/harness/outcome.js';
import { blockedWhy } from '../../core/harness/report.js';
import { runChildren } from '../../core/harness/run-children.js';
import { fixWhy, lastLanding, rejectedAttempts } from '../../core/harness/why.js';
import { runStatusOf } from './status.js';

export interface HarnessChild {
  /** The child's workflow id (`<run>/plan/a<n>`, `<run>/gen/<unit>/r<r>a<a>`). */
  workflow_id: string;
  /** Its run id (container and run folder name). */
  run_id: string;
  role: 'planner' | 'generator' | 'reviewer' | 'evaluator' | 'fixer';
  unit?: string;
  status: string;
  cost_usd: number;
  turns?: number;
}

export interface HarnessShow {
  phase: string;
  round: number;
  budget_exhausted: boolean;
  integration_head?: string;
  continued_from?: string;
  plan_attempts: { attempt: number; status: string; accepted: boolean; problems: string[]; cost_usd: number }[];
  /** passed | with_issues | unverified | failed | waiting | running (the exit code follows it). */
  outcome: string;
  units: {
    id: string;
    title: string;
    status: string;
    attempts: number;
    cost_usd: number;
    /** How the unit's last landing went (merged, up-to-date, conflict, …). */
    land?: string;
    /** The commit the unit landed with last (a fix's merge after a fix round). */
    landed_commit?: string;
    /** Why a blocked unit is blocked. */
    blocked_because?: string;
  }[];
  /** Every generator attempt that did not land, and why (rule, file, symbols or lines as recorded). */
  rejected_attempts: { unit: string; round: number; attempt: number; child: string; why: string }[];
  children: HarnessChild[];
  /** The CHECK runs and unit REVIEWs, one line each (as in the report's "Gates" section). */
  gates?: string[];
  /** report.md in the run folder (written when the harness ends); on the branch as docs/harness/report.md. */
  report?: string;
  /** The quality loop: how it ended, and its evidence files in the run folder (absolute paths). */
  quality?: {
    outcome?: string;
    replans: number;
    pull_request?: string;
    smoke: { round: number; passed: boolean; summary: string | null }[];
    evals: {
      round: number;
      batch: string;
      units: string[];
      verdict: string;
      passed: number;
      total: number;
      attempts: number;
    }[];
    fixes: {
      round: number;
      unit: string;
      cause: string;
      child: string;
      status: string;
      cost_usd: number;
      landed: boolean;
      commit?: string;
      /** Why the fix did not land. */
      why?: string;
    }[];
    screenshots: string[];
    reports: string[];
  };
}

/** A harness view duck-typed from whatever the status query, result or folder gave. */
export function asHarnessView(value: unknown): HarnessView | undefined {
  const v = value as Partial<HarnessView> | undefined;
  return v && v.kind === 'harness' && Array.isArray(v.units) && Array.isArray(v.planAttempts)
    ? (v as HarnessView)
    : undefined;
}

/** harness.json, written to the run folder when the harness ends. */
export function readHarnessRecord(runDir: string | undefined): HarnessView | undefined {
  const file = runDir ? path.join(runDir, 'harness.json') : undefined;
  if (!file || !existsSync(file)) return undefined;
  try {
    return asHarnessView(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** The children the view records, in order: plan attempts, generator attempts, reviewers, evaluators, fixers. */
export function childrenOf(view: HarnessView): HarnessChild[] {
  return runChildren(view).map((c) => ({
    workflow_id: c.childId,
    run_id: childRunId(c.childId),
    role: c.role,
    ...(c.subject ? { unit: c.subject } : {}),
    status: c.status,
    cost_usd: c.costUsd,
    ...(c.role === 'planner' ? {} : { turns: c.turns }),
  }));
}

/** The quality loop's records and the evidence files the run folder holds (smoke/, eval/<batch>/). */
function qualityShow(view: HarnessView, runDir: string | undefined): HarnessShow['quality'] {
  const q = view.quality;
  if (!q) return undefined;
  const inFolder = (rel: string) => (runDir && existsSync(path.join(runDir, rel)) ? [path.join(runDir, rel)] : []);
  const reportsOf = (batch: string, attempts: number) => [
    ...Array.from({ length: attempts }, (_, i) => inFolder(path.join('eval', batch, `report-a${i + 1}.json`))).flat(),
    ...inFolder(path.join('eval', batch, 'settled.json')),
  ];
  return {
    ...(q.outcome ? { outcome: q.outcome } : {}),
    replans: q.replanCount,
    ...(q.pullRequest ? { pull_request: q.pullRequest.url } : {}),
    smoke: q.smoke.map((s) => ({ round: s.round, passed: s.passed, summary: s.summary })),
    evals: q.evals.map((e) => ({
      round: e.round,
      batch: e.batchId,
      units: e.units,
      verdict: e.verdict,
      passed: e.passed,
      total: e.total,
      attempts: e.attempts,
    })),
    fixes: q.fixes.map((f) => {
      const why = fixWhy(f);
      return {
        round: f.round,
        unit: f.unit,
        cause: f.cause,
        child: f.childId,
        status: f.childStatus,
        cost_usd: f.costUsd,
        landed: f.landed,
        ...(f.commit ? { commit: f.commit } : {}),
        ...(why ? { why } : {}),
      };
    }),
    screenshots: [
      ...q.smoke.flatMap((s) => (s.screenshotPath ? inFolder(s.screenshotPath) : [])),
      ...q.evals.flatMap((e) => e.screenshots.flatMap(inFolder)),
    ],
    reports: [
      ...q.smoke.flatMap((s) => inFolder(s.reportPath)),
      ...q.evals.flatMap((e) => reportsOf(e.batchId, e.attempts)),
    ],
  };
}

export function harnessShow(view: HarnessView, runDir: string | undefined): HarnessShow {
  const report = runDir ? path.join(runDir, 'report.md') : undefined;
  return {
    phase: view.phase,
    round: view.round,
    budget_exhausted: view.budgetExhausted,
    ...(view.integrationHead ? { integration_head: view.integrationHead } : {}),
    ...(view.continuedFrom ? { continued_from: view.continuedFrom } : {}),
    plan_attempts: view.planAttempts.map((a) => ({
      attempt: a.attempt,
      status: a.childStatus,
      accepted: a.accepted,
      problems: a.problems,
      cost_usd: a.costUsd,
    })),
    outcome: harnessOutcome(view),
    units: view.units.map((u) => {
      const land = u.attempts[u.attempts.length - 1]?.land?.status;
      const last = lastLanding(view, u.id);
      return {
        id: u.id,
        title: u.title,
        status: u.status,
        attempts: u.attempts.length,
        cost_usd: u.costUsd,
        ...(land ? { land: last?.by === 'fix' ? `${land} + fix` : land } : {}),
        ...(last?.commit ? { landed_commit: last.commit } : {}),
        ...(u.status === 'blocked' ? { blocked_because: blockedWhy(u) } : {}),
      };
    }),
    rejected_attempts: rejectedAttempts(view).map((r) => ({
      unit: r.unit,
      round: r.round,
      attempt: r.attempt,
      child: r.childId,
      why: r.why,
    })),
    children: childrenOf(view),
    ...gatesOf(view),
    ...(report && existsSync(report) ? { report } : {}),
    ...(view.quality ? { quality: qualityShow(view, runDir) } : {}),
  };
}

function gatesOf(view: HarnessView): { gates?: string[] } {
  const gates = [...checkLines(view), ...reviewLines(view)].map((l) => l.replace(/^- /, ''));
  return gates.length ? { gates } : {};
}

/** Overlays each child's status as Temporal knows it now (a running child's record lags behind). */
export async function withLiveChildren(
  client: TemporalClientLike,
  runId: string,
  children: HarnessChild[],
): Promise<void> {
  const byId = new Map(children.map((c) => [c.workflow_id, c]));
  const query = `WorkflowId STARTS_WITH '${runId.replace(/'/g, "\\'")}/'`;
  try {
    for await (const info of client.workflow.list({ query, pageSize: 200 })) {
      const child = byId.get(info.workflowId);
      if (child && info.status.name === 'RUNNING') child.status = 'running';
      else if (child && child.status === 'not_started') child.status = runStatusOf(info.status.name, undefined);
    }
  } catch {
    // visibility unavailable: the recorded statuses stand
  }
}
