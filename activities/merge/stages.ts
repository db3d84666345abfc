// Reading conflicted files out of git's index: stage 1 is the merge base, 2 is ours (target), 3 theirs.
import type { GitRepo } from '../git/git-repo.js';

/** file -> stage number -> blob id, for every unmerged path. */
export async function readStages(git: GitRepo): Promise<Map<string, Map<number, string>>> {
  const out = new Map<string, Map<number, string>>();
  const raw = await git.raw(['ls-files', '-u', '-z']);
  for (const record of raw.split('\0')) {
    // "<mode> <object> <stage>\t<path>"
    const match = /^\d+ ([0-9a-f]+) (\d)\t(.+)$/s.exec(record);
    if (!match) continue;
    const [, object, stage, file] = match as unknown as [string, string, string, string];
    const stages = out.get(file) ?? new Map<number, string>();
    stages.set(Number(stage), object);
    out.set(file, stages);
  }
  return out;
}

/** A blob's text by object id or `rev:path`; undefined when there is no such object. */
export async function readBlob(git: GitRepo, object: string | undefined): Promise<string | undefined> {
  if (object === undefined) return undefined;
  try {
    return await git.raw(['cat-file', '-p', object]);
  } catch {
    return undefined;
  }
}
