// The evaluator and fixer role components end to end, as `dkmv test` runs them: the real Claude Code
// CLI in the browser sandbox image against each component's model script, real headless Chromium
// producing the screenshots, then Gate 4 and the verdict in code on what the evaluator pushed.
// Evaluator (skeptical, with screenshots) → RETRY for WU-02 only → fixer wires Reset → smoke passes.
// A report without screenshots is sent back by Gate 4 with its complaints.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeThrowawayRepo } from '../../cli/test-run/repo.js';
import { DEFAULT_BROWSER_IMAGE } from '../../cli/build/browser-image.js';
import { gateEvalBranch } from '../../activities/harness/browser-eval-gate.js';
import { inspectPng } from '../../activities/harness/browser-screenshots.js';
import { runSmoke } from '../../activities/harness/smoke.js';
import { imageExists } from '../../cli/build/image.js';
import { evaluatorVars, planEvalBatches, type SettledCriterion } from '../../core/harness/eval-report.js';
import { decideAfterEval, fixerVars, formatCriterionFailures, reportVerdict } from '../../core/harness/verdict.js';
import type { OwnerManifest } from '../../core/harness/verdict-owners.js';
import { DKMV_HOME } from '../../core/project.js';
import { fileOnBranch, tempDir } from '../support/e2e.js';
import { startTestWorker, type RunningWorker } from '../support/temporal.js';

const FIXTURE = path.join(DKMV_HOME, 'components/harness/evaluator/fixtures/counter-app');
const app = { install: 'npm install --no-audit --no-fund', start: 'npm start', ready_path: '/', start_timeout_s: 60 };
const manifest: OwnerManifest = {
  fileOwners: { 'server.mjs': 'WU-01', 'public/index.html': 'WU-01', 'public/app.js': 'WU-02' },
  aggregationOwner: 'WU-01',
};
const units = [
  {
    id: 'WU-02',
    criteria: [
      { id: 'WU-02-C1', text: 'Clicking Add one increments the count shown in #count', kind: 'ui' as const },
      { id: 'WU-02-C2', text: 'Clicking Reset sets the count back to 0', kind: 'ui' as const },
    ],
  },
];

let worker: RunningWorker;
let outputDir: string;
/** Handed from the evaluator test to the fixer test (vitest runs a file's tests in order). */
let loop: { repo: string; runDir: string; failing: SettledCriterion[] } | undefined;

beforeAll(async () => {
  if (!imageExists(DEFAULT_BROWSER_IMAGE)) {
    throw new Error(
      `${DEFAULT_BROWSER_IMAGE} is not built: run \`npm run setup\` (or npx tsx scripts/ensure-image.ts)`,
    );
  }
  worker = await startTestWorker();
  outputDir = tempDir('harness-roles-runs');
});
afterAll(async () => {
  await worker?.stop();
});

function varArgs(vars: Record<string, string>): string[] {
  return Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`]);
}

/** `dkmv test <component>` in the browser image; resolves with the exit code and output. */
function dkmvTest(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(DKMV_HOME, 'bin', 'dkmv.js'), 'test', ...args],
      {
        cwd: DKMV_HOME,
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          DKMV_TASK_QUEUE: worker.target.taskQueue,
          DKMV_OUTPUT_DIR: outputDir,
          DKMV_IMAGE: DEFAULT_BROWSER_IMAGE,
          NO_COLOR: '1',
        },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 540_000, // one agent run; the machine may be shared and slow
      },
      (err, stdout, stderr) => {
        const kept = /kept {4}(\S+)/.exec(stdout)?.[1];
        if (kept?.includes('dkmv-test-')) rmSync(kept, { recursive: true, force: true });
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}\n${stderr}` });
      },
    );
  });
}

