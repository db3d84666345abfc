// The pause-point questions a model script will make the agent write: every `write` of a JSON file
// holding a `questions` list. `dkmv test` checks `--answer id=value` against them before the run
// starts, so a value that is not one of a question's options never leaves a run paused.
import type { ModelScript } from '../../core/model-script/schema.js';
import type { Question } from '../../core/engine/run-types.js';
import { UserError } from '../../core/errors.js';

/** Questions (by id) found in the script's JSON writes; questions without options are left out. */
export function scriptedQuestions(script: ModelScript): Map<string, Question> {
  const found = new Map<string, Question>();
  for (const session of script.sessions)
    for (const turn of session.turns)
      for (const call of turn.calls) {
        if (call.kind !== 'write' || !/\.json$/i.test(call.path)) continue;
        let data: unknown;
        try {
          data = JSON.parse(call.content);
        } catch {
          continue;
        }
        const list = (data as { questions?: unknown } | null)?.questions;
        if (!Array.isArray(list)) continue;
        for (const q of list as Partial<Question>[]) {
          if (typeof q?.id === 'string' && Array.isArray(q.options) && q.options.length) found.set(q.id, q as Question);
        }
      }
  return found;
}

/** An `--answer` that names a scripted question but none of its options is a usage error. */
export function checkAnswers(script: ModelScript, answers: Record<string, string>): void {
  const questions = scriptedQuestions(script);
  for (const [id, value] of Object.entries(answers)) {
    const q = questions.get(id);
    if (!q?.options || q.options.includes(value)) continue;
    throw new UserError(
      `--answer ${id}=${value}: not one of the options of question '${id}' (${q.options.join(', ')})`,
      {
        hint: `the question is: ${q.question ?? id}; e.g. --answer ${id}=${q.default ?? q.options[0]}`,
      },
    );
  }
}
