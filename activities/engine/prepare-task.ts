// prepareTask: render a task with the results of earlier tasks, put its inputs, context files,
// earlier decisions and layered instructions into the workspace, and record prompt and
// instructions in the run folder.
import path from 'node:path';
import { getAdapter } from '../../core/agents/index.js';
import { renderTask, type RenderedTask, type TaskResults } from '../../core/component/loader.js';
import type { PreparedTask, PrepareTaskInput } from '../../core/engine/activity-types.js';
import { toPrepared } from '../../core/engine/prepared-task.js';
import { isUserError } from '../../core/errors.js';
import { dkmvFailure, FailureType } from '../../core/failures/index.js';
import { sandboxLayout } from '../sandbox/layout.js';
import { handToSandbox } from '../sandbox/ownership.js';
import { safeName, writeRunFile } from './run-folder.js';
import { workerCredentials } from './secrets.js';
import { copyContext, injectInputs, writeInto } from './workspace-files.js';

function render(input: PrepareTaskInput): RenderedTask {
  try {
    return renderTask(input.run.plan, input.slotId, input.results);
  } catch (err) {
    if (isUserError(err)) throw dkmvFailure(FailureType.TaskInvalid, err.format());
    throw err;
  }
}

/** Answers given at earlier pause points, as `.agent/decisions.json` for later tasks. */
function writeDecisions(workspace: string, results: TaskResults): void {
  const decisions: Record<string, unknown> = {};
  for (const [id, result] of Object.entries(results)) if (result.answers) decisions[id] = result.answers;
  if (!Object.keys(decisions).length) return;
  writeInto(workspace, '.agent/decisions.json', `${JSON.stringify(decisions, null, 2)}\n`);
}

export async function prepareTask(input: PrepareTaskInput): Promise<PreparedTask> {
  await workerCredentials(); // so everything written below is redacted
  const task = render(input);
  const { workspace, control } = sandboxLayout(input.sandbox.sandboxId);
  let env: Record<string, string>;
  let contextFiles: string[];
  let skippedBinary: string[];
  try {
    env = injectInputs(workspace, input.run.plan.projectRoot, task.inputs).env;
    ({ copied: contextFiles, skippedBinary } = copyContext(workspace, input.run.contextPaths));
  } catch (err) {
    throw dkmvFailure(FailureType.TaskInvalid, (err as Error).message);
  }
  writeDecisions(workspace, input.results);
  const id = safeName(task.slot_id);
  const taskControl = path.join(control, id);
  // The control folder is writable from the container too: write only through real folders.
  writeInto(control, `${id}/env.json`, JSON.stringify(env));
  const prepared = toPrepared(task, input.budgetUsd);
  if (task.kind === 'agent') {
    const adapter = getAdapter(prepared.agent);
    const instructions = adapter.instructions({
      ...(task.agent_md ? { agentMd: task.agent_md } : {}),
      ...(task.instructions ? { taskInstructions: task.instructions } : {}),
      contextFiles: [...task.inputs.flatMap((i) => (i.dest_path ? [i.dest_path] : [])), ...contextFiles],
    });
    const note = skippedBinary.length ? `\n\n(Binary context files not copied: ${skippedBinary.join(', ')})\n` : '';
    writeInto(workspace, adapter.instructionsFile, instructions + note);
    writeInto(control, `${id}/prompt.md`, task.prompt ?? '');
    writeRunFile(input.run.runDir, `prompt_${id}.md`, task.prompt ?? '');
    writeRunFile(input.run.runDir, `claude_md_${id}.md`, instructions + note);
  } else {
    writeRunFile(input.run.runDir, `prompt_${id}.md`, `# run: script\n\n\`\`\`bash\n${task.run ?? ''}\n\`\`\`\n`);
    writeInto(control, `${id}/script.sh`, task.run ?? '');
  }
  handToSandbox(workspace, taskControl);
  return prepared;
}
