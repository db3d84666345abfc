// Activity: which symbols did `branch` touch (since it left `base`) that `owner` does not own?
import { simpleGit } from 'simple-git';
import { UserError } from '../../core/errors.js';
import { checkOwnership } from '../../core/merge/index.js';
import type { FileChange, OwnershipCheckOptions, OwnershipMap, OwnershipViolation } from '../../core/merge/index.js';
import { readBlob } from './stages.js';

export interface BranchOwnershipInput {
  repoDir: string;
  /** The branch the generator started from (the merge base with it is used). */
  base: string;
  branch: string;
  /** The generator whose branch this is, as named in `owners`. */
  owner: string;
  owners: OwnershipMap;
  options?: OwnershipCheckOptions;
}

export interface BranchOwnershipResult {
  ok: boolean;
  violations: OwnershipViolation[];
}

export async function checkBranchOwnership(input: BranchOwnershipInput): Promise<BranchOwnershipResult> {
  const git = simpleGit({ baseDir: input.repoDir });
  // No common history (or no such branch) stays so on retry: a user error, non-retryable.
  const mergeBase = (await git.raw(['merge-base', input.base, input.branch]).catch(() => '')).trim();
  if (!mergeBase) {
    throw new UserError(`${input.branch} and ${input.base} have no common history (or one does not exist)`, {
      location: { file: input.repoDir },
    });
  }
  const changed = (await git.raw(['diff', '--name-only', '--no-renames', mergeBase, input.branch]))
    .split('\n')
    .filter((l) => l.trim() !== '');
  const changes: FileChange[] = await Promise.all(
    changed.map(async (file) => ({
      file,
      base: await readBlob(git, `${mergeBase}:${file}`),
      head: await readBlob(git, `${input.branch}:${file}`),
    })),
  );
  const violations = await checkOwnership(input.owner, input.owners, changes, input.options);
  return { ok: violations.length === 0, violations };
}
