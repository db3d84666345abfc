// pushBranch: the per-task push as a plain git process — pushes and tracks the branch, reports git's
// own complaint, gives up on a push that makes no progress, and retries.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pushBranch } from '../../../activities/git/workspace.js';
import { makeBareRepo } from '../../support/e2e.js';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

function clonePair(): { bare: string; work: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-push-'));
  const bare = makeBareRepo(root, { 'a.txt': 'a' });
  return { bare, work: path.join(root, 'seed') }; // the clone makeBareRepo pushed from
}

describe('pushBranch', () => {
  it('pushes HEAD to the branch on origin and tracks it', async () => {
    const { bare, work } = clonePair();
    await pushBranch(work, 'feature/x');
    expect(git(bare, 'rev-parse', 'feature/x')).toBe(git(work, 'rev-parse', 'HEAD'));
    expect(git(work, 'config', 'branch.main.remote').trim()).toBe('origin');
  });

  it("fails with git's own message when the remote is gone", async () => {
    const { work } = clonePair();
    git(work, 'remote', 'set-url', 'origin', path.join(path.dirname(work), 'missing.git'));
    await expect(pushBranch(work, 'b', { attempts: 1 })).rejects.toThrow(
      /git push failed \(exit code \d+\):\nfatal: .*does not appear to be a git repository/, // git's lines on lines of their own
    );
  });

  it('kills a push that prints nothing for the silence timeout', async () => {
    const { work } = clonePair();
    git(work, 'config', 'remote.origin.receivepack', 'sleep 30; git-receive-pack');
    await expect(pushBranch(work, 'b', { attempts: 1, silenceTimeoutMs: 300 })).rejects.toThrow(/no progress for 0 s/);
  });

  it('retries a failed push and reports each failure', async () => {
    const { bare, work } = clonePair();
    git(work, 'remote', 'set-url', 'origin', path.join(path.dirname(work), 'later.git'));
    const retries: number[] = [];
    const push = pushBranch(work, 'b', {
      attempts: 2,
      onRetry: (attempt) => {
        retries.push(attempt);
        git(work, 'remote', 'set-url', 'origin', bare); // the remote is back for the next attempt
      },
    });
    await push;
    expect(retries).toEqual([1]);
    expect(git(bare, 'rev-parse', 'b')).toBe(git(work, 'rev-parse', 'HEAD'));
  });
});
