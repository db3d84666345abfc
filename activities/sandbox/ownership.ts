// Files the worker writes into a sandbox (inputs, instructions, control files) must belong to the
// container's user, or the agent cannot write next to them. A root worker hands them to uid 1000;
// a non-root worker runs the container as itself, so nothing needs changing.
import { spawnSync } from 'node:child_process';

export const SANDBOX_UID = 1000;

export function handToSandbox(...paths: string[]): void {
  if (process.getuid?.() !== 0 || paths.length === 0) return;
  spawnSync('chown', ['-R', `${SANDBOX_UID}:${SANDBOX_UID}`, ...paths]);
}
