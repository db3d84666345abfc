// Path rules for task inputs and outputs: nothing may resolve outside the workspace.
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

/**
 * Checks a file input's `src` (a path on the machine that starts the run, relative to the project
 * root): it may not leave the project. Returns the normalized relative path, or the absolute path
 * when it lies inside `projectRoot`.
 */
export function sourcePath(value: string, where: ErrorLocation, projectRoot?: string): string {
  const hint = 'keep inputs inside the project, or pass files from elsewhere with --context <path>';
  if (path.isAbsolute(value) || value.startsWith('~')) {
    if (projectRoot && !path.relative(path.resolve(projectRoot), path.resolve(value)).startsWith('..')) {
      return path.resolve(value);
    }
    throw new UserError(`"${value}" is outside the project`, { location: where, hint });
  }
  const normalized = path.posix.normalize(value.replace(/\\/g, '/'));
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new UserError(`"${value}" resolves outside the project`, { location: where, hint });
  }
  return normalized.replace(/\/+$/, '') || '.';
}
