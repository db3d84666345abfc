// The harness part of `dkmv show` / `dkmv logs` for a run whose DkmvRunKind is `harness`: phase,
// round, plan attempts, each unit's attempts and cost, and the children (component runs) with their
// status — from the harness view (status query, result, or harness.json in the run folder), with
// the children's live status from Temporal when the server answers.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { checkLines, reviewLines } from '../../core/harness/gates-report.js';
import type { HarnessView } from '../../core/harness/types.js';
import { childRunId } from '../../core/harness/ids.js';
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
  units: { id: string; title: string; status: string; attempts: number; cost_usd: number; land?: string }[];
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

/** The children the view records, in order: plan attempts, then each unit's attempts. */
export function childrenOf(view: HarnessView): HarnessChild[] {
  const plan = view.planAttempts.map((a): HarnessChild => ({
    workflow_id: a.childId,
    run_id: childRunId(a.childId),
    role: 'planner',
    status: a.childStatus,
    cost_usd: a.costUsd,
  }));
  const gen = view.units.flatMap((u) =>
    u.attempts.map((a): HarnessChild => ({
      workflow_id: a.childId,
      run_id: childRunId(a.childId),
      role: 'generator',
      unit: u.id,
      status: a.childStatus,
      cost_usd: a.costUsd,
      turns: a.turns,
    })),
  );
  const evals = (view.quality?.evals ?? []).flatMap((e) =>
    Array.from({ length: e.attempts }, (_, i): HarnessChild => {
      const id = `${view.runId}/eval/${e.batchId}/a${i + 1}`;
      return {
        workflow_id: id,
        run_id: childRunId(id),
        role: 'evaluator',
        unit: e.units.join(','),
        status: 'completed',
        cost_usd: 0,
      };
    }),
  );
  const fixes = (view.quality?.fixes ?? []).map((f): HarnessChild => ({
    workflow_id: f.childId,
    run_id: childRunId(f.childId),
    role: 'fixer',
    unit: f.unit,
    status: f.childStatus,
    cost_usd: f.costUsd,
  }));
  const reviews = view.units.flatMap((u) =>
    (u.reviews ?? []).map((r): HarnessChild => ({
      workflow_id: r.childId,
      run_id: childRunId(r.childId),
      role: 'reviewer',
      unit: u.id,
      status: r.childStatus,
      cost_usd: r.costUsd,
    })),
  );
  return [...plan, ...gen, ...reviews, ...evals, ...fixes];
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
    units: view.units.map((u) => {
      const land = u.attempts[u.attempts.length - 1]?.land?.status;
      return {
        id: u.id,
        title: u.title,
        status: u.status,
        attempts: u.attempts.length,
        cost_usd: u.costUsd,
        ...(land ? { land } : {}),
      };
    }),
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
export async function withLiveChildren(client: Client, runId: string, children: HarnessChild[]): Promise<void> {
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
