// Pause answers as DKMV delivers them to a component: each answered question of the output JSON
// that asked gets a `user_answer` field (DKMV's plan and ship read `questions[].user_answer`).
// Pure: the deliver-answers activity does the file I/O.

/**
 * A copy of `data` with `user_answer` set on each question that has an answer, or undefined when
 * `data` holds no `questions` list or none of its questions was answered. Questions are matched by
 * `id`, or by `q<n>` (1-based position) for questions without one, as the pause point numbered them.
 */
export function mergeAnswers(data: unknown, answers: Record<string, string>): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const list = (data as { questions?: unknown }).questions;
  if (!Array.isArray(list)) return undefined;
  let answered = 0;
  const questions = list.map((q: unknown, i) => {
    if (typeof q !== 'object' || q === null || Array.isArray(q)) return q;
    const rawId = (q as { id?: unknown }).id;
    const id = rawId === undefined || rawId === null ? `q${i + 1}` : String(rawId);
    const answer = answers[id];
    if (answer === undefined) return q;
    answered += 1;
    return { ...(q as Record<string, unknown>), user_answer: answer };
  });
  return answered ? { ...(data as Record<string, unknown>), questions } : undefined;
}

/** The stem a workspace path is read under (`.agent/analysis.json` → `analysis`), as the loader names it. */
export function outputStem(workspacePath: string): string {
  const base = workspacePath.slice(workspacePath.lastIndexOf('/') + 1);
  return base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
}

/**
 * A task's output values (by stem) after answer delivery: each output in `merged` gets the same
 * `user_answer` merge the files got, unless a later output of the task owns its stem.
 */
export function answeredOutputs(
  values: Record<string, unknown>,
  outputs: string[],
  merged: string[],
  answers: Record<string, string>,
): Record<string, unknown> {
  const next = { ...values };
  for (const file of merged) {
    const stem = outputStem(file);
    const owner = outputs.filter((o) => outputStem(o) === stem).at(-1);
    if (owner !== file || !(stem in next)) continue;
    next[stem] = mergeAnswers(next[stem], answers) ?? next[stem];
  }
  return next;
}
