// commitTask: commit what the task changed (saved outputs force-added) and push the branch,
// heartbeating while git works so a 400 MB push is not mistaken for a dead worker.
import { Context } from '@temporalio/activity';
import { dkmvFailure, FailureType } from '../../core/failures/index.js';
import type { CommitTaskInput } from '../../core/engine/activity-types.js';
import { commitAll, pushBranch } from '../git/workspace.js';
import { sandboxLayout } from '../sandbox/layout.js';
import { restoreGitConfig } from '../sandbox/sandbox.js';
import { redactSecrets, workerCredentials } from './secrets.js';

export async function commitTask(input: CommitTaskInput): Promise<{ committed: boolean; head: string }> {
  const { workspace } = sandboxLayout(input.sandbox.sandboxId);
  const ctx = Context.current();
  const beat = setInterval(() => ctx.heartbeat({ phase: 'git' }), 5_000);
  try {
    restoreGitConfig(input.sandbox.sandboxId);
    const result = await commitAll(workspace, input.message, input.forceAdd);
    if (input.task.push) {
      const token = (await workerCredentials()).githubToken;
      await pushBranch(workspace, input.run.branch, {
        ...(token ? { token } : {}),
        onRetry: (attempt, error) => ctx.log.warn(`push attempt ${attempt} failed, retrying: ${redactSecrets(error)}`),
      });
    }
    return result;
  } catch (err) {
    throw dkmvFailure(FailureType.GitFailed, redactSecrets(`git: ${(err as Error).message}`));
  } finally {
    clearInterval(beat);
  }
}
