// Where a sandbox lives on the worker's host. The workspace (a git clone) and a control folder
// (agent stream, exit code, pid) are bind-mounted into the container, so the worker reads the
// agent's stream and commits with plain file access and host git.
import path from 'node:path';
import { sandboxesRoot } from '../../core/sandbox/paths.js';

export { sandboxesRoot };

/** Paths inside the container. */
export const CONTAINER_HOME = '/home/dkmv';
export const CONTAINER_WORKSPACE = `${CONTAINER_HOME}/workspace`;
export const CONTAINER_CONTROL = `${CONTAINER_HOME}/.dkmv-control`;

export interface SandboxLayout {
  /** Host folder of this sandbox. */
  root: string;
  /** Host path of the git workspace (mounted at CONTAINER_WORKSPACE). */
  workspace: string;
  /** Host path of the control folder (mounted at CONTAINER_CONTROL). */
  control: string;
}

export function sandboxLayout(sandboxId: string): SandboxLayout {
  const root = path.join(sandboxesRoot(), sandboxId);
  return { root, workspace: path.join(root, 'workspace'), control: path.join(root, 'control') };
}
