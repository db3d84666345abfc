// Whether a run id names a run at all: its folder here, or Temporal knows it. Used where a command
// found nothing of the run (no container) and must not imply the run exists.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveConfig } from '../../core/config/index.js';
import { sessionReadOnly } from '../temporal-client.js';

/** true / false when known either way; undefined when Temporal cannot be asked and no folder is here. */
export async function runKnown(runId: string): Promise<boolean | undefined> {
  if (existsSync(path.join(resolveConfig().values.runs_dir, runId))) return true;
  let cli;
  try {
    cli = await sessionReadOnly();
  } catch {
    return undefined;
  }
  try {
    await cli.client.workflow.getHandle(runId).describe();
    return true;
  } catch (err) {
    return (err as Error).name === 'WorkflowNotFoundError' ? false : undefined;
  } finally {
    await cli.close();
  }
}
