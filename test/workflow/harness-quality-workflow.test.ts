// harnessWorkflow's quality loop on the real dev server: real componentWorkflow children (planner,
// generators, evaluators, fixers; their sandbox and agent activities faked, each child's commit
// writes scripted files to its branch), real git landing, real Gate 4 on the evaluators' branches
// (real PNG screenshots), the real verdict. Only the smoke activity is scripted (its real version
// needs Docker and Chromium: test/e2e). One test per verdict path of issue 12.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckInput, CheckResult } from '../../activities/harness/check.js';
import type { SmokeInput, SmokeResult } from '../../activities/harness/smoke.js';
import { openPullRequest } from '../../activities/harness/pull-request.js';
import { planEvalBatches, type BatchCriterion } from '../../core/harness/eval-report.js';
import {
  childRunId,
  evaluatorChildId,
  fixerChildId,
  generatorChildId,
  reviewerChildId,
} from '../../core/harness/ids.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { judgeCheck, ownersOfCheckFailures } from '../../core/harness/check-report.js';
import { judgeSmoke, ownersOfSmokeFailures } from '../../core/harness/smoke-report.js';
import type { HarnessInput } from '../../core/harness/types.js';
import { harnessWorkflow } from '../../workflows/index.js';
import { makeBareRepo } from '../support/e2e.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import { fixturePlan } from '../unit/harness/fixture-plan.js';
import { fakeRun, renderedPrompts, type FakeRun } from './fakes.js';
import { childEdits, derivedLockfile, harnessTestActivities, type Edit } from './harness-fakes.js';
import { HISTORIES_DIR, historyToFileJson } from './history-files.js';

const RECORD = process.env.DKMV_RECORD_HISTORIES === '1';
const HOME = path.resolve(import.meta.dirname, '../..');
const WIDGETS = `// Widgets.\n\nexport function el(tag) {\n  return document.createElement(tag);\n}\n`;
const COUNTER = `\nexport function createCounter() {\n  return el('section');\n}\n`;
const TODO = `\nexport function createTodo() {\n  return el('ul');\n}\n`;
const APP = `import { createCounter, createTodo } from './widgets.js';\n\nexport function main(root) {\n  root.append(createCounter(), createTodo());\n}\n`;
const append =
  (text: string): Edit =>
  (old) =>
    `${old ?? ''}${text}`;
const UNIT_WORK: Record<string, Record<string, Edit>> = {
  'WU-01': {
    'server.mjs': '// server\n',
    'package.json': '{}\n',
    'public/index.html': '<main id="app"></main>\n',
    'public/app.js': APP,
  },
  'WU-02': { 'public/widgets.js': append(COUNTER) },
  'WU-03': { 'public/widgets.js': append(TODO) },
};
/** A fixer's change inside the symbol its unit owns (the ownership check lets it land); repeatable. */
const inside =
  (signature: string): Edit =>
  (old) =>
    (old ?? '').replace(`${signature} {\n`, `${signature} {\n  // fixed\n`);
const FIXES: Record<string, Record<string, Edit>> = {
  'WU-01': { 'public/app.js': inside('export function main(root)') },
  'WU-02': { 'public/widgets.js': inside('export function createCounter()') },
  'WU-03': { 'public/widgets.js': inside('export function createTodo()') },
};

const plan = fixturePlan() as unknown as HarnessPlan;
const BOOM = 'TypeError: Cannot read properties of undefined (reading append)';

let worker: RunningWorker;
let client: Client;
let closeClient: () => Promise<void>;
let root: string;
/** Smoke outcomes per run id, one per call (missing = pass). */
/** The worker's GitHub token: a plain marker that must never show up in history or the run folder. */
const TOKEN = `dkmv-test-marker-${randomUUID().slice(0, 8)}`;
/** Requests the loopback fake of the GitHub REST API received. */
const apiRequests: { method: string; url: string; auth: string; body: Record<string, string> }[] = [];
let api: Server;
/** git config mapping fake github.com remotes onto local bare repos (url.<local>.insteadOf). */
let gitConfig: string;
const smokeScript = new Map<string, boolean[]>();
const smokeCalls = new Map<string, number[]>();
const prCalls = new Map<string, number>();

