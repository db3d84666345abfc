// Budgets: the run keeps its running cost; each task gets min(task limit, what remains).
export function taskBudget(
  taskLimit: number | undefined,
  runCap: number | undefined,
  spent: number,
): number | undefined {
  const remaining = runCap === undefined ? undefined : Math.max(0, runCap - spent);
  if (taskLimit === undefined) return remaining;
  if (remaining === undefined) return taskLimit;
  return Math.min(taskLimit, remaining);
}

/** Rounds to cents-of-cents for display and search attributes, avoiding float noise. */
export function roundUsd(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
