// bench:cli — how long the dkmv CLI takes to start, as ratios to a bare `node -e ''` measured on
// the same machine in the same run (so a busy or slow machine moves both sides alike).
//
//   node -e ''          the floor: starting Node itself
//   dkmv --version      the CLI's own start-up (goal ≤ 3×)
//   dkmv runs           a command that talks to Temporal: list runs from visibility (goal ≤ 3×)
//   dkmv status         the local stack, its workers and the runs in flight (informational)
//   dkmv run --no-wait  plan a one-task component and start its workflow (goal ≤ 0.5 s); no worker
//                       runs them: they wait on the bench's own server, removed at the end
//
// The commands run from the compiled CLI (dist/, built first if stale) against a Temporal dev
// server of the bench's own (a stack folder and free ports of its own: a user's stack is never
// touched), started with `dkmv up --no-worker` and stopped with `dkmv down` at the end. The
// commands alternate, `--runs N` rounds (default 15); the figures are medians. The local stack's
// server serves Temporal's HTTP API (port + 10), so the client commands take the HTTP path.
//
// `--baseline <checkout>` runs the same commands from another checkout's bin/dkmv.js in the same
// rounds (e.g. the commit before a change, built there), for a before/after under the same load.
//
//   npm run bench:cli [-- --runs 15] [--baseline /path/to/other/checkout]
// Last line: cli: runs=N node_ms=A version_ms=B runs_ms=C run_nowait_ms=D version_ratio=X runs_ratio=Y
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { makeBareRepo } from '../lib/temporal.js';

const LABELS: Record<string, string> = {
  version: '--version',
  runs: 'runs',
  status: 'status',
  run_nowait: 'run <comp> --no-wait',
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'dkmv.js');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function textArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function timed(args: string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const start = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const baseline = textArg('baseline');
  const stackDir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-bench-cli-'));
  // A one-task component and a repo for `dkmv run --no-wait` (branches bench/cli-<n>).
  const comp = path.join(stackDir, 'greet');
  mkdirSync(comp);
  copyFileSync(path.join(ROOT, 'components', 'examples', 'hello', '01-greet.yaml'), path.join(comp, '01-greet.yaml'));
  const bare = makeBareRepo(stackDir);
  let branch = 0;
  const port = await getPort();
  const uiPort = await getPort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DKMV_STACK_DIR: stackDir,
    DKMV_STACK_PORT: String(port),
    DKMV_STACK_UI_PORT: String(uiPort),
    NO_COLOR: '1',
    // Planning checks credentials; no model is ever asked (no worker runs these runs).
    DKMV_MODEL_URL: 'http://127.0.0.1:9',
    DKMV_OUTPUT_DIR: path.join(stackDir, 'runs'),
  };
  delete env.TEMPORAL_ADDRESS;
  const commands = (bin: string): Record<string, () => string[]> => ({
    version: () => [bin, '--version'],
    runs: () => [bin, 'runs'],
    status: () => [bin, 'status'],
    run_nowait: () => [bin, 'run', comp, '--repo', bare, '--branch', `bench/cli-${branch++}`, '--auto', '--no-wait'],
  });
  const cases: Record<string, () => string[]> = { node: () => ['-e', ''], ...commands(BIN) };
  if (baseline)
    for (const [k, c] of Object.entries(commands(path.join(path.resolve(baseline), 'bin', 'dkmv.js'))))
      cases[`base_${k}`] = c;
  try {
    const up = spawnSync(process.execPath, [BIN, 'up', '--no-worker'], { env, stdio: 'inherit' });
    if (up.status !== 0) throw new Error('dkmv up --no-worker failed');
    // Warm-up: the build check, the OS file cache and the server's first answers.
    for (const args of Object.values(cases)) timed(args(), env, stackDir);
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let i = 0; i < rounds; i++)
      for (const [name, args] of Object.entries(cases)) times[name]!.push(timed(args(), env, stackDir));
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<string, number>;
    const ratio = (k: string) => m[k]! / m.node!;
    console.log(`${'command'.padEnd(30)} ${'median'.padStart(9)}  ratio to node -e ''  goal`);
    const goals: Record<string, string> = { version: '≤ 3×', runs: '≤ 3×', run_nowait: '≤ 0.5 s' };
    for (const k of Object.keys(cases)) {
      const label =
        k === 'node'
          ? "node -e ''"
          : `${k.startsWith('base_') ? 'baseline ' : ''}dkmv ${LABELS[k.replace(/^base_/, '')]}`;
      console.log(
        `${label.padEnd(30)} ${`${m[k]!.toFixed(0)} ms`.padStart(9)}  ${`${ratio(k).toFixed(2)}×`.padStart(7)}              ${goals[k] ?? ''}`,
      );
    }
    console.log(
      `cli: runs=${rounds} node_ms=${m.node!.toFixed(0)} version_ms=${m.version!.toFixed(0)} runs_ms=${m.runs!.toFixed(0)} ` +
        `run_nowait_ms=${m.run_nowait!.toFixed(0)} version_ratio=${ratio('version').toFixed(2)} runs_ratio=${ratio('runs').toFixed(2)}` +
        (baseline
          ? ` base_runs_ratio=${ratio('base_runs').toFixed(2)} base_run_nowait_ms=${m.base_run_nowait!.toFixed(0)}`
          : ''),
    );
  } finally {
    spawnSync(process.execPath, [BIN, 'down', '--force'], { env, stdio: 'inherit' });
    rmSync(stackDir, { recursive: true, force: true });
  }
}

await main();