/** The smoke activity, scripted: a failure is a page error in public/app.js (owned by WU-01). */
async function runSmoke(input: SmokeInput): Promise<SmokeResult> {
  await Promise.resolve();
  smokeCalls.set(input.runId, [...(smokeCalls.get(input.runId) ?? []), input.round]);
  const passed = smokeScript.get(input.runId)?.shift() ?? true;
  const report = judgeSmoke({
    round: input.round,
    commit: 'c0ffee',
    url: 'http://127.0.0.1:4173/',
    steps: (['install', 'start', 'ready', 'load'] as const).map((name) => ({ name, status: 'pass', duration_ms: 5 })),
    http_status: 200,
    screenshot: { path: `smoke/r${input.round}.png`, sha256: 'x', bytes: 4000, nonblank: true },
    console_errors: passed
      ? []
      : [{ type: 'pageerror', text: BOOM, location: 'http://127.0.0.1:4173/app.js:4:8' } as never],
    body_text_length: 120,
    process_alive: true,
  });
  return {
    report,
    failures: ownersOfSmokeFailures(report, input.manifest),
    reportPath: `smoke/r${input.round}.json`,
    screenshotPath: report.screenshot?.path ?? null,
  };
}

/** CHECK outcomes per run id, one per call (missing = pass), and the calls seen. */
const checkScript = new Map<string, boolean[]>();
const checkCalls = new Map<string, CheckInput[]>();
const FAILING_TEST = 'not ok 1 - main mounts the widgets\n  at main (/home/dkmv/workspace/public/app.js:4:8)\n# fail 1';

/** The check activity, scripted: a failure is a failing test naming public/app.js (owned by WU-01). */
async function runCheck(input: CheckInput): Promise<CheckResult> {
  await Promise.resolve();
  checkCalls.set(input.runId, [...(checkCalls.get(input.runId) ?? []), input]);
  const passed = checkScript.get(input.runId)?.shift() ?? true;
  const commands = [input.install, ...input.commands].map((command, i, all) => ({
    command,
    exit_code: passed || i < all.length - 1 ? 0 : 1,
    duration_ms: 4,
    timed_out: false,
    output: passed || i < all.length - 1 ? 'ok' : FAILING_TEST,
  }));
  const report = judgeCheck({ round: input.round, commit: 'c0ffee', commands });
  return { report, failures: ownersOfCheckFailures(report, input.manifest), reportPath: `check/r${input.round}.json` };
}

function screenshot(): Buffer {
  const png = new PNG({ width: 32, height: 32 });
  for (let i = 0; i < png.data.length; i += 4) {
    const dark = (i / 4) % 32 < 16;
    png.data.set(dark ? [20, 20, 60, 255] : [240, 240, 240, 255], i);
  }
  return PNG.sync.write(png);
}
const SHOT = screenshot();

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-harness-q-'));
  process.env.DKMV_HARNESS_DIR = path.join(root, 'landing');
  api = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, string>;
      apiRequests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization ?? '', body });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ html_url: 'https://github.com/acme/tiny/pull/7', number: 7 }));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  // git reads $XDG_CONFIG_HOME/git/config as user config (the fakes' and the landing's git alike).
  gitConfig = path.join(root, 'xdg', 'git', 'config');
  mkdirSync(path.dirname(gitConfig), { recursive: true });
  writeFileSync(gitConfig, '');
  process.env.XDG_CONFIG_HOME = path.join(root, 'xdg');
  process.env.GITHUB_TOKEN = TOKEN;
  process.env.DKMV_GITHUB_API_URL = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  worker = await startTestWorker({
    activities: {
      ...harnessTestActivities,
      runSmoke,
      runCheck,
      async openPullRequest(input: Parameters<typeof openPullRequest>[0]) {
        prCalls.set(input.repo, (prCalls.get(input.repo) ?? 0) + 1);
        return openPullRequest(input);
      },
    },
  });
  ({ client, close: closeClient } = await testClient());
});

afterAll(async () => {
  await closeClient?.();
  await worker?.stop();
  api?.close();
  for (const key of ['XDG_CONFIG_HOME', 'GITHUB_TOKEN', 'DKMV_GITHUB_API_URL']) delete process.env[key];
});

interface Scores {
  /** Scores by criterion id; unlisted criteria score 8. */
  scores?: Record<string, number>;
  verdict?: 'PASS' | 'RETRY' | 'REPLAN';
  rationale?: string;
  /** Leave out the screenshots (Gate 4 must reject the report). */
  noScreenshots?: boolean;
}

const HINTS: Record<string, string> = {
  'WU-01': 'public/app.js:main — append the widgets after the root exists',
  'WU-02': 'public/widgets.js:createCounter — bind the click handler to the + button',
  'WU-03': 'public/widgets.js:createTodo — add the typed item to the list on Enter',
};

