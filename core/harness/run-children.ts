// Every role child of a harness run (planner attempts, generator attempts, reviewers, evaluator
// attempts, fixers) as it really ended: status and cost from each child's own result. `dkmv show` lists
// them and the report's cost table sums them to the run's total.
import type { HarnessView } from './types.js';

export type ChildRole = 'planner' | 'generator' | 'reviewer' | 'evaluator' | 'fixer';

export interface RunChild {
  childId: string;
  role: ChildRole;
  /** The unit, `integration`, or the evaluator batch (`r1-b1 (WU-01, WU-02)`). */
  subject?: string;
  status: string;
  costUsd: number;
  turns: number;
}

export function runChildren(view: HarnessView): RunChild[] {
  const plan = view.planAttempts.map((a): RunChild => ({
    childId: a.childId,
    role: 'planner',
    status: a.childStatus,
    costUsd: a.costUsd,
    turns: 0,
  }));
  const gen = view.units.flatMap((u) =>
    u.attempts.map((a): RunChild => ({
      childId: a.childId,
      role: 'generator',
      subject: u.id,
      status: a.childStatus,
      costUsd: a.costUsd,
      turns: a.turns,
    })),
  );
  const reviews = view.units.flatMap((u) =>
    (u.reviews ?? []).map((r): RunChild => ({
      childId: r.childId,
      role: 'reviewer',
      subject: u.id,
      status: r.childStatus,
      costUsd: r.costUsd,
      turns: 0,
    })),
  );
  // Runs recorded before evaluator children were kept have no rows for them (and say so: unattributed cost).
  const evals = (view.quality?.evals ?? []).flatMap((e) =>
    (e.children ?? []).map((c): RunChild => ({
      childId: c.childId,
      role: 'evaluator',
      subject: `${e.batchId} (${e.units.join(', ')})`,
      status: c.childStatus,
      costUsd: c.costUsd,
      turns: c.turns,
    })),
  );
  const fixes = (view.quality?.fixes ?? []).map((f): RunChild => ({
    childId: f.childId,
    role: 'fixer',
    subject: f.unit,
    status: f.childStatus,
    costUsd: f.costUsd,
    turns: 0,
  }));
  return [...plan, ...gen, ...reviews, ...evals, ...fixes];
}
