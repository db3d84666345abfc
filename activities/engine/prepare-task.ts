// prepareTask: render a task with the results of earlier tasks, put its inputs, context files,
// earlier decisions and layered instructions into the workspace, and record prompt and
// instructions in the run folder. Everything it renders comes from the plan's bundle, so this
// worker needs nothing from the machine (or folder) that started the run.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { getAdapter } from '../../core/agents/index.js';
import { filesOf } from '../../core/component/files.js';
import {
  upgradePlan,
  type ComponentPlan,
  type RenderedTask,
  type TaskResults,
} from '../../core/component/plan-types.js';
import { renderTask } from '../../core/component/render.js';
import type { PreparedTask, PrepareTaskInput } from '../../core/engine/activity-types.js';
import { toPrepared } from '../../core/engine/prepared-task.js';
import { isUserError } from '../../core/errors.js';
import { dkmvFailure, FailureType } from '../../core/failures/index.js';
import { sandboxLayout } from '../sandbox/layout.js';
import { handToSandbox } from '../sandbox/ownership.js';
import { safeName, writeRunFile } from './run-folder.js';
import { workerCredentials } from './secrets.js';
import { copyContext, injectInputs, writeInto, type ContextFiles } from './workspace-files.js';
import { writableTarget } from './workspace-guard.js';

function render(plan: ComponentPlan, input: PrepareTaskInput): RenderedTask {
  try {
    return renderTask(plan, input.slotId, input.results);
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

/** DKMV's `workspace_dirs` and `state_files`, before the first task of the run (a fresh sandbox). */
function writeRunStart(workspace: string, plan: ComponentPlan, results: TaskResults): void {
  if (Object.keys(results).length > 0) return;
  for (const dir of plan.manifest.workspaceDirs) mkdirSync(writableTarget(workspace, dir), { recursive: true });
  for (const file of plan.manifest.stateFiles) writeInto(workspace, file.dest, file.content);
}

/** --context files: from the plan's bundle, or (plans made before bundles) from the host paths. */
function writeContext(workspace: string, plan: ComponentPlan, contextPaths: string[]): ContextFiles {
  const bundled = plan.bundle && (plan.bundle.context.length > 0 || plan.bundle.skippedBinary.length > 0);
  if (!plan.bundle || (!bundled && contextPaths.length > 0)) return copyContext(workspace, contextPaths);
  const files = filesOf(plan);
  // (A caller that started a run without bundling its --context paths falls back to them above.)
  for (const f of plan.bundle.context) writeInto(workspace, f.path, files.blob(f));
  return { copied: plan.bundle.context.map((f) => f.path), skippedBinary: plan.bundle.skippedBinary };
}

export async function prepareTask(input: PrepareTaskInput): Promise<PreparedTask> {
  await workerCredentials(); // so everything written below is redacted
  const plan = upgradePlan(input.plan);
  const task = render(plan, input);
  const { workspace, control } = sandboxLayout(input.sandbox.sandboxId);
  let env: Record<string, string>;
  let contextFiles: string[];
  let skippedBinary: string[];
  try {
    writeRunStart(workspace, plan, input.results);
    env = injectInputs(workspace, plan.projectRoot, task.inputs).env;
    ({ copied: contextFiles, skippedBinary } = writeContext(workspace, plan, input.run.contextPaths));
  } catch (err) {
    throw dkmvFailure(FailureType.TaskInvalid, (err as Error).message);
  }
  writeDecisions(workspace, input.results);
  const id = safeName(task.slotId);
  const taskControl = path.join(control, id);
  // The control folder is writable from the container too: write only through real folders.
  writeInto(control, `${id}/env.json`, JSON.stringify(env));
  const prepared = toPrepared(task, input.budgetUsd);
  if (task.kind === 'agent') {
    const adapter = getAdapter(prepared.agent);
    const instructions = adapter.instructions({
      ...(task.agentMd ? { agentMd: task.agentMd } : {}),
      ...(task.instructions ? { taskInstructions: task.instructions } : {}),
      contextFiles: [...task.inputs.flatMap((i) => (i.destPath ? [i.destPath] : [])), ...contextFiles],
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
  await handToSandbox(workspace, taskControl);
  return prepared;
}