/** The evaluator child's files: its report and one real screenshot under .agent/eval/<batch>/. */
function evaluatorWrites(batchId: string, round: number, criteria: BatchCriterion[], s: Scores): Record<string, Edit> {
  const shotPath = `.agent/eval/${batchId}/s1.png`;
  const report = {
    batch_id: batchId,
    round,
    verdict: s.verdict ?? (Object.values(s.scores ?? {}).some((v) => v < 7) ? 'RETRY' : 'PASS'),
    verdict_rationale: s.rationale ?? '',
    criteria: criteria.map((c) => {
      const score = s.scores?.[c.id] ?? 8;
      return {
        criterion_id: c.id,
        score,
        evidence:
          score >= 7
            ? `Checked ${c.id} in Chromium at 1440x900: works as stated (s1)`
            : `Checked ${c.id} in Chromium at 1440x900: clicking does nothing, the count stays 0 (s1)`,
        evidence_refs: s.noScreenshots ? [] : ['s1'],
        fix_hint: score >= 7 ? null : (HINTS[c.unit ?? 'WU-01'] ?? HINTS['WU-01']),
      };
    }),
    screenshots: s.noScreenshots ? [] : [{ id: 's1', path: shotPath, viewport: '1440x900' }],
  };
  return {
    '.agent/eval_report.json': JSON.stringify(report, null, 2),
    ...(s.noScreenshots ? {} : { [shotPath]: SHOT }),
  };
}

const FINDING = {
  severity: 'major',
  file: 'public/widgets.js',
  line: 7,
  what: 'the click handler is never bound',
  fix: 'bind it in createCounter',
};

/** A reviewer's .agent/review.json: `tests` carries the score; below 4 it has one finding (and one without a line). */
function reviewWrites(unit: string, score: number): Record<string, Edit> {
  const review = {
    unit,
    scores: { correctness: 5, contracts: 5, tests: score, readability: 5 },
    findings: score < 4 ? [FINDING, { severity: 'minor', file: 'public/widgets.js', what: 'naming' }] : [],
    summary: score < 4 ? 'The counter does not count.' : 'Fine.',
  };
  return { '.agent/review.json': JSON.stringify(review) };
}

/** Batches of a round as the workflow plans them (serial round numbers). */
function batches(round: number) {
  return planEvalBatches(
    round,
    plan.units.map((u) => ({ id: u.id, criteria: u.criteria })),
    plan.overall_criteria,
  );
}

interface Script {
  smoke?: boolean[];
  check?: boolean[];
  /** Evaluator answers by serial round and batch suffix (`b1`, `int`); attempt 2 under `<suffix>#2`. */
  evals?: Record<number, Record<string, Scores>>;
  /** Fixer children expected (unit → serial round). */
  fixers?: [string, number][];
  /** The REVIEW gate on: the lowest score each reviewer child gives, by `<unit>/a<attempt>` (missing = 5). */
  review?: Record<string, number>;
  /** Extra planner attempts (a REPLAN) and generators of later rounds. */
  replan?: { plannerAttempt: number; round: number };
  /** What a fixer writes, by unit, instead of FIXES (e.g. a real model's fix with `npm install`). */
  fixEdits?: Record<string, Record<string, Edit>>;
}

/** Each child's fake run (its activity calls), by child workflow id. */
const childRuns = new Map<string, FakeRun>();

