// checkOutputs: a task's outputs must exist (when required) and, for JSON, hold the required
// fields. Saved outputs are copied to the run folder; their contents feed later tasks' templates
// and pause-point questions.
import { readFileSync } from 'node:fs';
import type { ResolvedOutput } from '../../core/component/plan-types.js';
import type { CheckOutputsInput } from '../../core/engine/activity-types.js';
import type { OutputCheck, Question } from '../../core/engine/run-types.js';
import { sandboxLayout } from '../sandbox/layout.js';
import { saveTaskOutput } from './run-folder.js';
import { redactSecrets, workerCredentials } from './secrets.js';
import { readableFile } from './workspace-guard.js';

/** Outputs larger than this are not passed to templates (they stay in the run folder). */
const MAX_TEMPLATE_BYTES = 32 * 1024;

function hasField(value: unknown, field: string): boolean {
  let current: unknown = value;
  for (const part of field.split('.')) {
    if (typeof current !== 'object' || current === null || !(part in current)) return false;
    current = (current as Record<string, unknown>)[part];
  }
  return true;
}

function readOutput(file: string, output: ResolvedOutput, problems: string[]): unknown {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.json')) return text.length > MAX_TEMPLATE_BYTES ? undefined : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    problems.push(`${output.workspace_path} is not valid JSON (${(err as Error).message})`);
    return undefined;
  }
  const missing = (output.required_fields ?? []).filter((f) => !hasField(parsed, f));
  if (missing.length) problems.push(`${output.workspace_path} lacks required field(s): ${missing.join(', ')}`);
  return text.length > MAX_TEMPLATE_BYTES ? undefined : parsed;
}

/** Questions for a pause point: `questions[]` in any JSON output, normalized. */
export function questionsOf(value: unknown): Question[] {
  const list = (value as { questions?: unknown })?.questions;
  if (!Array.isArray(list)) return [];
  return list.flatMap((q, i): Question[] => {
    if (typeof q === 'string') return [{ id: `q${i + 1}`, question: q }];
    if (typeof q !== 'object' || q === null) return [];
    const o = q as Record<string, unknown>;
    const text = String(o.question ?? o.text ?? o.prompt ?? '');
    if (!text) return [];
    const question: Question = { id: String(o.id ?? `q${i + 1}`), question: text };
    if (Array.isArray(o.options))
      question.options = o.options.map((x) =>
        typeof x === 'object' && x && 'value' in x ? String((x as { value: unknown }).value) : String(x),
      );
    if (o.default !== undefined) question.default = String(o.default);
    return [question];
  });
}

export async function checkOutputs(input: CheckOutputsInput): Promise<OutputCheck> {
  await workerCredentials(); // so saved copies and values passed on are redacted
  const { workspace } = sandboxLayout(input.sandbox.sandboxId);
  const result: OutputCheck = { ok: true, problems: [], outputs: {}, questions: [], saved: [] };
  for (const output of input.task.outputs) {
    const { file, problem } = readableFile(workspace, output.workspace_path);
    if (problem) result.problems.push(problem);
    if (!file) {
      if (output.required && !problem) result.problems.push(`${output.workspace_path} is missing (a required output)`);
      continue;
    }
    const value = readOutput(file, output, result.problems);
    // Output values travel to later tasks through workflow history: never with a secret in them.
    if (value !== undefined) result.outputs[output.stem] = JSON.parse(redactSecrets(JSON.stringify(value))) as unknown;
    result.questions.push(...questionsOf(value));
    if (output.save && input.save) {
      const task = { id: input.task.slotId, name: input.task.name };
      saveTaskOutput(input.run.runDir, task, output.workspace_path, readFileSync(file, 'utf8'));
      result.saved.push(output.workspace_path);
    }
  }
  result.ok = result.problems.length === 0;
  return result;
}
