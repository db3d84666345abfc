// A Temporal dev server for tests, on a free port: the one each project's global setup shares with
// its files, or one of a file's own when it asserts over everything the server holds (`dkmv runs`).
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import { devServerArgs, waitForServer } from '../../cli/stack/dev-server.js';
import { requireTemporalCli } from '../../cli/stack/temporal-cli.js';

export interface TestDevServer {
  address: string;
  /** Temporal's HTTP API, when asked for with `{ http: true }`. */
  httpUrl?: string;
  stop: () => Promise<void>;
}

/**
 * A port can be taken between choosing it and the server binding it (other suites and benches
 * start servers too): a server that exits during start-up is started again on another port; the
 * third failure reports the server's own output.
 */
export async function startDevServer(options: { http?: boolean } = {}): Promise<TestDevServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-test-temporal-'));
  for (let attempt = 1; ; attempt++) {
    const port = await getPort({ host: '127.0.0.1' });
    const address = `127.0.0.1:${port}`;
    const httpPort = options.http ? await getPort({ host: '127.0.0.1' }) : undefined;
    const logFile = path.join(dir, `server-${attempt}.log`);
    const out = openSync(logFile, 'a');
    const child = spawn(requireTemporalCli(), devServerArgs({ port, headless: true, logFile, httpPort }), {
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    try {
      await waitForServer(address, 60_000, () => child.exitCode === null);
      return {
        address,
        ...(httpPort ? { httpUrl: `http://127.0.0.1:${httpPort}` } : {}),
        stop: async () => {
          if (child.exitCode !== null) return;
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        },
      };
    } catch (err) {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (attempt >= 3) {
        const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
        throw new Error(`${(err as Error).message} (3 attempts); its last output (${logFile}):\n${tail}`);
      }
    }
  }
}
