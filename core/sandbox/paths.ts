// Where sandboxes live on a Docker host: read by the worker's activities (which create them) and by
// the CLI's `clean` (which removes what is left over).
import os from 'node:os';
import path from 'node:path';

/** Host folder holding one folder per sandbox (`DKMV_SANDBOX_DIR`, else ~/.cache/dkmv/sandboxes). */
export function sandboxesRoot(): string {
  return process.env.DKMV_SANDBOX_DIR || path.join(os.homedir(), '.cache', 'dkmv', 'sandboxes');
}
