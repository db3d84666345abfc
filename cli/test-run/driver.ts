// Drives a `dkmv test` run to its end: prints each task's status as it changes and answers every
// pause point by itself (the question's default, else its first option, unless --answer says).
import type { Client } from '@temporalio/client';
import type { Decision, DecisionAction, Question, RunStatusView } from '../../core/engine/run-types.js';
import { UserError } from '../../core/errors.js';
import { parsePairs } from '../run/run-options.js';
import { sendDecision } from '../run/decide.js';
import { observeRun } from '../run/observe.js';

export interface DriveOptions {
  /** `--answer id=value`: answers by question id, used at whichever pause asks that id. */
  answers: Record<string, string>;
  /** What to do at each pause point (default continue). */
  action: DecisionAction;
  log: (line: string) => void;
  pollMs?: number;
  /** Give up after this long (ms). */
  timeoutMs?: number;
}

export interface DriveResult {
  view: RunStatusView | undefined;
  temporalStatus: string;
  /** Each pause point and what was answered. */
  decisions: { taskId: string; decision: Decision }[];
  /** `--answer` ids no pause point asked for. */
  unusedAnswers: string[];
}

/** Parses repeatable `--answer id=value` flags (the question ids are in the task output that pauses). */
export function parseAnswers(pairs: string[]): Record<string, string> {
  return parsePairs('--answer', pairs, 'ID=VALUE', 'next=ship');
}

/** The answers sent for one pause point. An --answer that is not a valid option is a user error. */
export function answersFor(questions: Question[], given: Record<string, string>): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const q of questions) {
    const value = given[q.id] ?? q.default ?? q.options?.[0] ?? '';
    if (q.options?.length && !q.options.includes(value)) {
      throw new UserError(`--answer ${q.id}=${value}: not one of the options (${q.options.join(', ')})`, {
        hint: `the question was: ${q.question}`,
      });
    }
    answers[q.id] = value;
  }
  return answers;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function driveRun(client: Client, runId: string, options: DriveOptions): Promise<DriveResult> {
  const seen = new Map<string, string>();
  const used = new Set<string>();
  const decisions: DriveResult['decisions'] = [];
  const deadline = Date.now() + (options.timeoutMs ?? 60 * 60_000);
  for (;;) {
    const obs = await observeRun(client, runId);
    const view = obs.view;
    for (const task of view?.tasks ?? []) {
      if (seen.get(task.id) === task.status) continue;
      seen.set(task.id, task.status);
      if (task.status === 'pending') continue;
      const detail =
        task.status === 'running'
          ? ''
          : `  turns ${task.turns}  $${task.costUsd.toFixed(4)}${task.error ? `  ${task.error.split('\n')[0]}` : ''}`;
      options.log(`  ${task.status.padEnd(12)} ${task.id}${detail}`);
    }
    if (obs.temporalStatus !== 'RUNNING') {
      return {
        view,
        temporalStatus: obs.temporalStatus,
        decisions,
        unusedAnswers: Object.keys(options.answers).filter((id) => !used.has(id)),
      };
    }
    if (view?.status === 'awaiting_input' && view.pending) {
      const { taskId, questions } = view.pending;
      const answers = answersFor(questions, options.answers);
      for (const q of questions) if (q.id in options.answers) used.add(q.id);
      const decision: Decision = { action: options.action, answers };
      options.log(`  paused after ${taskId}: ${questions.length} question(s)`);
      for (const q of questions) {
        const source = q.id in options.answers ? '--answer' : q.default !== undefined ? 'default' : 'first option';
        options.log(`    [${q.id}] ${q.question}\n      → ${JSON.stringify(answers[q.id])} (${source})`);
      }
      options.log(`    → ${options.action}`);
      await sendDecision(client, runId, decision);
      decisions.push({ taskId, decision });
      continue;
    }
    if (Date.now() > deadline) {
      await client.workflow
        .getHandle(runId)
        .cancel()
        .catch(() => undefined); // do not leave the run (and its container) behind
      throw new UserError(`dkmv test: run ${runId} did not finish in time`, {
        hint: `inspect it with \`dkmv show ${runId}\`; model scripts for tests should have no long delays`,
        exitCode: 1,
      });
    }
    await sleep(options.pollMs ?? 500);
  }
}
