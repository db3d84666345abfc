// Path rules for task inputs and outputs: nothing may be written outside the workspace.
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { ErrorLocation } from '../errors.js';

/** The folder inside the workspace where relative `dest`/`path` values live. */
export const AGENT_DIR = '.agent';

/**
 * Turns a `dest` or output `path` into a workspace-relative POSIX path. Relative values live under
 * `.agent/` (a value already starting with `.agent/` is taken as is); absolute values and values that
 * climb out of the workspace with `..` are rejected.
 */
export function agentPath(value: string, where: ErrorLocation): string {
  const v = value.replace(/\\/g, '/');
  if (v.startsWith('/') || /^[A-Za-z]:\//.test(v) || v.startsWith('~')) {
    throw new UserError(
      `"${value}" is an absolute path; ${where.field ?? 'this path'} must stay inside the workspace`,
      {
        location: where,
        hint: `write it relative to ${AGENT_DIR}/ (e.g. "${path.posix.basename(v) || 'file.json'}")`,
      },
    );
  }
  const joined =
    v === AGENT_DIR || v.startsWith(`${AGENT_DIR}/`) ? path.posix.normalize(v) : path.posix.join(AGENT_DIR, v);
  const normalized = path.posix.normalize(joined).replace(/\/+$/, '');
  if (normalized === '..' || normalized.startsWith('../') || normalized === '.' || normalized === '') {
    throw new UserError(`"${value}" resolves outside the workspace`, {
      location: where,
      hint: `use a path relative to ${AGENT_DIR}/ without ".." segments that leave the workspace`,
    });
  }
  return normalized;
}

/** A path relative to the workspace root (DKMV's `state_files`, `workspace_dirs`, `deliverables`). */
export function workspaceRelative(value: string, where: ErrorLocation): string {
  const v = value.replace(/\\/g, '/');
  const normalized = path.posix.normalize(v).replace(/\/+$/, '');
  if (
    path.posix.isAbsolute(v) ||
    v.startsWith('~') ||
    normalized === '..' ||
    normalized.startsWith('../') ||
    normalized === '.'
  ) {
    throw new UserError(`"${value}" is not a path inside the workspace`, {
      location: where,
      hint: 'write it relative to the repository root, e.g. ".agent/state.json" or "docs/out"',
    });
  }
  return normalized;
}

/**
 * Normalizes a file input's `src` (a path on the machine that plans the run): relative paths are
 * taken from the project root and kept relative; `~` and absolute paths may point anywhere, as in
 * DKMV: the file is read when the run is planned and travels with the plan.
 */
export function sourcePath(value: string): string {
  const v = value === '~' || value.startsWith('~/') ? path.join(os.homedir(), value.slice(1)) : value;
  if (path.isAbsolute(v)) return path.normalize(v).replace(/(.)[\\/]+$/, '$1');
  return path.posix.normalize(v.replace(/\\/g, '/')).replace(/\/+$/, '') || '.';
}
