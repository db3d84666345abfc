// The harness run folder: harness.json (the status view) and report.md, mirrored on every phase
// change so `dkmv show` works without a worker, like component runs' run records.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HarnessView } from '../../core/harness/types.js';
import { redactSecrets } from '../engine/secrets.js';

export async function writeHarnessRecord(input: { runDir: string; view: HarnessView; report?: string }): Promise<void> {
  await Promise.resolve();
  mkdirSync(input.runDir, { recursive: true });
  writeFileSync(path.join(input.runDir, 'harness.json'), redactSecrets(`${JSON.stringify(input.view, null, 2)}\n`));
  if (input.report !== undefined) writeFileSync(path.join(input.runDir, 'report.md'), redactSecrets(input.report));
}
