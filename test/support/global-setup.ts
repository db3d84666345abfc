// Vitest global setup for the workflow and e2e projects: a real Temporal dev server (started on a
// free port, or reused from DKMV_TEST_TEMPORAL_ADDRESS) and a check that the Docker engine answers.
import { spawnSync, type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import type { TestProject } from 'vitest/node';
import { devServerArgs, waitForServer } from '../../cli/stack/dev-server.js';
import { requireTemporalCli } from '../../cli/stack/temporal-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

let server: ChildProcess | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const docker = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (docker.status !== 0) {
    throw new Error('the Docker engine does not answer: run `npm run setup` (or `npm test`, which runs it)');
  }
  let address = process.env.DKMV_TEST_TEMPORAL_ADDRESS;
  if (!address) {
    const port = await getPort({ host: '127.0.0.1' });
    address = `127.0.0.1:${port}`;
    const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'dkmv-test-temporal-')), 'server.log');
    server = spawn(requireTemporalCli(), devServerArgs({ port, headless: true, logFile }), { stdio: 'ignore' });
    const child = server;
    await waitForServer(address, 60_000, () => child.exitCode === null);
  }
  project.provide('temporalAddress', address);
  return async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server?.once('exit', r));
    }
  };
}
