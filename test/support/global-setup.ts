// Vitest global setup for the workflow, e2e and crash projects: a real Temporal dev server per
// project (started on a free port, or reused from DKMV_TEST_TEMPORAL_ADDRESS), a check that the
// Docker engine answers, and dist/ and the workflow bundles built once for every file
// (warm-bundles.ts), since the projects' files start several at a time.
import { spawnSync, type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import type { TestProject } from 'vitest/node';
import { devServerArgs, waitForServer } from '../../cli/stack/dev-server.js';
import { DKMV_HOME } from '../../core/project.js';
import { requireTemporalCli } from '../../cli/stack/temporal-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

let server: ChildProcess | undefined;

/**
 * A dev server on a free port. A port can be taken between choosing it and the server binding it
 * (other suites and benches start servers too): a server that exits during start-up is started
 * again on another port; the third failure reports the server's own output.
 */
async function startDevServer(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-test-temporal-'));
  for (let attempt = 1; ; attempt++) {
    const port = await getPort({ host: '127.0.0.1' });
    const address = `127.0.0.1:${port}`;
    const logFile = path.join(dir, `server-${attempt}.log`);
    const out = openSync(logFile, 'a');
    const child = spawn(requireTemporalCli(), devServerArgs({ port, headless: true, logFile }), {
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    server = child;
    try {
      await waitForServer(address, 60_000, () => child.exitCode === null);
      return address;
    } catch (err) {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (attempt >= 3) {
        const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
        throw new Error(`${(err as Error).message} (3 attempts); its last output (${logFile}):\n${tail}`);
      }
    }
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
  const address = process.env.DKMV_TEST_TEMPORAL_ADDRESS ?? (await startDevServer());
  project.provide('temporalAddress', address);
  return async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server?.once('exit', r));
    }
  };
}
