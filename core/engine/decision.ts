// Validation of a `decide` payload: shared by the workflow (signal/update handler) and the CLI.
import type { Decision, Question } from './run-types.js';

const ACTIONS = ['continue', 'skip_remaining', 'abort'];

/** Returns an error message, or undefined when the decision is valid for these questions. */
export function decisionError(input: unknown, questions: Question[]): string | undefined {
  if (typeof input !== 'object' || input === null) return 'a decision must be an object like {"action": "continue"}';
  const { action, answers } = input as Partial<Decision>;
  if (typeof action !== 'string' || !ACTIONS.includes(action)) {
    return `unknown action ${JSON.stringify(action)}: use one of ${ACTIONS.join(', ')}`;
  }
  if (answers === undefined) return undefined;
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    return 'answers must be an object of question id → answer';
  }
  for (const [id, value] of Object.entries(answers)) {
    const question = questions.find((q) => q.id === id);
    if (!question) return `no question with id '${id}' (questions: ${questions.map((q) => q.id).join(', ') || 'none'})`;
    if (typeof value !== 'string') return `answer to '${id}' must be a string`;
    if (question.options?.length && !question.options.includes(value)) {
      return `answer to '${id}' must be one of: ${question.options.join(', ')}`;
    }
  }
  return undefined;
}

/** Answers with defaults filled in for questions left unanswered. */
export function withDefaults(
  answers: Record<string, string> | undefined,
  questions: Question[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of questions) {
    const given = answers?.[q.id];
    if (given !== undefined) out[q.id] = given;
    else if (q.default !== undefined) out[q.id] = q.default;
  }
  return out;
}
