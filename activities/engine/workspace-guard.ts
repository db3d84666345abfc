// The workspace belongs to the agent: any file or folder in it may be a symbolic link pointing
// anywhere on the worker's host. dkmv never reads or writes through such links.
import { closeSync, constants, existsSync, lstatSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { dkmvFailure, FailureType } from '../../core/failures/index.js';

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The host path of `rel` in the workspace, refusing any linked folder on the way there. */
function walk(workspace: string, rel: string): string {
  const parts = path.normalize(rel).split(path.sep).filter(Boolean);
  let current = workspace;
  for (const part of parts.slice(0, -1)) {
    current = path.join(current, part);
    if (isLink(current)) {
      throw dkmvFailure(
        FailureType.TaskInvalid,
        `${path.relative(workspace, current)} in the workspace is a symbolic link; dkmv does not follow links out of the workspace`,
      );
    }
  }
  return path.join(workspace, ...parts);
}

/** Refuses `rel` (a folder) when it or a folder above it, below `root`, is a symbolic link. */
export function assertRealFolder(root: string, rel: string): void {
  walk(root, path.join(rel, 'x'));
}

/** Where to write `rel`: its folders must be real folders; a link at the file itself is replaced. */
export function writableTarget(workspace: string, rel: string): string {
  const target = walk(workspace, rel);
  if (isLink(target)) unlinkSync(target);
  return target;
}

/** Where to read `rel`, or undefined when it is missing or a link (an output must be a real file). */
export function readableFile(workspace: string, rel: string): { file?: string; problem?: string } {
  const target = walk(workspace, rel);
  if (isLink(target)) return { problem: `${rel} is a symbolic link; outputs must be regular files in the workspace` };
  if (!existsSync(target) || !lstatSync(target).isFile()) return {};
  return { file: target };
}

/**
 * Whether `rel` exists in the workspace as a real file or folder. A link at it, or at a folder
 * on the way to it, does not count: it may point out of the workspace.
 */
export function existsInWorkspace(workspace: string, rel: string): boolean {
  let target: string;
  try {
    target = walk(workspace, rel);
  } catch {
    return false; // a linked folder on the way
  }
  try {
    const stat = lstatSync(target);
    return stat.isFile() || stat.isDirectory();
  } catch {
    return false;
  }
}

/** Reads a file dkmv wrote into a control folder, refusing a link planted in its place. */
export function readControlText(dir: string, name: string): string {
  const fd = openSync(path.join(dir, name), constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** The task's env inputs, written by prepareTask. */
export function readTaskEnv(taskDir: string): Record<string, string> {
  return JSON.parse(readControlText(taskDir, 'env.json')) as Record<string, string>;
}
