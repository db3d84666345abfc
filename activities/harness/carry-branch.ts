// A retry keeps the work: the new attempt's branch starts from the previous attempt's pushed commits
// (a timed-out attempt's partial commit included). When the integration head moved since (a landing
// conflict, a fix round after other units landed), the previous work is merged onto the new head
// with git's in-memory merge; if that conflicts, the branch starts from the new head and the prompt
// points at the old branch instead.
import type { SimpleGit } from 'simple-git';

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
export async function carryStart(g: SimpleGit, from: string, carry: CarryFrom): Promise<CarryResult> {
  const fresh: CarryResult = { carried: 'none', files: [], start: from };
  let head: string;
  try {
    head = (await g.revparse(['--verify', `origin/${carry.branch}^{commit}`])).trim();
  } catch {
    return fresh; // never pushed (the attempt failed before its first commit)
  }
  const files = lines(await g.raw(['diff', '--name-only', `${carry.base}...${head}`]).catch(() => ''));
  if (files.length === 0) return fresh;
  if ((await isAncestor(g, from, head)) || from === carry.base) return { carried: 'kept', files, start: head };
  const tree = await g.raw(['merge-tree', '--write-tree', '--no-messages', from, head]).catch(() => undefined);
  const treeId = tree?.split('\n')[0]?.trim();
  if (!tree || !treeId || tree.split('\n').filter(Boolean).length > 1)
    return { carried: 'conflicted', files, start: from };
  const message = `dkmv harness: carry ${carry.branch} onto the new integration head`;
  const commit = (await g.raw(['commit-tree', treeId, '-p', from, '-p', head, '-m', message])).trim();
  return { carried: 'merged', files, start: commit };
}

async function isAncestor(g: SimpleGit, ancestor: string, of: string): Promise<boolean> {
  return g
    .raw(['merge-base', '--is-ancestor', ancestor, of])
    .then(() => true)
    .catch(() => false);
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}
