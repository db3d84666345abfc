// bench:cli — how long the dkmv CLI takes to start, as ratios to a bare `node -e ''` measured on
// the same machine in the same run (so a busy or slow machine moves both sides alike).
//
//   node -e ''          the floor: starting Node itself
//   dkmv --version      the CLI's own start-up (goal ≤ 3×)
//   dkmv runs           a command that talks to Temporal: list runs from visibility (goal ≤ 10×)
//   dkmv status         the local stack, its workers and the runs in flight (informational)
//
// The commands run from the compiled CLI (dist/, built first if stale) against a Temporal dev
// server of the bench's own (a stack folder and free ports of its own: a user's stack is never
// touched), started with `dkmv up --no-worker` and stopped with `dkmv down` at the end. The
// commands alternate, `--runs N` rounds (default 15); the figures are medians.
//
//   npm run bench:cli [-- --runs 15]
// Last line: cli: runs=N node_ms=A version_ms=B runs_ms=C version_ratio=X runs_ratio=Y
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'dkmv.js');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function timed(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { env, cwd: os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) throw new Error(`${args.join(' ')} exited ${res.status}: ${res.stderr.toString()}`);
  return ms;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main(): Promise<void> {
  const rounds = arg('runs', 15);
  const stackDir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-bench-cli-'));
  const port = await getPort();
  const uiPort = await getPort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DKMV_STACK_DIR: stackDir,
    DKMV_STACK_PORT: String(port),
    DKMV_STACK_UI_PORT: String(uiPort),
    NO_COLOR: '1',
  };
  delete env.TEMPORAL_ADDRESS;
  const cases: Record<string, string[]> = {
    node: ['-e', ''],
    version: [BIN, '--version'],
    runs: [BIN, 'runs'],
    status: [BIN, 'status'],
  };
  try {
    const up = spawnSync(process.execPath, [BIN, 'up', '--no-worker'], { env, stdio: 'inherit' });
    if (up.status !== 0) throw new Error('dkmv up --no-worker failed');
    // Warm-up: the build check, the OS file cache and the server's first answers.
    for (const args of Object.values(cases)) timed(args, env);
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let i = 0; i < rounds; i++)
      for (const [name, args] of Object.entries(cases)) times[name]!.push(timed(args, env));
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<string, number>;
    const ratio = (k: string) => m[k]! / m.node!;
    console.log(`${'command'.padEnd(16)} ${'median'.padStart(9)}  ratio to node -e ''  goal`);
    const goals: Record<string, string> = { version: '≤ 3×', runs: '≤ 10×' };
    for (const k of Object.keys(cases)) {
      const label = k === 'node' ? "node -e ''" : `dkmv ${cases[k]!.slice(1).join(' ')}`;
      console.log(
        `${label.padEnd(16)} ${`${m[k]!.toFixed(0)} ms`.padStart(9)}  ${`${ratio(k).toFixed(2)}×`.padStart(7)}              ${goals[k] ?? ''}`,
      );
    }
    console.log(
      `cli: runs=${rounds} node_ms=${m.node!.toFixed(0)} version_ms=${m.version!.toFixed(0)} runs_ms=${m.runs!.toFixed(0)} ` +
        `version_ratio=${ratio('version').toFixed(2)} runs_ratio=${ratio('runs').toFixed(2)}`,
    );
  } finally {
    spawnSync(process.execPath, [BIN, 'down', '--force'], { env, stdio: 'inherit' });
    rmSync(stackDir, { recursive: true, force: true });
  }
}

await main();
