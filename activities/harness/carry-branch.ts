// A retry keeps the work: the new attempt's branch starts from the previous attempt's pushed commits
// (a timed-out attempt's partial commit included). When the integration head moved since (other
// units landed, a landing conflict, a fix round), the previous work is merged onto the new head with
// the same structural merge the landing uses, in a worktree of its own (attempts are created in
// parallel); if that conflicts, the branch starts from the new head and the prompt points at the old
// branch instead.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GitRepo } from '../git/git-repo.js';
import { mergeBranches } from '../merge/merge-branches.js';

export interface CarryFrom {
  /** The previous attempt's branch. */
  branch: string;
  /** The head that attempt started from. */
  base: string;
}

export interface CarryResult {
  /** none: nothing to keep; kept: the old commits as they are; merged: onto the new head; conflicted. */
  carried: 'none' | 'kept' | 'merged' | 'conflicted';
  /** Files the previous attempt changed (what the prompt says is already there). */
  files: string[];
  /** The commit the new branch starts from. */
  start: string;
}

/** Decides where the new branch starts; `from` is the integration head the attempt is built on. */
export async function carryStart(g: GitRepo, from: string, carry: CarryFrom): Promise<CarryResult> {
  const fresh: CarryResult = { carried: 'none', files: [], start: from };
  let head: string;
  try {
    head = (await g.revparse(['--verify', `origin/${carry.branch}^{commit}`])).trim();
  } catch {
    return fresh; // never pushed (the attempt failed before its first commit)
  }
  const files = lines(await g.raw(['diff', '--name-only', `${carry.base}...${head}`]).catch(() => ''));
  // Nothing to keep when the work is empty or already landed (it is in the new head).
  if (files.length === 0 || (await isAncestor(g, head, from))) return fresh;
  if ((await isAncestor(g, from, head)) || from === carry.base) return { carried: 'kept', files, start: head };
  const merged = await mergeOnto(g, from, head, carry.branch);
  return merged ? { carried: 'merged', files, start: merged } : { carried: 'conflicted', files, start: from };
}

/** The merge commit of `head` onto `from`, or undefined when it conflicts or leaves a file unparsable. */
async function mergeOnto(g: GitRepo, from: string, head: string, branch: string): Promise<string | undefined> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dkmv-carry-'));
  const temp = `dkmv-carry/${branch}`;
  await g.raw(['worktree', 'add', '-q', '-B', temp, dir, from]);
  try {
    const merged = await mergeBranches({
      repoDir: dir,
      target: temp,
      source: head,
      message: `dkmv harness: carry ${branch} onto the new integration head`,
    });
    if (merged.status === 'conflicts' || merged.unparsable.length > 0) return undefined;
    return merged.commit ?? from;
  } finally {
    await g.raw(['worktree', 'remove', '--force', dir]).catch(() => undefined);
    await g.raw(['branch', '-D', temp]).catch(() => undefined);
  }
}

async function isAncestor(g: GitRepo, ancestor: string, of: string): Promise<boolean> {
  // `merge-base --is-ancestor` answers by exit code alone, which GitRepo.raw does not treat as a
  // failure: compare the merge base instead.
  const base = (await g.raw(['merge-base', ancestor, of]).catch(() => '')).trim();
  return base !== '' && base === (await g.revparse([ancestor])).trim();
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** A commit on top of `from` that adds `files` (force-added: they live under .agent/). */
export async function commitFilesOnto(g: GitRepo, from: string, files: Record<string, string>, message: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dkmv-stage-'));
  await g.raw(['worktree', 'add', '-q', '--detach', dir, from]);
  try {
    const wt = new GitRepo(dir);
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    }
    await wt.raw(['add', '-f', '--', ...Object.keys(files)]);
    await wt.raw(['commit', '-q', '-m', message]);
    return (await wt.revparse(['HEAD'])).trim();
  } finally {
    await g.raw(['worktree', 'remove', '--force', dir]).catch(() => undefined);
  }
}