describe('harness quality roles with real Chromium', () => {
  it('evaluator scores with real screenshots → Gate 4 valid → RETRY for WU-02 only', async () => {
    const repo = makeThrowawayRepo(tempDir('roles'), FIXTURE);
    const [batch] = planEvalBatches(1, units, []);
    const vars = evaluatorVars({
      batch: batch!,
      spec: 'A counter page.',
      app,
      port: await getPort({ host: '127.0.0.1' }),
    });
    const evalRun = await dkmvTest([
      'components/harness/evaluator',
      '--repo',
      repo,
      '--branch',
      'dkh/t/eval/r1-b1',
      ...varArgs(vars),
    ]);
    if (evalRun.code !== 0) console.error(evalRun.out);
    expect(evalRun.code).toBe(0);
    const probe = JSON.parse(fileOnBranch(repo, 'dkh/t/eval/r1-b1', '.agent/eval/r1-b1/probe.json')) as Record<
      string,
      unknown
    >;
    expect(probe).toEqual({ before: '0', afterInc: '1', afterReset: '1', errors: [] }); // the real DOM: Reset is dead

    const runDir = tempDir('roles-run');
    const gate = await gateEvalBranch({ repo, branch: 'dkh/t/eval/r1-b1', expectation: batch!, runDir, attempt: 1 });
    if (gate.status === 'rerun') console.error(gate.complaints);
    expect(gate.status).toBe('valid');
    if (gate.status === 'rerun') return;
    expect(gate.screenshots).toEqual(['eval/r1-b1/s1.png', 'eval/r1-b1/s2.png', 'eval/r1-b1/s3.png']);
    const sizes = gate.screenshots.map((s) => readFileSync(path.join(runDir, s)));
    for (const png of sizes) expect(inspectPng(png)).toMatchObject({ png: true, nonblank: true, width: 1440 });
    console.log(`evaluator screenshots: ${sizes.map((b) => b.length).join(', ')} bytes`);
    expect(gate.report.criteria.map((c) => [c.criterion_id, c.score, c.passed])).toEqual([
      ['WU-02-C1', 8, true],
      ['WU-02-C2', 3, false],
    ]);
    expect(reportVerdict(gate.report)).toBe('RETRY');
    const next = decideAfterEval([gate.report], manifest, { round: 1, replanCount: 0, unitAttempts: { 'WU-02': 1 } });
    expect(next.action).toBe('FIX');
    if (next.action !== 'FIX') return;
    expect(next.assignments.map((a) => a.unit)).toEqual(['WU-02']);
    loop = { repo, runDir, failing: next.assignments[0]!.criteria };
  });

  it('the fixer gets the failing criterion verbatim, wires Reset, and the fixed branch passes the smoke test', async () => {
    expect(loop).toBeDefined(); // set by the evaluator test above
    const { repo, runDir, failing } = loop!;
    const fixRun = await dkmvTest([
      'components/harness/fixer',
      '--repo',
      repo,
      '--branch',
      'dkh/t/fix/WU-02/r2',
      ...varArgs(
        fixerVars({
          unit: 'WU-02',
          round: 2,
          brief: 'You own public/app.js.',
          failures: formatCriterionFailures(failing),
          port: await getPort({ host: '127.0.0.1' }),
          app,
        }),
      ),
    ]);
    if (fixRun.code !== 0) console.error(fixRun.out);
    expect(fixRun.code).toBe(0);
    expect(fileOnBranch(repo, 'dkh/t/fix/WU-02/r2', 'public/app.js')).toContain("querySelector('#reset')");

    const smoke = await runSmoke({
      runId: `roles-smoke-${process.pid}`,
      repo,
      branch: 'dkh/t/fix/WU-02/r2',
      round: 2,
      app,
      manifest,
      runDir,
    });
    expect(smoke.report.passed).toBe(true);
  });

  it('a report without screenshots is rejected by Gate 4 with its complaints, for a re-run', async () => {
    const repo = makeThrowawayRepo(tempDir('roles-b2'), FIXTURE);
    const batch = { ...planEvalBatches(1, units, [])[0]!, batchId: 'r1-b2' };
    batch.criteria = batch.criteria.slice(0, 1);
    const vars = evaluatorVars({ batch, spec: 'A counter page.', app, port: await getPort({ host: '127.0.0.1' }) });
    const run = await dkmvTest([
      'components/harness/evaluator',
      '--repo',
      repo,
      '--branch',
      'dkh/t/eval/r1-b2',
      ...varArgs(vars),
    ]);
    expect(run.code).toBe(0); // the component itself is satisfied: the report exists
    const runDir = tempDir('roles-b2-run');
    const first = await gateEvalBranch({ repo, branch: 'dkh/t/eval/r1-b2', expectation: batch, runDir, attempt: 1 });
    expect(first.status).toBe('rerun');
    if (first.status !== 'rerun') return;
    expect(first.complaints).toEqual([
      'no screenshots: save at least one under .agent/eval/',
      'criterion WU-02-C1 is a ui criterion: evidence_refs must name at least one screenshot id',
    ]);
    expect(first.feedback).toMatch(/^Your \.agent\/eval_report\.json was rejected by the harness \(Gate 4\)/);
    // The last attempt is settled instead: the lenient PASS (9 without evidence) cannot pass.
    const last = await gateEvalBranch({ repo, branch: 'dkh/t/eval/r1-b2', expectation: batch, runDir, attempt: 2 });
    expect(last.status).toBe('settled');
    if (last.status === 'rerun') return;
    expect(last.report.criteria[0]).toMatchObject({ criterion_id: 'WU-02-C1', score: 6, passed: false });
    expect(reportVerdict(last.report)).toBe('RETRY');
  });
});
