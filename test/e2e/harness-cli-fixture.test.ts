// `dkmv test harness --fixture tiny-cli` as a user runs it: the real CLI, worker, Temporal dev
// server, sandbox containers and Claude Code against the shipped tiny-cli model script. A build that
// is not a web page (plan app.kind cli) walks both round-3 gates for real: WU-03's first review
// scores 3 and its review-fix attempt lands; the real `npm test` fails on the merged head in round 1
// (WU-02's countLines), WU-02's fixer repairs it, the check passes in round 2; SMOKE is install +
// check (no browser) and the evaluators' evidence is commands with exit codes (no screenshots).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessView } from '../../core/harness/types.js';
import { tempDir } from '../support/e2e.js';
import { runDkmv } from '../support/dkmv-cli.js';
import { startTestWorker, type RunningWorker } from '../support/temporal.js';

let worker: RunningWorker;
let outputDir: string;

beforeAll(async () => {
  worker = await startTestWorker();
  outputDir = tempDir('harness-cli-runs');
});
afterAll(async () => {
  await worker?.stop();
});

/** The compiled CLI against this file's worker and run folder. */
const dkmv = (args: string[]) => runDkmv(args, { taskQueue: worker.target.taskQueue, outputDir, timeoutMs: 540_000 });

describe('dkmv test harness --fixture tiny-cli (a cli build; real CHECK and REVIEW)', () => {
  it('builds wordstat: review 3 → review-fix → landed; check fails in round 1 → WU-02 fixer → passes; command evidence', async () => {
    const r = await dkmv(['test', 'harness', '--fixture', 'tiny-cli', '--branch', 'dkmv-test/tiny-cli']);
    if (r.code !== 0) console.error(r.out);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/matched no session/);
    const runId = /run {5}(\S+)/.exec(r.out)![1]!;
    const [, repo, branch] = /repo {4}(\S+) {2}branch (\S+)/.exec(r.out)!;
    const view = JSON.parse(readFileSync(path.join(outputDir, 'runs', runId, 'harness.json'), 'utf8')) as HarnessView;
    expect(view.status).toBe('completed');
    expect(view.quality?.outcome).toBe('passed');

    // REVIEW: WU-03 scored 3 (two findings with file and line), its review-fix attempt scored 5
    const wu03 = view.units.find((u) => u.id === 'WU-03')!;
    expect(wu03.reviews?.map((x) => [x.attempt, x.score, x.findings, x.fixRequested])).toEqual([
      [1, 3, 2, true],
      [2, 5, 1, false],
    ]);
    expect(wu03.attempts.map((a) => [a.attempt, a.reviewFix ?? false, a.land?.status ?? null])).toEqual([
      [1, false, null],
      [2, true, 'merged'],
    ]);

    // CHECK: the real `npm test` failed on the merged head, named WU-02's test file, and WU-02's fixer fixed it
    expect(view.quality?.checks?.map((c) => [c.round, c.passed])).toEqual([
      [1, false],
      [2, true],
    ]);
    const r1 = JSON.parse(readFileSync(path.join(outputDir, 'runs', runId, 'check', 'r1.json'), 'utf8')) as {
      commands: { command: string; exit_code: number | null; output: string }[];
    };
    expect(r1.commands.map((c) => [c.command, c.exit_code === 0])).toEqual([
      ['npm install --no-audit --no-fund', true],
      ['npm test', false],
    ]);
    expect(r1.commands[1]!.output).toContain('count.test.mjs');
    expect(view.quality?.fixes.map((f) => [f.unit, f.round, f.cause, f.landed])).toEqual([['WU-02', 2, 'check', true]]);

    // a cli build: no browser smoke test and no screenshots; the evaluators' evidence is commands
    expect(view.quality?.smoke.map((s) => [s.round, s.passed, s.screenshotPath])).toEqual([[2, true, null]]);
    expect(view.quality?.evals.map((e) => [e.batchId, e.gate, e.verdict, `${e.passed}/${e.total}`])).toEqual([
      ['r2-b1', 'valid', 'PASS', '15/15'],
      ['r2-int', 'valid', 'PASS', '3/3'],
    ]);
    expect(view.quality?.evals.flatMap((e) => e.screenshots)).toEqual([]);

    // what landed works: the tests pass and the CLI counts
    const work = tempDir('harness-cli-app');
    execFileSync('git', ['clone', '-q', '-b', branch!, repo!, '.'], { cwd: work });
    execFileSync('npm', ['test'], { cwd: work, stdio: 'pipe' });
    const file = path.join(work, 'sample.txt');
    execFileSync('sh', ['-c', `printf 'The cat\\nthe dog\\n' > ${file}`]);
    const bin = path.join(work, 'bin', 'wordstat.mjs');
    expect(execFileSync(process.execPath, [bin, 'count', file], { encoding: 'utf8' }).trim()).toBe('2 lines, 4 words');
    expect(execFileSync(process.execPath, [bin, 'top', file, '1'], { encoding: 'utf8' }).trim()).toBe('2 the');

    const report = execFileSync('git', ['show', `${branch}:docs/harness/report.md`], { cwd: work, encoding: 'utf8' });
    expect(report).toContain('- Check: round 1 failed (`npm test` exited 1)');
    expect(report).toContain('- Check: round 2 passed');
    expect(report).toContain('- Review WU-03: 3/5 → 5/5 after 1 review-fix round(s)');
  });
});
