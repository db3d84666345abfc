// commitTask: commit what the task changed (saved outputs force-added) and push the branch,
// heartbeating while git works so a 400 MB push is not mistaken for a dead worker. A push that
// still fails after its retries (remote down) ends the run with the commit kept on the worker and
// the command that pushes it.
import os from 'node:os';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { dkmvFailure, FailureType } from '../../core/failures/index.js';
import type { CommitTaskInput } from '../../core/engine/activity-types.js';
import { commitAll, pushBranch } from '../git/workspace.js';
import { sandboxLayout } from '../sandbox/layout.js';
import { restoreGitConfig } from '../sandbox/sandbox.js';
import { redactSecrets, workerCredentials } from './secrets.js';
import { keepUnpushed } from './unpushed.js';
import { testPausePoint } from '../test-hooks.js';

/** Push attempts inside one activity attempt; backoff 2, 4, 8, 16 s between them (≈30 s of outage). */
const PUSH_ATTEMPTS = 5;

export async function commitTask(input: CommitTaskInput): Promise<{ committed: boolean; head: string }> {
  const { root, workspace } = sandboxLayout(input.sandbox.sandboxId);
  const ctx = Context.current();
  const beat = setInterval(() => ctx.heartbeat({ phase: 'git' }), 5_000);
  try {
    restoreGitConfig(input.sandbox.sandboxId);
    const result = await commitAll(workspace, input.message, input.forceAdd);
    await testPausePoint('push');
    if (input.task.push) {
      const token = (await workerCredentials()).githubToken;
      try {
        await pushBranch(workspace, input.run.branch, {
          ...(token ? { token } : {}),
          attempts: PUSH_ATTEMPTS,
          onRetry: (attempt, error) =>
            ctx.log.warn(`push attempt ${attempt} failed, retrying: ${redactSecrets(error)}`),
        });
      } catch (err) {
        keepUnpushed(root);
        // The workspace belongs to the sandbox's user: name it safe, or git refuses to touch it.
        const command = `git -c safe.directory=${workspace} -C ${workspace} push origin HEAD:refs/heads/${input.run.branch}`;
        throw ApplicationFailure.create({
          type: FailureType.GitFailed,
          nonRetryable: true, // the push was already retried with backoff; the commit is safe on disk
          message: redactSecrets(
            `git push of ${input.run.branch} failed ${PUSH_ATTEMPTS} times (${gitError(err)}). ` +
              `The commit ${result.head.slice(0, 12)} is kept in the sandbox folder ${workspace} on ${os.hostname()}; ` +
              `once the remote is reachable, push it with: ${command}`,
          ),
        });
      }
    }
    return result;
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    throw dkmvFailure(FailureType.GitFailed, redactSecrets(`git: ${(err as Error).message}`));
  } finally {
    clearInterval(beat);
  }
}

/** git's own complaint in one line (`fatal:`/`error:` lines), not its whole chatter. */
function gitError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text.split('\n').filter((l) => /^(fatal|error):/.test(l.trim()));
  return (lines.length ? lines : [text.trim().split('\n').at(-1) ?? '']).map((l) => l.trim()).join('; ');
}
