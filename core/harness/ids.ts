// Deterministic names in a harness run: child workflow ids (never Temporal's default uuid, which a
// reset would change), the run ids the children use for containers and run folders, and branches.

export function plannerChildId(runId: string, attempt: number): string {
  return `${runId}/plan/a${attempt}`;
}

export function generatorChildId(runId: string, unit: string, round: number, attempt: number): string {
  return `${runId}/gen/${unit}/r${round}a${attempt}`;
}

/** A child's run id: its workflow id with `/` replaced, so it can name a container and a folder. */
export function childRunId(childWorkflowId: string): string {
  return childWorkflowId.replace(/\//g, '--');
}

/** The planner's own branch (its plan.json is read from there). */
export function plannerBranch(integration: string, attempt: number): string {
  return `${integration}--plan-a${attempt}`;
}

/** A generator's branch, created from the integration head it builds on. */
export function unitBranch(integration: string, unit: string, round: number, attempt: number): string {
  return `${integration}--${unit.toLowerCase()}-r${round}a${attempt}`;
}

/** A harness run id: `<YYMMDD-HHMM>-harness-<slug>-<4hex>` (the workflow id). */
export function isHarnessRunId(id: string): boolean {
  return /^\d{6}-\d{4}-harness-/.test(id);
}

/** An evaluator child: one batch of a round; attempt 2 is Gate 4's re-run. */
export function evaluatorChildId(runId: string, batch: string, attempt: number): string {
  return `${runId}/eval/${batch}/a${attempt}`;
}

/** A fixer child: one unit's (or `integration`'s) failures in a round. */
export function fixerChildId(runId: string, unit: string, round: number): string {
  return `${runId}/fix/${unit}/r${round}`;
}

export function evaluatorBranch(integration: string, batch: string, attempt: number): string {
  return `${integration}--eval-${batch}-a${attempt}`;
}

export function fixerBranch(integration: string, unit: string, round: number): string {
  return `${integration}--fix-${unit.toLowerCase()}-r${round}`;
}

/** A reviewer child: the review of one generator attempt of a unit. */
export function reviewerChildId(runId: string, unit: string, round: number, attempt: number): string {
  return `${runId}/review/${unit}/r${round}a${attempt}`;
}

export function reviewerBranch(integration: string, unit: string, round: number, attempt: number): string {
  return `${integration}--review-${unit.toLowerCase()}-r${round}a${attempt}`;
}
