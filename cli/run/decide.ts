// Answering a pause point: from a TTY prompt, from flags, or by telling the user how.
import { input, select } from '@inquirer/prompts';
import type { TemporalClientLike } from '../temporal/client-like.js';
import type { Decision, DecisionAction, Question, RunStatusView } from '../../core/engine/run-types.js';
import { UserError } from '../../core/errors.js';
import { DECIDE_UPDATE } from '../../core/engine/workflow-names.js';

/** Sends a decision through the validating update; a bad decision comes back as a UserError. */
export async function sendDecision(
  client: TemporalClientLike,
  runId: string,
  decision: Decision,
): Promise<RunStatusView> {
  try {
    return await client.workflow
      .getHandle(runId)
      .executeUpdate<RunStatusView, [Decision]>(DECIDE_UPDATE, { args: [decision] });
  } catch (err) {
    const message = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new UserError(`decision rejected: ${message}`, { hint: `see the questions with \`dkmv show ${runId}\`` });
  }
}

/** How to answer without a TTY: the dkmv command and the plain Temporal equivalent. */
export function howToAnswer(runId: string, questions: Question[]): string {
  const answers = questions
    .map((q) => ` --answer ${q.id}=${JSON.stringify(q.default ?? q.options?.[0] ?? '...')}`)
    .join('');
  const payload = JSON.stringify({
    action: 'continue',
    answers: Object.fromEntries(questions.map((q) => [q.id, q.default ?? q.options?.[0] ?? '...'])),
  });
  return [
    `Run ${runId} is waiting for your decision.`,
    ...questions.map(
      (q) =>
        `  [${q.id}] ${q.question}${q.options ? ` (${q.options.join(' / ')})` : ''}${q.default ? ` [default: ${q.default}]` : ''}`,
    ),
    'Answer with:',
    `  dkmv approve ${runId} --action continue${answers}`,
    `  dkmv approve ${runId} --action skip_remaining   |   --action abort`,
    'or with the Temporal CLI:',
    `  temporal workflow signal --workflow-id ${runId} --name decide --input '${payload}'`,
  ].join('\n');
}

/** Interactive prompt: each question (options and defaults), then what to do next. */
export async function promptDecision(view: RunStatusView): Promise<Decision> {
  const questions = view.pending?.questions ?? [];
  const answers: Record<string, string> = {};
  for (const q of questions) {
    answers[q.id] = q.options?.length
      ? await select({
          message: q.question,
          choices: q.options.map((o) => ({ name: o, value: o })),
          ...(q.default ? { default: q.default } : {}),
        })
      : await input({ message: q.question, ...(q.default ? { default: q.default } : {}) });
  }
  const action = await select<DecisionAction>({
    message: 'What next?',
    choices: [
      { name: 'Continue with the next task (recommended)', value: 'continue' },
      { name: 'Skip the remaining tasks (finish now)', value: 'skip_remaining' },
      { name: 'Abort the run', value: 'abort' },
    ],
  });
  return { action, answers };
}
