// Files the worker writes into a sandbox (inputs, instructions, control files) must belong to the
// container's user, or the agent cannot write next to them. A root worker hands them to uid 1000;
// a non-root worker runs the container as itself, so nothing needs changing.
import { runProcess } from '../process/launcher.js';

export const SANDBOX_UID = 1000;

/**
 * `chown -R` as a process (started by the launcher) the event loop does not wait on: a large
 * workspace takes a while, and a synchronous call would stall every other activity and heartbeat of
 * this worker meanwhile.
 * A failure changes nothing that worked before (the agent then reports what it could not write).
 */
export async function handToSandbox(...paths: string[]): Promise<void> {
  if (process.getuid?.() !== 0 || paths.length === 0) return;
  await runProcess('chown', ['-R', `${SANDBOX_UID}:${SANDBOX_UID}`, ...paths]).catch(() => undefined);
}
