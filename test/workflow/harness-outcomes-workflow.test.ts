// Honest outcomes of a harness run on the real dev server: real componentWorkflow children (their
// sandbox and agent activities faked; each child's commit writes scripted files), real landing,
// ownership check, Gate 4 and verdict; only the smoke activity is scripted. One build that ships with
// remaining issues: its exit code, the live progress, `dkmv show` of an evaluator child that failed,
// the report's cost table and its fix-round sections, and the commit a fixed unit landed with last.
import { stripVTControlCharacters } from 'node:util';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmokeInput, SmokeResult } from '../../activities/harness/smoke.js';
import { followHarness } from '../../cli/commands/harness-follow.js';
import { harnessShow } from '../../cli/runs/harness-show.js';
import { harnessLines } from '../../cli/runs/render.js';
import { planEvalBatches, type BatchCriterion } from '../../core/harness/eval-report.js';
import { evaluatorChildId, fixerChildId } from '../../core/harness/ids.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { judgeSmoke, ownersOfSmokeFailures } from '../../core/harness/smoke-report.js';
import type { HarnessInput } from '../../core/harness/types.js';
import { harnessWorkflow } from '../../workflows/index.js';
import { makeBareRepo } from '../support/e2e.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import { fixturePlan } from '../unit/harness/fixture-plan.js';
import { fakeRun } from './fakes.js';
import { childEdits, harnessTestActivities, type Edit } from './harness-fakes.js';
import { HISTORIES_DIR, historyToFileJson } from './history-files.js';

const RECORD = process.env.DKMV_RECORD_HISTORIES === '1';
const HOME = path.resolve(import.meta.dirname, '../..');
const plan = fixturePlan() as unknown as HarnessPlan;
const WIDGETS = `// Widgets.\n\nexport function el(tag) {\n  return document.createElement(tag);\n}\n`;
const append =
  (text: string): Edit =>
  (old) =>
    `${old ?? ''}${text}`;
const UNIT_WORK: Record<string, Record<string, Edit>> = {
  'WU-01': {
    'server.mjs': '// server\n',
    'package.json': '{}\n',
    'public/index.html': '<main id="app"></main>\n',
    'public/app.js': `import { createCounter, createTodo } from './widgets.js';\n\nexport function main(root) {\n  root.append(createCounter(), createTodo());\n}\n`,
  },
  'WU-02': { 'public/widgets.js': append(`\nexport function createCounter() {\n  return el('section');\n}\n`) },
  'WU-03': { 'public/widgets.js': append(`\nexport function createTodo() {\n  return el('ul');\n}\n`) },
};
/** A change inside a symbol (lands when the fixer's unit owns it). */
const inside =
  (signature: string): Edit =>
  (old) =>
    (old ?? '').replace(`${signature} {\n`, `${signature} {\n  // fixed\n`);

let worker: RunningWorker;
let client: Client;
let closeClient: () => Promise<void>;
let root: string;

/** Smoke passes: what this file is about comes after it. */
async function runSmoke(input: SmokeInput): Promise<SmokeResult> {
  await Promise.resolve();
  const report = judgeSmoke({
    round: input.round,
    commit: 'c0ffee',
    url: 'http://127.0.0.1:4173/',
    steps: (['install', 'start', 'ready', 'load'] as const).map((name) => ({ name, status: 'pass', duration_ms: 5 })),
    http_status: 200,
    screenshot: { path: `smoke/r${input.round}.png`, sha256: 'x', bytes: 4000, nonblank: true },
    console_errors: [],
    body_text_length: 120,
    process_alive: true,
  });
  return {
    report,
    failures: ownersOfSmokeFailures(report, input.manifest),
    reportPath: `smoke/r${input.round}.json`,
    screenshotPath: 'smoke/r1.png',
  };
}

function screenshot(): Buffer {
  const png = new PNG({ width: 32, height: 32 });
  for (let i = 0; i < png.data.length; i += 4)
    png.data.set((i / 4) % 32 < 16 ? [20, 20, 60, 255] : [240, 240, 240, 255], i);
  return PNG.sync.write(png);
}
const SHOT = screenshot();

