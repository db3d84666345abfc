// The harness part of `dkmv show` / `dkmv logs` for a run whose DkmvRunKind is `harness`: phase,
// round, plan attempts, each unit's attempts and cost, and the children (component runs) with their
// status — from the harness view (status query, result, or harness.json in the run folder), with
// the children's live status from Temporal when the server answers.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { HarnessView } from '../../core/harness/types.js';
import { childRunId } from '../../core/harness/ids.js';
import { runStatusOf } from './status.js';

export interface HarnessChild {
  /** The child's workflow id (`<run>/plan/a<n>`, `<run>/gen/<unit>/r<r>a<a>`). */
  workflow_id: string;
  /** Its run id (container and run folder name). */
  run_id: string;
  role: 'planner' | 'generator';
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
  /** report.md in the run folder (written when the harness ends); on the branch as docs/harness/report.md. */
  report?: string;
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
  return [...plan, ...gen];
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
    ...(report && existsSync(report) ? { report } : {}),
  };
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
