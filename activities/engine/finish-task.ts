// finishTask: the end of a task in one activity — check its outputs and, when they pass and the
// task commits, commit and push at once. One round trip to the host instead of two; a retry redoes
// both steps (saving outputs and committing again are both harmless). On the run's last task the
// container is removed at the same time as git works (see FinishTaskInput.releaseContainer).
import type { FinishTaskInput, FinishTaskResult } from '../../core/engine/activity-types.js';
import { removeContainer } from '../../core/sandbox/docker.js';
import { commitTask } from './commit.js';
import { checkOutputs } from './outputs.js';
import { testPausePoint } from '../test-hooks.js';

export async function finishTask(input: FinishTaskInput): Promise<FinishTaskResult> {
  // TEST HOOK points (no-ops unless a crash test set them): the same steps as the two-trip path.
  await testPausePoint('checkOutputs');
  const check = await checkOutputs(input);
  if (!check.ok || !input.task.commit) return { check };
  const { run, sandbox, task, message } = input;
  // The container is not needed for git (the workspace is a host folder): remove it meanwhile.
  const released = input.releaseContainer ? removeContainer(sandbox.containerId).catch(() => false) : undefined;
  await testPausePoint('commitTask');
  try {
    const commit = await commitTask({ run, sandbox, task, message, forceAdd: check.saved });
    return { check, commit };
  } finally {
    await released;
  }
}
