// Vitest global setup for the workflow, e2e and crash projects: a real Temporal dev server per
// project (started on a free port, or reused from DKMV_TEST_TEMPORAL_ADDRESS), a check that the
// Docker engine answers, and dist/ and the workflow bundles built once for every file
// (warm-bundles.ts), since the projects' files start several at a time.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { DKMV_HOME } from '../../core/project.js';
import { startDevServer } from './dev-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

/** Once per vitest process (the projects' global setups run in it one after the other). */
function warmBundles(): void {
  if (process.env.DKMV_TEST_BUNDLES_WARM) return;
  const tsx = path.join(DKMV_HOME, 'node_modules/.bin/tsx');
  const res = spawnSync(tsx, [path.join(DKMV_HOME, 'test/support/warm-bundles.ts')], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`building dist/ and the workflow bundles failed:\n${res.stderr}`);
  process.env.DKMV_TEST_BUNDLES_WARM = '1';
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const docker = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (docker.status !== 0) {
    throw new Error('the Docker engine does not answer: run `npm run setup` (or `npm test`, which runs it)');
  }
  warmBundles();
  const server = process.env.DKMV_TEST_TEMPORAL_ADDRESS ? undefined : await startDevServer();
  project.provide('temporalAddress', server?.address ?? process.env.DKMV_TEST_TEMPORAL_ADDRESS!);
  return async () => {
    await server?.stop();
  };
}
