// Activity: which symbols did `branch` touch (since it left `base`) that `owner` does not own?
import { UserError } from '../../core/errors.js';
import { checkOwnership } from '../../core/merge/index.js';
import type { FileChange, OwnershipCheckOptions, OwnershipMap, OwnershipViolation } from '../../core/merge/index.js';
import {
  judgeViolations,
  type HarnessOwnershipRules,
  type RuledViolation,
} from '../../core/harness/ownership-rules.js';
import { GitRepo } from '../git/git-repo.js';
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
  /** The harness plan's allowances (core/harness/ownership-rules.ts); without it every touch counts. */
  rules?: HarnessOwnershipRules;
}

export interface BranchOwnershipResult {
  ok: boolean;
  /** With `rules`, each names its rule (RuledViolation) and none of them is allowed. */
  violations: OwnershipViolation[];
  /** With `rules`: what the branch touched outside its keys that the rules allow (for the record). */
  allowed?: RuledViolation[];
}

export async function checkBranchOwnership(input: BranchOwnershipInput): Promise<BranchOwnershipResult> {
  const git = new GitRepo(input.repoDir);
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
  if (!input.rules) return { ok: violations.length === 0, violations };
  const judged = judgeViolations(input.owner, violations, changes, input.rules);
  const broken = judged.filter((v) => !v.allowed);
  return { ok: broken.length === 0, violations: broken, allowed: judged.filter((v) => v.allowed) };
}
