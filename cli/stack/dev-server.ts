// Starts a Temporal dev server (with Web UI and dkmv's search attributes) as a detached process.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { SEARCH_ATTRIBUTES } from '../../core/temporal/search-attributes.js';
import { requireTemporalCli } from './temporal-cli.js';

export interface DevServerOptions {
  ip?: string;
  port: number;
  uiPort?: number;
  /** Temporal's HTTP API; without it the dev server picks a random port. */
  httpPort?: number;
  /** Persistent SQLite file; omit for an in-memory server. */
  dbFile?: string;
  logFile: string;
  headless?: boolean;
  /** Keep running after this process exits. */
  detached?: boolean;
}

export function devServerArgs(options: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', options.ip ?? '127.0.0.1', '--port', String(options.port)];
  if (options.headless) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort ?? options.port + 1000));
  if (options.httpPort) args.push('--http-port', String(options.httpPort));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  // Eager activity dispatch (the SDK asks for it; the open-source server has it off): an activity on
  // the workflow worker's own queue starts in the workflow task's answer, one round trip fewer.
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  args.push('--log-level', 'warn');
  return args;
}

/** Spawns the server and returns its pid; call waitForServer before use. */
export function spawnDevServer(options: DevServerOptions): number {
  const out = openSync(options.logFile, 'a');
  const child = spawn(requireTemporalCli(), devServerArgs(options), {
    detached: options.detached ?? true,
    stdio: ['ignore', out, out],
  });
  closeSync(out); // the child has its own copy of the descriptor
  if (options.detached ?? true) child.unref();
  if (child.pid === undefined) throw new Error('the Temporal dev server did not start');
  return child.pid;
}

/** True when a Temporal frontend answers gRPC at `address` (the client is loaded only then). */
export async function serverAnswers(address: string, timeoutMs = 1500): Promise<boolean> {
  return (await import('../temporal-connect.js')).grpcServerAnswers(address, timeoutMs);
}

export async function waitForServer(address: string, timeoutMs = 60_000, isAlive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await serverAnswers(address)) return;
    if (isAlive && !isAlive()) throw new Error('the Temporal dev server exited during start-up');
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Temporal dev server did not answer at ${address} within ${timeoutMs / 1000}s`);
}
