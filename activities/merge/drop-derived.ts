// After a harness landing: derived files (lockfiles, installed dependencies, build output) the merged
// branch brought in are put back as the target had them, by amending the merge commit. They are
// regenerated from the merged manifests by the next install (the CHECK/smoke step and every role's
// own `npm install`), never landed from one unit's branch; before SHIP the harness commits the
// regenerated lockfiles to the integration branch (activities/harness/lockfiles.ts).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { isDerivedFile } from '../../core/harness/ownership-rules.js';
import type { GitRepo } from '../git/git-repo.js';

/** Restores derived files among `mergedFiles` to their state at `before`; returns the ones restored. */
export async function dropDerivedFiles(
  git: GitRepo,
  repoDir: string,
  before: string,
  mergedFiles: readonly string[],
): Promise<string[]> {
  const derived = mergedFiles.filter(isDerivedFile);
  if (derived.length === 0) return [];
  for (const file of derived) {
    const existed = await git
      .raw(['cat-file', '-e', `${before}:${file}`])
      .then(() => true)
      .catch(() => false);
    if (existed) await git.raw(['checkout', before, '--', file]);
    else {
      await git.raw(['rm', '-q', '--cached', '--ignore-unmatch', '--', file]);
      await rm(path.join(repoDir, file), { force: true });
    }
  }
  await git.raw(['commit', '-q', '--amend', '--no-edit', '--allow-empty']);
  return derived;
}