function register(runId: string, script: Script): void {
  const child = (suffix: string, slot: string, edits?: Record<string, Edit>) => {
    const id = `${runId}/${suffix}`;
    childRuns.set(id, fakeRun(id, { [slot]: { costUsd: 0.01, turns: 2 } }));
    if (edits) childEdits.set(id, edits);
  };
  child('plan/a1', 'plan', { '.agent/plan.json': JSON.stringify(plan) });
  for (const u of ['WU-01', 'WU-02', 'WU-03']) child(`gen/${u}/r1a1`, 'build', UNIT_WORK[u]);
  if (script.replan) {
    child(`plan/a${script.replan.plannerAttempt}`, 'plan', { '.agent/plan.json': JSON.stringify(plan) });
    // The new plan builds on what landed: each generator changes its own symbol a little.
    for (const u of ['WU-01', 'WU-02', 'WU-03']) child(`gen/${u}/r${script.replan.round}a1`, 'build', FIXES[u]);
  }
  for (let round = 1; round <= 5; round++) {
    for (const b of batches(round)) {
      const suffix = b.batchId.split('-')[1]!;
      for (const attempt of [1, 2]) {
        const s = script.evals?.[round]?.[attempt === 1 ? suffix : `${suffix}#2`] ?? {};
        const id = evaluatorChildId(runId, b.batchId, attempt).slice(runId.length + 1);
        child(id, 'evaluate', evaluatorWrites(b.batchId, round, b.criteria, s));
      }
    }
  }
  for (const [unit, round] of script.fixers ?? []) {
    child(fixerChildId(runId, unit, round).slice(runId.length + 1), 'fix', script.fixEdits?.[unit] ?? FIXES[unit]);
  }
  if (script.review) {
    for (const u of ['WU-01', 'WU-02', 'WU-03']) {
      for (const attempt of [1, 2, 3]) {
        const score = script.review[`${u}/a${attempt}`] ?? 5;
        child(reviewerChildId(runId, u, 1, attempt).slice(runId.length + 1), 'review', reviewWrites(u, score));
        // a review-fix attempt changes the unit's own symbol, on top of the reviewed attempt
        if (attempt > 1) child(generatorChildId(runId, u, 1, attempt).slice(runId.length + 1), 'build', FIXES[u]);
      }
    }
  }
  if (script.smoke) smokeScript.set(runId, [...script.smoke]);
  if (script.check) checkScript.set(runId, [...script.check]);
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

async function start(
  script: Script,
  options: { github?: boolean; reviewMinScore?: number } = {},
): Promise<{ runId: string; repo: string; handle: WorkflowHandle<typeof harnessWorkflow> }> {
  const runId = `260101-0000-harness-q-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(path.join(root, 'repo-'));
  const repo = makeBareRepo(dir, { 'README.md': '# tiny\n', 'public/widgets.js': WIDGETS });
  register(runId, script);
  // A GitHub remote: git is pointed at the local bare repo, the REST API at the loopback fake.
  const remote = options.github ? `https://github.com/acme/tiny-${runId.slice(-8)}.git` : repo;
  if (options.github) appendFileSync(gitConfig, `[url "${repo}"]\n\tinsteadOf = ${remote}\n`);
  const input: HarnessInput = {
    runId,
    prompt: 'Build a counter and a todo list',
    repo: remote,
    branch: 'feat/tiny',
    image: 'dkmv-sandbox:latest',
    memory: '2g',
    runDir: path.join(root, 'runs', runId),
    projectRoot: root,
    maxParallel: 5,
    reviewPlan: false,
    roles: { planner: {}, generator: {} },
    layers: { config: {}, default: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 10, timeout_minutes: 5 } },
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
    },
    ...(script.review
      ? {
          review: {
            minScore: options.reviewMinScore ?? 4,
            maxRounds: 2,
            role: {},
            roleDir: path.join(HOME, 'components/harness/reviewer'),
          },
        }
      : {}),
  };
  const handle = await client.workflow.start(harnessWorkflow, {
    workflowId: runId,
    taskQueue: worker.target.taskQueue,
    args: [input],
    workflowExecutionTimeout: '5 minutes',
  });
  return { runId, repo, handle };
}

async function saveHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (!RECORD) return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), historyToFileJson(await handle.fetchHistory()));
}

function prompt(childId: string, slot: string): string {
  return renderedPrompts.get(`${childRunId(childId)}/${slot}`) ?? '';
}

async function exists(id: string): Promise<boolean> {
  return client.workflow
    .getHandle(id)
    .describe()
    .then(
      () => true,
      () => false,
    );
}

