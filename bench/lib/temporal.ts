// Shared by the benches: a Temporal dev server of the bench's own (free port, stopped by PID), an
// in-process dkmv worker on a queue of its own, a client, and a bare repo to clone from and push to.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import getPort from 'get-port';
import { devServerArgs, waitForServer } from '../../cli/stack/dev-server.js';
import { requireTemporalCli } from '../../cli/stack/temporal-cli.js';
import { createWorker, type DkmvWorker } from '../../workers/worker.js';

export interface BenchServer {
  address: string;
  pid: number;
  client: Client;
  stop(): Promise<void>;
}

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function sh(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** A bare repo with one commit on `main`. */
export function makeBareRepo(root: string): string {
  const bare = path.join(root, 'remote.git');
  sh('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const seed = path.join(root, 'seed');
  sh('git', ['clone', '-q', bare, seed]);
  writeFileSync(path.join(seed, 'README.md'), '# bench\n');
  const id = ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost'];
  sh('git', [...id, 'add', '.'], seed);
  sh('git', [...id, 'commit', '-qm', 'initial'], seed);
  sh('git', ['push', '-q', 'origin', 'HEAD:main'], seed);
  return bare;
}

export function uptime(): string {
  return spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
}

/** Starts a headless dev server on a free port and connects a client to it. */
export async function startServer(root: string): Promise<BenchServer> {
  const port = await getPort({ host: '127.0.0.1' });
  const address = `127.0.0.1:${port}`;
  const logFile = path.join(root, 'temporal.log');
  const server: ChildProcess = spawn(requireTemporalCli(), devServerArgs({ port, headless: true, logFile }), {
    stdio: 'ignore',
  });
  await waitForServer(address, 60_000, () => server.exitCode === null);
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  return {
    address,
    pid: server.pid!,
    client,
    async stop() {
      await connection.close().catch(() => undefined);
      if (server.pid && server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        process.kill(server.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (server.exitCode === null) process.kill(server.pid, 'SIGKILL');
      }
    },
  };
}

/** An in-process worker (shared queue + host queue) on `taskQueue`. */
export async function startWorker(
  address: string,
  taskQueue: string,
): Promise<{ worker: DkmvWorker; stop(): Promise<void> }> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const worker = await createWorker({
    target: { address, namespace: 'default', taskQueue, explicitAddress: true },
  });
  const running = worker.run();
  return {
    worker,
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await worker.connection.close().catch(() => undefined);
    },
  };
}

/** Seconds of a protobuf timestamp. */
export function seconds(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(t?.seconds ?? 0) + (t?.nanos ?? 0) / 1e9;
}
