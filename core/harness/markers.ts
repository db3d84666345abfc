// The marker line every harness role prompt starts with, so a model script's `match` can target one
// role, unit and round (the model-script contract in docs/harness.md). Exact text; do not reword.

export function plannerMarker(attempt: number): string {
  return `dkmv-harness role=planner attempt=${attempt}`;
}

export function generatorMarker(unit: string, round: number, attempt: number): string {
  return `dkmv-harness role=generator unit=${unit} round=${round} attempt=${attempt}`;
}

export function evaluatorMarker(batch: string, round: number): string {
  return `dkmv-harness role=evaluator batch=${batch} round=${round}`;
}

export function fixerMarker(unit: string, round: number): string {
  return `dkmv-harness role=fixer unit=${unit} round=${round}`;
}

/** `attempt` is the generator attempt under review. */
export function reviewerMarker(unit: string, round: number, attempt: number): string {
  return `dkmv-harness role=reviewer unit=${unit} round=${round} attempt=${attempt}`;
}
