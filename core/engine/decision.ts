// Validation and meaning of a `decide` payload: shared by the workflow (signal/update handler) and
// the CLI. Besides our own `{action, answers}`, DKMV's shapes are accepted as DKMV sends them: its
// pause response `{answers, skip_remaining}` (no action), and its qa menu answer `action: fix | ship
// | abort` (ship = skip the remaining tasks, as DKMV's "ship as-is" does).
import type { Decision, DecisionAction, Question } from './run-types.js';

const ACTIONS: DecisionAction[] = ['continue', 'skip_remaining', 'abort'];

/** DKMV's qa menu: the answer `action` and the run action it stands for. */
export const QA_MENU: Record<string, DecisionAction> = { fix: 'continue', ship: 'skip_remaining', abort: 'abort' };

/** The answer id DKMV's qa menu uses. */
const MENU_ID = 'action';

/** True when `answers.action` is DKMV's qa menu answer (not an answer to a question of that id with other options). */
function menuAnswer(answers: Record<string, unknown> | undefined, questions: Question[]): string | undefined {
  const value = answers?.[MENU_ID];
  if (typeof value !== 'string' || !(value in QA_MENU)) return undefined;
  const asked = questions.find((q) => q.id === MENU_ID);
  if (asked?.options?.length && !asked.options.includes(value)) return undefined;
  return value;
}

function answersError(answers: unknown, questions: Question[]): string | undefined {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    return 'answers must be an object of question id → answer';
  }
  const menu = menuAnswer(answers as Record<string, unknown>, questions);
  for (const [id, value] of Object.entries(answers)) {
    if (id === MENU_ID && menu) continue;
    const question = questions.find((q) => q.id === id);
    if (!question) {
      const ids = questions.map((q) => q.id).join(', ') || 'none';
      return `no question with id '${id}' (questions: ${ids}; DKMV's qa menu answer is action=fix|ship|abort)`;
    }
    if (typeof value !== 'string') return `answer to '${id}' must be a string`;
    if (question.options?.length && !question.options.includes(value)) {
      return `answer to '${id}' must be one of: ${question.options.join(', ')}`;
    }
  }
  return undefined;
}

/** Returns an error message, or undefined when the decision is valid for these questions. */
export function decisionError(input: unknown, questions: Question[]): string | undefined {
  if (typeof input !== 'object' || input === null) return 'a decision must be an object like {"action": "continue"}';
  const { action, answers, skip_remaining: skip } = input as Partial<Decision>;
  const dkmvShape = action === undefined && (answers !== undefined || skip !== undefined);
  if (!dkmvShape && (typeof action !== 'string' || !ACTIONS.includes(action))) {
    return `unknown action ${JSON.stringify(action)}: use one of ${ACTIONS.join(', ')}`;
  }
  if (skip !== undefined && typeof skip !== 'boolean') return 'skip_remaining must be true or false';
  if (answers !== undefined) {
    const problem = answersError(answers, questions);
    if (problem) return problem;
  }
  const menu = menuAnswer(answers, questions);
  const chosen = action ?? (skip ? 'skip_remaining' : 'continue');
  if (menu && chosen !== 'continue' && QA_MENU[menu] !== chosen) {
    return `action ${chosen} contradicts the answer action=${menu} (which means ${QA_MENU[menu]}): give one of them`;
  }
  return undefined;
}

/**
 * What a valid decision does: its action, else DKMV's `skip_remaining: true`, else continue; DKMV's
 * qa menu answer (`action=ship|abort`) turns a plain continue into skip_remaining or abort.
 */
export function effectiveAction(decision: Decision, questions: Question[]): DecisionAction {
  const chosen = decision.action ?? (decision.skip_remaining ? 'skip_remaining' : 'continue');
  const menu = menuAnswer(decision.answers, questions);
  return chosen === 'continue' && menu ? QA_MENU[menu]! : chosen;
}

/** Answers with defaults filled in for questions left unanswered (DKMV's menu answer is kept too). */
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
  const menu = menuAnswer(answers, questions);
  if (menu && out[MENU_ID] === undefined) out[MENU_ID] = menu;
  return out;
}
