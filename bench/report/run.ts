// npm run bench — runs every bench in turn (one at a time: they would disturb each other's
// timings) and writes bench/report.json and bench/report.md. A bench whose npm script does not exist
// in this checkout is reported as missing; a failing one as failed, with the end of its output.
//
//   npm run bench [-- --only task-overhead,fanout] [-- --quick] [-- --readme]
// --quick passes small run counts to the benches that take them (for trying the report out);
// --readme also puts the table into docs/timings.md (between its bench-report markers; the README
// links there);
// --from-logs <dir> builds the report from saved outputs (`<dir>/<script>.txt`, e.g. bench:fanout.txt,
// optionally ending with a line `exit=<code> seconds=<s>`) instead of running the benches.
// Last line: bench: benches=N ok=A failed=B missing=C goals_met=D goals_not_met=E
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchResult,
  loadAverages,
  markdown,
  withReportBlock,
  type BenchOutcome,
  type BenchResult,
  type BenchSpec,
  type Report,
} from './aggregate.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The benches, in the order they run, with the goals of issue #16 and the issues before it. */
export const BENCHES: BenchSpec[] = [
  {
    script: 'bench:task-overhead',
    tag: 'task-overhead',
    title: 'per-task overhead vs a plain script',
    goals: [{ key: 'ratio', max: 1.15, label: '≤ 1.15' }],
  },
  {
    script: 'bench:fanout',
    tag: 'fanout',
    title: 'parallel generators, 8 vs 1',
    goals: [
      { key: 'ratio_8_1', max: 1.3, label: '≤ 1.3' },
      { key: 'cpu_bound_ratio_8', max: 1.1, label: '≤ 1.1 (build wall ÷ its CPU seconds per core)' },
      { key: 'outside_cpu_s_per_gen', max: 1.0, label: '≤ 1.0 CPU-s outside the container' },
    ],
  },
  {
    script: 'bench:latency',
    tag: 'latency',
    title: 'latency a user feels',
    goals: [
      { key: 'first_request_s', max: 1.5, label: '≤ 1.5 s' },
      { key: 'takeover_margin_s', max: 3, label: '≤ 3 s over the heartbeat timeout' },
      { key: 'runs_1000_s', max: 1, label: '≤ 1 s' },
    ],
  },
  { script: 'bench:soak', tag: 'soak', title: 'soak (many runs, crashes)', goals: [] },
  {
    script: 'bench:merge',
    tag: 'merge-bench',
    title: 'structural merge vs git',
    goals: [{ key: 'ours_wrong', max: 0, label: '= 0' }],
  },
  {
    script: 'bench:cli',
    tag: 'cli',
    title: 'CLI start-up',
    goals: [
      { key: 'version_ratio', max: 3, label: '≤ 3×' },
      { key: 'runs_ratio', max: 3, label: '≤ 3×' },
      { key: 'run_nowait_ms', max: 500, label: '≤ 500 ms' },
    ],
  },
];

const QUICK_ARGS: Record<string, string[]> = {
  'bench:task-overhead': ['--runs', '7'], // the issue asks for at least 7, even quick
  'bench:cli': ['--runs', '5'],
  'bench:fanout': ['--quick'],
  'bench:latency': ['--quick'],
};

function scripts(): Record<string, string> {
  return (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
}

function uptime(): string {
  return spawnSync('uptime', { encoding: 'utf8' }).stdout ?? '';
}

/** Runs one bench through npm, its output shown as it comes and kept for the report. */
function runBench(script: string, args: string[]): Promise<BenchOutcome> {
  if (!(script in scripts()))
    return Promise.resolve({ script, status: 'missing', seconds: 0, output: '', exitCode: null });
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer, to: NodeJS.WriteStream) => {
      output += chunk.toString('utf8');
      to.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => keep(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => keep(c, process.stderr));
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      resolve({ script, status: code === 0 ? 'ok' : 'failed', seconds, output, exitCode: code });
    });
  });
}

/** A bench's output saved earlier (see --from-logs); missing when there is no file for it. */
function fromLog(dir: string, script: string): BenchOutcome {
  const file = path.join(dir, `${script}.txt`);
  if (!existsSync(file)) return { script, status: 'missing', seconds: 0, output: '', exitCode: null };
  const output = readFileSync(file, 'utf8');
  const end = /^exit=(\d+) seconds=(\d+)/m.exec(output);
  const exitCode = end ? Number(end[1]) : /^rc=(\d+)/m.test(output) ? Number(/^rc=(\d+)/m.exec(output)![1]) : 0;
  return { script, status: exitCode === 0 ? 'ok' : 'failed', seconds: end ? Number(end[2]) : 0, output, exitCode };
}

/** The first or last load averages printed in the saved outputs (their `uptime` lines). */
function loggedLoads(outcomes: BenchOutcome[], which: 'first' | 'last'): number[] {
  const lines = outcomes.flatMap((o) => o.output.split('\n').filter((l) => /load averages?:/.test(l)));
  const line = which === 'first' ? lines[0] : lines.at(-1);
  return line ? loadAverages(line) : [];
}

function machine(): string {
  const cpus = os.cpus();
  return `${os.hostname()} (${cpus.length} cores ${cpus[0]?.model.trim() ?? ''}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.versions.node})`;
}

async function main(): Promise<void> {
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? (process.argv[onlyArg + 1] ?? '').split(',') : undefined;
  const quick = process.argv.includes('--quick');
  const logsArg = process.argv.indexOf('--from-logs');
  const logs = logsArg > 0 ? process.argv[logsArg + 1] : undefined;
  const chosen = BENCHES.filter((b) => !only || only.includes(b.tag) || only.includes(b.script));
  const loadBefore = loadAverages(uptime());
  const results: BenchResult[] = [];
  const outcomes: BenchOutcome[] = [];
  for (const spec of chosen) {
    console.log(`\n=== npm run ${spec.script} ===`);
    const outcome = logs
      ? fromLog(logs, spec.script)
      : await runBench(spec.script, quick ? (QUICK_ARGS[spec.script] ?? []) : []);
    outcomes.push(outcome);
    results.push(benchResult(spec, outcome));
  }
  const report: Report = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: logs
      ? `${machine()}, from the saved outputs in ${logs} (each bench's own load lines are in its output)`
      : machine(),
    loadBefore: logs ? loggedLoads(outcomes, 'first') : loadBefore,
    loadAfter: logs ? loggedLoads(outcomes, 'last') : loadAverages(uptime()),
    benches: results,
  };
  writeFileSync(path.join(ROOT, 'bench', 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const table = markdown(report);
  writeFileSync(path.join(ROOT, 'bench', 'report.md'), `# Bench report\n\n${table}`);
  console.log(`\n${table}`);
  const written = ['bench/report.json', 'bench/report.md'];
  if (process.argv.includes('--readme')) {
    const timings = path.join(ROOT, 'docs', 'timings.md');
    writeFileSync(timings, withReportBlock(readFileSync(timings, 'utf8'), table));
    written.push('docs/timings.md');
  }
  // The repository's lint checks formatting: leave the files as prettier would.
  spawnSync('npx', ['prettier', '--write', ...written], { cwd: ROOT, stdio: 'ignore' });
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const goals = results.flatMap((r) => r.goals);
  console.log(
    `bench: benches=${results.length} ok=${count('ok')} failed=${count('failed') + count('no closing line')} missing=${count('missing')} ` +
      `goals_met=${goals.filter((g) => g.met === true).length} goals_not_met=${goals.filter((g) => g.met === false).length}`,
  );
}

await main();