/** An evaluator's report (criteria not listed score 8) and its one real screenshot. */
function evaluatorWrites(batchId: string, round: number, criteria: BatchCriterion[], scores: Record<string, number>) {
  const shotPath = `.agent/eval/${batchId}/s1.png`;
  const report = {
    batch_id: batchId,
    round,
    verdict: criteria.some((c) => (scores[c.id] ?? 8) < 7) ? 'RETRY' : 'PASS',
    verdict_rationale: '',
    criteria: criteria.map((c) => {
      const score = scores[c.id] ?? 8;
      return {
        criterion_id: c.id,
        score,
        evidence: `Checked ${c.id} in Chromium at 1440x900: ${score >= 7 ? 'works as stated' : 'clicking does nothing'} (s1)`,
        evidence_refs: ['s1'],
        fix_hint: score >= 7 ? null : `public/widgets.js — make ${c.id} work`,
      };
    }),
    screenshots: [{ id: 's1', path: shotPath, viewport: '1440x900' }],
  };
  return { '.agent/eval_report.json': JSON.stringify(report, null, 2), [shotPath]: SHOT };
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-harness-outcomes-'));
  process.env.DKMV_HARNESS_DIR = path.join(root, 'landing');
  worker = await startTestWorker({ activities: { ...harnessTestActivities, runSmoke } });
  ({ client, close: closeClient } = await testClient());
});

afterAll(async () => {
  await closeClient?.();
  await worker?.stop();
});

/**
 * Round 1: WU-02-C2 and WU-03-C2 fail. Fix round 2: WU-03's fixer lands inside createTodo; WU-02's
 * fixer edits main (WU-01's), so its fix does not land. Round 2: the integration evaluator's first
 * child fails (it spent $0.02), the re-run reports; WU-02-C2 still fails → shipped with issues (2 rounds).
 */
