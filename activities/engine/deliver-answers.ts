// deliverAnswers: after a pause point, put the user's answers where DKMV's components read them —
// merged into the output JSON that asked (`questions[].user_answer`) and `.agent/user_decisions.json`
// (DKMV's qa fix task reads the menu answer there) — and refresh the saved copies in the run folder.
import { readFileSync, writeFileSync } from 'node:fs';
import type { DeliverAnswersInput } from '../../core/engine/activity-types.js';
import { mergeAnswers } from '../../core/engine/answers.js';
import { sandboxLayout } from '../sandbox/layout.js';
import { handToSandbox } from '../sandbox/ownership.js';
import { readSavedOutput, saveTaskOutput } from './run-folder.js';
import { workerCredentials } from './secrets.js';
import { writeInto } from './workspace-files.js';
import { readableFile, writableTarget } from './workspace-guard.js';

export const USER_DECISIONS = '.agent/user_decisions.json';

/** Merges the answers into one JSON output; returns its new text, or undefined when it did not ask. */
async function mergeInto(workspace: string, rel: string, answers: Record<string, string>): Promise<string | undefined> {
  const { file } = readableFile(workspace, rel);
  if (!file) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // not JSON (checked when the task finished): nothing asked here
  }
  const merged = mergeAnswers(data, answers);
  if (merged === undefined) return undefined;
  const text = `${JSON.stringify(merged, null, 2)}\n`;
  const target = writableTarget(workspace, rel);
  writeFileSync(target, text);
  await handToSandbox(target);
  return text;
}

export async function deliverAnswers(input: DeliverAnswersInput): Promise<{ merged: string[] }> {
  await workerCredentials(); // so the run-folder copies are redacted
  const { workspace } = sandboxLayout(input.sandbox.sandboxId);
  const merged: string[] = [];
  for (const rel of input.outputs.filter((p) => p.endsWith('.json'))) {
    const text = await mergeInto(workspace, rel, input.answers);
    if (text === undefined) continue;
    merged.push(rel);
    const task = { id: input.taskId, name: input.taskName };
    if (readSavedOutput(input.run.runDir, task, rel) !== undefined) {
      saveTaskOutput(input.run.runDir, task, rel, text, { answers_merged_at: new Date().toISOString() });
    }
  }
  // Always written (DKMV's earlier releases wrote it at every pause): a component that reads its
  // decisions from here, like DKMV's qa fix task, finds them whether or not an output asked.
  writeInto(workspace, USER_DECISIONS, `${JSON.stringify(input.answers, null, 2)}\n`);
  await handToSandbox(writableTarget(workspace, USER_DECISIONS));
  return { merged };
}