describe('harnessWorkflow quality loop (real children, real Gate 4 and verdict, scripted smoke)', () => {
  it('smoke fails with a page error → WU-01 fixer gets it verbatim → smoke passes → EVAL passes → shipped; UI generators run in the browser image', async () => {
    const { runId, repo, handle } = await start({ smoke: [false, true], fixers: [['WU-01', 2]] });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.quality?.outcome).toBe('passed');
    expect(view.quality?.smoke.map((s) => [s.round, s.passed])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(view.quality?.fixes.map((f) => [f.unit, f.round, f.cause, f.landed])).toEqual([['WU-01', 2, 'smoke', true]]);
    const fix = prompt(fixerChildId(runId, 'WU-01', 2), 'fix');
    expect(fix.split('\n')[0]).toBe('dkmv-harness role=fixer unit=WU-01 round=2');
    expect(fix).toContain(`page error: ${BOOM}`);
    expect(git(repo, 'show', 'feat/tiny:public/app.js')).toContain('main(root) {\n  // fixed\n');
    // a plan with a UI: generators run in the browser image, and their prompt says how to run and look
    const gen = generatorChildId(runId, 'WU-02', 1, 1);
    const sandbox = childRuns.get(gen)!.callsOf('createSandbox')[0]!.args[0] as { image: string };
    expect(sandbox.image).toBe('dkmv-browser:latest');
    const build = prompt(gen, 'build');
    expect(build).toContain(`\`${plan.app.install}\``);
    expect(build).toContain('it must listen on\n   `127.0.0.1:$PORT`');
    expect(build).toContain('Headless Chromium is at `/usr/bin/chromium`');
    // no evaluator ran on the round whose smoke test failed
    expect(await exists(evaluatorChildId(runId, 'r1-b1', 1))).toBe(false);
    expect(view.quality?.evals.map((e) => [e.batchId, e.verdict, `${e.passed}/${e.total}`])).toEqual([
      ['r2-b1', 'PASS', '15/15'],
      ['r2-int', 'PASS', '4/4'],
    ]);
    const report = git(repo, 'show', 'feat/tiny:docs/harness/report.md');
    expect(report).toContain('## Evaluation results');
    expect(report).toContain('- Pass rate: 19/19 (100%)');
    expect(report).toContain('- Smoke test: passed (screenshot `smoke/r2.png`)');
    // a local remote is not GitHub: no PR, no compare URL, the report is the record
    expect(view.quality?.pullRequest).toBeNull();
    expect(prCalls.get(repo)).toBe(1);
    await saveHistory('harness-smoke-fixed', handle);
  });

  it('CHECK fails with a failing test in public/app.js → WU-01 fixer gets the output verbatim → CHECK passes → SMOKE, EVAL → shipped', async () => {
    const { runId, repo, handle } = await start({ check: [false, true], fixers: [['WU-01', 2]] });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.quality?.outcome).toBe('passed');
    const calls = checkCalls.get(runId)!;
    expect(calls.map((c) => c.round)).toEqual([1, 2]);
    expect(calls[0]!.commands).toEqual(plan.check!.commands);
    expect(calls[0]!.install).toBe(plan.app.install);
    expect(view.quality?.checks?.map((c) => [c.round, c.passed, c.summary])).toEqual([
      [1, false, expect.stringContaining('exited 1')],
      [2, true, null],
    ]);
    // no smoke test on the round whose check failed; the fixer is the owner of public/app.js
    expect(smokeCalls.get(runId)).toEqual([2]);
    expect(view.quality?.fixes.map((f) => [f.unit, f.round, f.cause, f.landed])).toEqual([['WU-01', 2, 'check', true]]);
    const fix = prompt(fixerChildId(runId, 'WU-01', 2), 'fix');
    expect(fix.split('\n')[0]).toBe('dkmv-harness role=fixer unit=WU-01 round=2');
    expect(fix).toContain('- Check: `' + plan.check!.commands[0] + '` exited 1');
    expect(fix).toContain('    not ok 1 - main mounts the widgets');
    expect(fix).toContain('/home/dkmv/workspace/public/app.js:4:8');
    // generators were told to run the same check before they finish
    expect(prompt(`${runId}/gen/WU-02/r1a1`, 'build')).toContain(plan.check!.commands[0]);
    const report = git(repo, 'show', 'feat/tiny:docs/harness/report.md');
    expect(report).toContain('- Check: round 1 failed');
    expect(report).toContain('- Check: round 2 passed');
    await saveHistory('harness-check-fixed', handle);
  });

  it('CHECK still failing after 3 rounds → unverified, no smoke test, no pull request', async () => {
    const { runId, repo, handle } = await start({
      check: [false, false, false],
      fixers: [
        ['WU-01', 2],
        ['WU-01', 3],
      ],
    });
    const view = await handle.result();
    expect(view.status).toBe('unverified');
    expect(checkCalls.get(runId)!.map((c) => c.round)).toEqual([1, 2, 3]);
    expect(smokeCalls.has(runId)).toBe(false);
    expect(prCalls.has(repo)).toBe(false);
    expect(git(repo, 'show', 'feat/tiny:docs/harness/report.md')).toContain('still fails its check after 3 round(s)');
  });

  it('REVIEW: WU-02 scores 3 → its findings go verbatim to a review-fix attempt → 5 → landed; WU-03 stays at 3 → lands after 2 review-fix rounds with the review attached', async () => {
    const { runId, repo, handle } = await start({
      review: { 'WU-02/a1': 3, 'WU-03/a1': 3, 'WU-03/a2': 3, 'WU-03/a3': 2 },
    });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    const unit = (id: string) => view.units.find((u) => u.id === id)!;
    expect(unit('WU-01').reviews?.map((r) => [r.attempt, r.score, r.passed])).toEqual([[1, 5, true]]);
    expect(unit('WU-02').reviews?.map((r) => [r.attempt, r.score, r.passed, r.fixRequested])).toEqual([
      [1, 3, false, true],
      [2, 5, true, false],
    ]);
    // the finding without a line was rejected by the gate, not passed on
    expect(unit('WU-02').reviews![0]!.findings).toBe(1);
    expect(unit('WU-02').reviews![0]!.problems).toEqual([expect.stringContaining('findings[1] was rejected')]);
    expect(unit('WU-02').status).toBe('landed');
    expect(unit('WU-02').attempts.map((a) => [a.attempt, a.reviewFix ?? false])).toEqual([
      [1, false],
      [2, true],
    ]);
    const fix = prompt(generatorChildId(runId, 'WU-02', 1, 2), 'build');
    expect(fix.split('\n')[0]).toBe('dkmv-harness role=generator unit=WU-02 round=1 attempt=2');
    expect(fix).toContain(
      'A code review of your unit scored 3/5 (correctness 5, contracts 5, tests 3, readability 5); the minimum is 4.',
    );
    expect(fix).toContain(
      '- [major] public/widgets.js:7 — the click handler is never bound\n  Fix: bind it in createCounter',
    );
    expect(fix).toContain("Reviewer's summary: The counter does not count.");
    const reviewer = prompt(reviewerChildId(runId, 'WU-02', 1, 1), 'review');
    expect(reviewer.split('\n')[0]).toBe('dkmv-harness role=reviewer unit=WU-02 round=1 attempt=1');
    expect(reviewer).toMatch(/`git diff [0-9a-f]{40} HEAD`/);
    // the fix landed on top of the reviewed work
    expect(git(repo, 'show', 'feat/tiny:public/widgets.js')).toContain('createCounter() {\n  // fixed\n');
    // WU-03: 3 → 3 → 2, two review-fix rounds, then it lands with the review attached
    expect(unit('WU-03').reviews?.map((r) => [r.attempt, r.score, r.fixRequested])).toEqual([
      [1, 3, true],
      [2, 3, true],
      [3, 2, false],
    ]);
    expect(unit('WU-03').status).toBe('landed');
    expect(await exists(generatorChildId(runId, 'WU-03', 1, 4))).toBe(false);
    const report = git(repo, 'show', 'feat/tiny:docs/harness/report.md');
    expect(report).toContain('- Review WU-02: 3/5 → 5/5 after 1 review-fix round(s)');
    expect(report).toContain(
      '- Review WU-03: 3/5 → 3/5 → 2/5 after 2 review-fix round(s); landed below the minimum score 4 with the review attached (`review/WU-03-r1a3.json`)',
    );
    expect(readFileSync(path.join(root, 'runs', runId, 'review', 'WU-03-r1a3.json'), 'utf8')).toContain('"score": 2');
    await saveHistory('harness-review-fixed', handle);
  });

  it('--no-review: no reviewer child runs and each unit lands after its one generator attempt', async () => {
    const { runId, handle } = await start({});
    const view = await handle.result();
    expect(view.status).toBe('completed');
    for (const u of view.units) {
      expect(u.reviews).toBeUndefined();
      expect(u.attempts).toHaveLength(1);
      expect(await exists(reviewerChildId(runId, u.id, 1, 1))).toBe(false);
    }
  });

  it('a fix whose commit also changed the lockfile and node_modules lands; the lockfile is regenerated at integration, node_modules never lands', async () => {
    // What a real fixer does: `npm install` (lockfile, node_modules), a header comment, the fix.
    const fixEdits = {
      'WU-01': {
        ...FIXES['WU-01'],
        'package-lock.json': '{"name":"tiny","lockfileVersion":3,"fixer":"stale"}\n',
        'node_modules/left-pad/index.js': 'module.exports = 1;\n',
        'public/app.js': (old: string | undefined) =>
          `// Entry point: wires the widgets.\n${(inside('export function main(root)') as (o?: string) => string)(old)}`,
      },
    };
    const { repo, handle } = await start({ smoke: [false, true], fixers: [['WU-01', 2]], fixEdits });
    const view = await handle.result();
    expect(view.quality?.fixes.map((f) => [f.unit, f.landed, f.detail])).toEqual([['WU-01', true, undefined]]);
    expect(view.quality?.outcome).toBe('passed');
    const app = git(repo, 'show', 'feat/tiny:public/app.js');
    expect(app).toContain('main(root) {\n  // fixed\n');
    expect(app.startsWith('// Entry point')).toBe(true);
    const files = git(repo, 'ls-tree', '-r', '--name-only', 'feat/tiny').split('\n');
    expect(files.filter((f) => f.startsWith('node_modules/'))).toEqual([]);
    // the fixer's lockfile did not land: the shipped one is regenerated from the merged package.json
    const manifest = JSON.parse(git(repo, 'show', 'feat/tiny:package.json')) as object;
    expect(git(repo, 'show', 'feat/tiny:package-lock.json')).toBe(derivedLockfile(manifest));
    expect(view.lockfiles?.files).toEqual(['package-lock.json']);
    const report = git(repo, 'show', 'feat/tiny:docs/harness/report.md');
    expect(report).toContain(
      `- Regenerated from the merged manifests and committed: \`package-lock.json\` (${view.lockfiles!.commit!.slice(0, 10)})`,
    );
  });

  it('EVAL fails one criterion of WU-02 → only WU-02 is re-dispatched with the evidence → round 2 passes', async () => {
    const { runId, repo, handle } = await start({
      evals: { 1: { b1: { scores: { 'WU-02-C2': 3 } } } },
      fixers: [['WU-02', 2]],
    });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.quality?.outcome).toBe('passed');
    expect(view.quality?.evals.map((e) => [e.batchId, e.verdict])).toEqual([
      ['r1-b1', 'RETRY'],
      ['r1-int', 'PASS'],
      ['r2-b1', 'PASS'],
      ['r2-int', 'PASS'],
    ]);
    expect(view.quality?.fixes.map((f) => [f.unit, f.cause, f.landed, f.detail])).toEqual([
      ['WU-02', 'eval', true, undefined],
    ]);
    for (const other of ['WU-01', 'WU-03', 'integration'])
      expect(await exists(fixerChildId(runId, other, 2))).toBe(false);
    const fix = prompt(fixerChildId(runId, 'WU-02', 2), 'fix');
    expect(fix).toContain('WU-02-C2 (score 3)');
    expect(fix).toContain(
      'Evidence: Checked WU-02-C2 in Chromium at 1440x900: clicking does nothing, the count stays 0 (s1)',
    );
    expect(fix).toContain(`Fix hint: ${HINTS['WU-02']}`);
    expect(git(repo, 'show', 'feat/tiny:public/widgets.js')).toContain('createCounter() {\n  // fixed\n');
    expect(view.quality?.smoke.map((s) => s.round)).toEqual([1, 2]); // LAND → SMOKE → EVAL again
    // round 2's evaluators re-check round 1's reports of the same units (staged as a file)
    for (const [now, before] of [
      ['r2-b1', 'r1-b1'],
      ['r2-int', 'r1-int'],
    ] as const) {
      expect(git(repo, 'show', `feat/tiny--eval-${now}-a1:.agent/previous_eval_report.json`)).toBe(
        git(repo, 'show', `feat/tiny--eval-${before}-a1:.agent/eval_report.json`),
      );
      expect(prompt(evaluatorChildId(runId, now, 1), 'evaluate')).toContain(
        `\`.agent/previous_eval_report.json\` is the report of batch ${before} (round 1, the same units), written before the fixes since then landed`,
      );
    }
    await saveHistory('harness-eval-fixed', handle);
  });

  it('a lenient PASS with a score of 5 is turned into RETRY by the workflow', async () => {
    const { handle } = await start({
      evals: { 1: { b1: { verdict: 'PASS', scores: { 'WU-03-C2': 5 } } } },
      fixers: [['WU-03', 2]],
    });
    const view = await handle.result();
    expect(view.quality?.evals[0]).toMatchObject({ batchId: 'r1-b1', verdict: 'RETRY', passed: 14, total: 15 });
    expect(view.quality?.fixes.map((f) => f.unit)).toEqual(['WU-03']);
    expect(view.quality?.outcome).toBe('passed');
  });

  it('Gate 4 rejects a report without screenshots; the re-run gets the complaints and its report counts', async () => {
    const { runId, repo, handle } = await start({ evals: { 1: { int: { noScreenshots: true } } } });
    const view = await handle.result();
    expect(view.quality?.evals.find((e) => e.batchId === 'r1-int')).toMatchObject({ attempts: 2, gate: 'valid' });
    expect(view.quality?.evals.find((e) => e.batchId === 'r1-b1')).toMatchObject({ attempts: 1, gate: 'valid' });
    const rerun = prompt(evaluatorChildId(runId, 'r1-int', 2), 'evaluate');
    expect(rerun).toContain('was rejected by the harness (Gate 4)');
    expect(rerun).toContain('no screenshots: save at least one under .agent/eval/');
    // the re-run finds its rejected report as a file, and its prompt says what the file is
    const branch = (batch: string, attempt: number) => `feat/tiny--eval-${batch}-a${attempt}`;
    expect(git(repo, 'show', `${branch('r1-int', 2)}:.agent/previous_eval_report.json`)).toBe(
      git(repo, 'show', `${branch('r1-int', 1)}:.agent/eval_report.json`),
    );
    expect(rerun).toContain(
      '`.agent/previous_eval_report.json` is your own report from attempt 1 of this batch, which the harness (Gate 4) sent back',
    );
    expect(rerun).toContain('never copy a score');
    // a first evaluation has no previous report
    expect(prompt(evaluatorChildId(runId, 'r1-int', 1), 'evaluate')).not.toContain('previous_eval_report');
    expect(git(repo, 'ls-tree', '-r', '--name-only', branch('r1-b1', 1))).not.toContain('previous_eval_report');
    expect(view.quality?.outcome).toBe('passed');
    await saveHistory('harness-gate4-rerun', handle);
  });

  it('REPLAN once (plan again, round restarts), a second REPLAN is a RETRY; 3 failing rounds ship with issues', async () => {
    const failing: Scores = {
      verdict: 'REPLAN',
      rationale: 'The counter and todo share one list model',
      scores: { 'WU-02-C2': 3 },
    };
    const { runId, repo, handle } = await start({
      evals: { 1: { b1: failing }, 2: { b1: failing }, 3: { b1: failing }, 4: { b1: failing } },
      replan: { plannerAttempt: 2, round: 2 },
      fixers: [
        ['WU-02', 3],
        ['WU-02', 4],
      ],
    });
    const view = await handle.result();
    expect(view.status).toBe('completed');
    expect(view.quality?.replanCount).toBe(1);
    expect(view.planAttempts.map((a) => [a.attempt, a.accepted])).toEqual([
      [1, true],
      [2, true],
    ]);
    const replanPrompt = prompt(`${runId}/plan/a2`, 'plan');
    expect(replanPrompt).toContain('The evaluators asked for a new plan (REPLAN)');
    expect(replanPrompt).toContain('The counter and todo share one list model');
    // serial rounds: 1 (REPLAN) → 2 (round 1 of the new plan, REPLAN again = RETRY) → 3 → 4 (round 3) → ship
    expect(view.quality?.fixes.map((f) => [f.unit, f.round])).toEqual([
      ['WU-02', 3],
      ['WU-02', 4],
    ]);
    expect(view.quality?.outcome).toBe('with_issues');
    expect(view.round).toBe(3);
    const report = git(repo, 'show', 'feat/tiny:docs/harness/report.md');
    expect(report).toContain('- Outcome: shipped with remaining issues');
    expect(report).toContain('Shipped without a pass: no pass after 3 rounds.');
    expect(report).toMatch(/\*\*WU-02-C2\*\* \(WU-02\), score 3/);
    await saveHistory('harness-replan-ship-with-issues', handle);
  });

  it('smoke still failing after 3 rounds → unverified: branch kept, no evaluator, no pull request', async () => {
    const { runId, repo, handle } = await start({
      smoke: [false, false, false],
      fixers: [
        ['WU-01', 2],
        ['WU-01', 3],
      ],
    });
    const view = await handle.result();
    expect(view.status).toBe('unverified');
    expect(view.quality?.outcome).toBe('unverified');
    expect(smokeCalls.get(runId)).toEqual([1, 2, 3]);
    expect(view.quality?.evals).toEqual([]);
    expect(view.quality?.pullRequest).toBeUndefined();
    expect(prCalls.has(repo)).toBe(false);
    const report = git(repo, 'show', 'feat/tiny:docs/harness/report.md');
    expect(report).toContain('still fails its smoke test after 3 round(s)');
    expect(report).toContain('no pull request was opened');
    await saveHistory('harness-smoke-unverified', handle);
  });

  it('SHIP on a GitHub remote opens the PR through the API with the evaluation; the token stays out of history and run folder', async () => {
    const { runId, handle } = await start({}, { github: true });
    const view = await handle.result();
    expect(view.quality?.outcome).toBe('passed');
    expect(view.quality?.pullRequest).toEqual({ url: 'https://github.com/acme/tiny/pull/7', number: 7 });
    const pr = apiRequests.find((r) => r.url === `/repos/acme/tiny-${runId.slice(-8)}/pulls`);
    expect(pr).toMatchObject({ method: 'POST', auth: `Bearer ${TOKEN}` });
    expect(pr!.body).toMatchObject({ head: 'feat/tiny', base: 'main' });
    expect(pr!.body.body).toContain('## Evaluation results');
    expect(pr!.body.body).toContain('- Pass rate: 19/19 (100%)');
    expect(pr!.body.body).toContain('### Per-unit scores');
    // the marker reached the API only: not the history, the run folder, the PR body
    expect(JSON.stringify(await handle.fetchHistory())).not.toContain(TOKEN);
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : [path.join(dir, f)],
      );
    const runFiles = files(path.join(root, 'runs', runId));
    expect(runFiles.length).toBeGreaterThan(3);
    for (const f of runFiles) expect(readFileSync(f).toString('latin1')).not.toContain(TOKEN);
    expect(JSON.stringify(pr!.body)).not.toContain(TOKEN);
  });
});