function register(runId: string): void {
  const child = (
    id: string,
    slot: string,
    script: { costUsd: number; status?: 'failed' },
    edits?: Record<string, Edit>,
  ) => {
    fakeRun(id, { [slot]: { turns: 2, ...script } });
    if (edits) childEdits.set(id, edits);
  };
  child(`${runId}/plan/a1`, 'plan', { costUsd: 0.03 }, { '.agent/plan.json': JSON.stringify(plan) });
  for (const u of ['WU-01', 'WU-02', 'WU-03'])
    child(`${runId}/gen/${u}/r1a1`, 'build', { costUsd: 0.05 }, UNIT_WORK[u]);
  const rounds: Record<number, Record<string, number>> = { 1: { 'WU-02-C2': 3, 'WU-03-C2': 4 }, 2: { 'WU-02-C2': 3 } };
  for (const round of [1, 2]) {
    for (const b of planEvalBatches(
      round,
      plan.units.map((u) => ({ id: u.id, criteria: u.criteria })),
      plan.overall_criteria,
    )) {
      const writes = evaluatorWrites(b.batchId, round, b.criteria, rounds[round]!);
      if (b.batchId === 'r2-int') {
        child(evaluatorChildId(runId, b.batchId, 1), 'evaluate', { costUsd: 0.02, status: 'failed' });
        child(evaluatorChildId(runId, b.batchId, 2), 'evaluate', { costUsd: 0.01 }, writes);
      } else child(evaluatorChildId(runId, b.batchId, 1), 'evaluate', { costUsd: 0.01 }, writes);
    }
  }
  child(
    fixerChildId(runId, 'WU-02', 2),
    'fix',
    { costUsd: 0.04 },
    { 'public/app.js': inside('export function main(root)') },
  );
  child(
    fixerChildId(runId, 'WU-03', 2),
    'fix',
    { costUsd: 0.04 },
    { 'public/widgets.js': inside('export function createTodo()') },
  );
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

/** The report's cost table: one row per child (id, role, cost) and the total. */
function costTable(report: string): {
  rows: { child: string; role: string; status: string; cost: number }[];
  total: number;
} {
  const section = report.slice(report.indexOf('## Cost'));
  const rows = [...section.matchAll(/^\| `([^`]+)` \| (\w+) \| [^|]* \| (\w+) \| \$(\d+\.\d{4}) \|$/gm)].map((m) => ({
    child: m[1]!,
    role: m[2]!,
    status: m[3]!,
    cost: Number(m[4]),
  }));
  const total = Number(/^\| \*\*total\*\* \|.*\| \$(\d+\.\d{4})/m.exec(section)?.[1]);
  return { rows, total };
}

describe('harness outcomes (real children, landing, Gate 4 and verdict; scripted smoke)', () => {
  it('a build shipped with remaining issues: exit 4, failed evaluator shown with its cost, costs sum, a section per fix round', async () => {
    const runId = `260101-0000-harness-o-${randomUUID().slice(0, 8)}`;
    const repo = makeBareRepo(mkdtempSync(path.join(root, 'repo-')), {
      'README.md': '# tiny\n',
      'public/widgets.js': WIDGETS,
    });
    register(runId);
    const runDir = path.join(root, 'runs', runId);
    const input: HarnessInput = {
      runId,
      prompt: 'Build a counter and a todo list. Keep both on one page, served by a tiny Node server.',
      repo,
      branch: 'feat/tiny',
      image: 'dkmv-sandbox:latest',
      memory: '2g',
      runDir,
      projectRoot: root,
      maxParallel: 5,
      reviewPlan: false,
      roles: { planner: {}, generator: {} },
      layers: {
        config: {},
        default: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 10, timeout_minutes: 5 },
      },
      roleDirs: {
        planner: path.join(HOME, 'components/harness/planner'),
        generator: path.join(HOME, 'components/harness/generator'),
      },
      quality: {
        browserImage: 'dkmv-browser:latest',
        roles: { evaluator: {}, fixer: {} },
        roleDirs: {
          evaluator: path.join(HOME, 'components/harness/evaluator'),
          fixer: path.join(HOME, 'components/harness/fixer'),
        },
        baseBranch: 'main',
        maxRounds: 2,
      },
    };
    const handle = await client.workflow.start(harnessWorkflow, {
      workflowId: runId,
      taskQueue: worker.target.taskQueue,
      args: [input],
      workflowExecutionTimeout: '5 minutes',
    });
    // What `dkmv harness` prints and exits with (the same follower the CLI runs).
    const printed: string[] = [];
    const { code, view } = await followHarness(client, runId, { log: (l) => printed.push(l), pollMs: 100 });
    expect(view?.status).toBe('completed');
    expect(view?.quality?.outcome).toBe('with_issues');
    expect(code).toBe(4);
    const out = printed.join('\n');
    expect(out).toContain('outcome: shipped with remaining issues (exit 4)');
    // the live progress names each verdict and which unit each fix round fixes
    expect(out).toContain('  eval round 1: r1-b1 (WU-01, WU-02, WU-03)  RETRY  13/15');
    expect(out).toMatch(
      /\n {2}fix round 2: fixing WU-02 \(failing criteria\) {2}not landed: it changed code outside WU-02: - public\/app\.js lines \d+–\d+: .*rule "owned by another unit"/,
    );
    // a fixer that completed is not reported as failed to land while its landing is still to come
    expect(out).not.toContain('the fixer ended completed');
    expect(out).toMatch(/ {2}fix round 2: fixing WU-03 \(failing criteria\) {2}landed [0-9a-f]{10}/);
    expect(out).toContain('  eval round 2: r2-int (integration)  PASS  4/4  $0.0300');

    // `dkmv show`: the evaluator child that failed is a failed row with what it spent
    const show = harnessShow(view!, runDir);
    expect(show.outcome).toBe('with_issues');
    const failedEval = show.children.find((c) => c.workflow_id === evaluatorChildId(runId, 'r2-int', 1));
    expect(failedEval).toMatchObject({ role: 'evaluator', status: 'failed', cost_usd: 0.02 });
    expect(show.children.find((c) => c.workflow_id === evaluatorChildId(runId, 'r2-int', 2))).toMatchObject({
      status: 'completed',
      cost_usd: 0.01,
    });
    // picocolors colours output when CI is set: match the words a user reads
    const text = stripVTControlCharacters(harnessLines(show).join('\n'));
    expect(text).toMatch(
      new RegExp(
        `${evaluatorChildId(runId, 'r2-int', 1)}[\\s│]+evaluator r2-int \\(integration\\)[\\s│]+failed[\\s│]+\\$0\\.0200`,
      ),
    );
    expect(text).toContain('shipped with remaining issues');
    expect(show.quality?.fixes.find((f) => f.unit === 'WU-02')).toMatchObject({ landed: false });
    expect(show.quality?.fixes.find((f) => f.unit === 'WU-02')?.why).toMatch(/outside WU-02:\n- public\/app\.js lines/);
    expect(text).toMatch(/no: it changed code outside WU-02:.*public\/app\.js/);

    // the report: every child in the cost table, summing to the run's total
    const report = git(repo, 'show', 'feat/tiny:docs/harness/report.md');
    expect(report.split('\n')[0]).toBe('# dkmv harness: Build a counter and a todo list.');
    const { rows, total } = costTable(report);
    const ids = [
      `${runId}/plan/a1`,
      ...['WU-01', 'WU-02', 'WU-03'].map((u) => `${runId}/gen/${u}/r1a1`),
      ...['r1-b1', 'r1-int', 'r2-b1'].map((b) => evaluatorChildId(runId, b, 1)),
      evaluatorChildId(runId, 'r2-int', 1),
      evaluatorChildId(runId, 'r2-int', 2),
      fixerChildId(runId, 'WU-02', 2),
      fixerChildId(runId, 'WU-03', 2),
    ];
    expect(rows.map((r) => r.child).sort()).toEqual(ids.sort());
    expect(rows.find((r) => r.child === evaluatorChildId(runId, 'r2-int', 1))).toMatchObject({
      status: 'failed',
      cost: 0.02,
    });
    expect(total).toBe(view!.costUsd);
    expect(Math.round(rows.reduce((s, r) => s + r.cost, 0) * 10_000) / 10_000).toBe(total);
    expect(total).toBeCloseTo(0.03 + 3 * 0.05 + 4 * 0.01 + 0.02 + 2 * 0.04, 6);
    expect(report).not.toContain('not recorded per child');

    // a section per fix round: what each fixer fixed, landed or why not, and what the round's checks found
    const fixRound = report.slice(report.indexOf('### Fix round 2'), report.indexOf('## Cost'));
    expect(fixRound).toMatch(
      /- WU-02 \(failing criteria\): fixer completed, \$0\.0400; did not land: it changed code outside WU-02:.*public\/app\.js/,
    );
    const wu03Fix = view!.quality!.fixes.find((f) => f.unit === 'WU-03')!;
    expect(wu03Fix.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(fixRound).toContain(
      `- WU-03 (failing criteria): fixer completed, $0.0400; landed ${wu03Fix.commit!.slice(0, 10)}`,
    );
    expect(fixRound).toContain('- then smoke: passed');
    expect(fixRound).toContain('- then evaluation: 18/19 criteria passed (r2-b1 RETRY, r2-int PASS)');
    // WU-03 landed last with its fix's merge, not its generator's commit
    expect(report).toMatch(
      new RegExp(`\\| WU-03 \\| [^|]+ \\| landed \\| 1 \\+ 1 fix \\| ${wu03Fix.commit!.slice(0, 10)} \\(fix\\) \\|`),
    );
    expect(git(repo, 'log', '--format=%H', 'feat/tiny')).toContain(wu03Fix.commit!);
    // the run folder's report is the shipped one
    expect(readFileSync(path.join(runDir, 'report.md'), 'utf8')).toBe(report);

    if (RECORD) {
      mkdirSync(HISTORIES_DIR, { recursive: true });
      writeFileSync(
        path.join(HISTORIES_DIR, 'harness-outcomes-with-issues.json'),
        historyToFileJson(await handle.fetchHistory()),
      );
    }
  });
});
