// Honest outcomes end to end: `dkmv test harness` (the real CLI in a child process, a real worker,
// real sandbox containers, the real Claude Code CLI against the mock model, real Chromium) builds
// the tiny-app fixture; its unit evaluator scores one criterion 3, and with one round allowed the
// build ships with remaining issues. The CLI exits 4, and `dkmv show` says so, with each child's
// real status and cost (the evaluators' costs are what their own runs report). With two rounds, the
// same build is fixed: the WU-02 fixer's commit also changes package-lock.json (its `npm install`)
// and the fix lands; the shipped lockfile is the one regenerated from the merged manifest (`npm ci`
// passes on a clone); round 2's evaluators get round 1's reports as `.agent/previous_eval_report.json`;
// r2-int's first evaluator fails (`dkmv show`: failed, with its cost) and its re-run reports. Its
// planner's first plan is rejected and the re-run gets it as `.agent/previous_plan.json`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { FIXTURE_SCRIPT } from '../../cli/commands/harness-test.js';
import { childRunId, evaluatorBranch, evaluatorChildId } from '../../core/harness/ids.js';
import type { HarnessView } from '../../core/harness/types.js';
import { tempDir } from '../support/e2e.js';
import { runDkmv } from '../support/dkmv-cli.js';
import { startTestWorker, type RunningWorker } from '../support/temporal.js';

let worker: RunningWorker;
let outputDir: string;
let root: string;

beforeAll(async () => {
  worker = await startTestWorker();
  root = tempDir('harness-outcomes');
  outputDir = path.join(root, 'out'); // run folders in its runs/
});
afterAll(async () => {
  await worker?.stop();
});

/** The compiled CLI against this file's worker and run folder. */
const dkmv = (args: string[]) => runDkmv(args, { taskQueue: worker.target.taskQueue, outputDir, timeoutMs: 540_000 });

interface Criterion {
  criterion_id: string;
  score: number;
  passed: boolean;
  evidence: string;
  fix_hint: string | null;
}

interface Script {
  sessions: { match: string; usage?: { input_tokens: number; output_tokens: number }; turns: unknown[] }[];
}

const shipped = (): Script => parse(readFileSync(FIXTURE_SCRIPT, 'utf8')) as Script;

function writeScript(script: Script, name: string): string {
  const file = path.join(root, name);
  writeFileSync(file, stringify(script));
  return file;
}

/** The shipped script, with the unit evaluator scoring WU-02-C2 at 3 (a dead button, with a fix hint). */
function failingScript(): Script {
  const script = shipped();
  const session = script.sessions.find((s) => s.match.includes('batch=r1-b1'))!;
  const turn = session.turns.find(
    (t) => (t as { write?: { path: string } }).write?.path === '.agent/eval_report.json',
  ) as { write: { content: string } };
  const report = JSON.parse(turn.write.content) as { verdict: string; criteria: Criterion[] };
  const c = report.criteria.find((x) => x.criterion_id === 'WU-02-C2')!;
  Object.assign(c, {
    score: 3,
    passed: false,
    evidence: 'Clicked #inc three times in Chromium at 1440x900: the count stayed at 1 after the first click (s2)',
    fix_hint: 'public/widgets.js:createCounter — read the count from the element on every click',
  });
  report.verdict = 'RETRY';
  turn.write.content = JSON.stringify(report, null, 2);
  return script;
}

/** A round-1 evaluator session of the shipped script, as the same batch's session in round 2. */
function inRound2(session: Script['sessions'][number]): Script['sessions'][number] {
  const text = JSON.stringify(session)
    .replace(/r1-(b1|int)/g, 'r2-$1')
    .replace(/round=1/g, 'round=2')
    .replace(/\\"round\\": 1,/g, '\\"round\\": 2,');
  const out = JSON.parse(text) as Script['sessions'][number];
  // a real model reads the previous report it was given before it re-tests
  out.turns.unshift({ bash: 'head -c 400 .agent/previous_eval_report.json' });
  return out;
}

type Session = Script['sessions'][number];
type PlanWrite = { write?: { path: string; content: string } };

/**
 * The planner's first plan gives WU-03 only 4 criteria (Gate 1 rejects it); its re-run checks the
 * previous plan and its new one with the staged Gate 1 script before it finishes.
 */
function plannerSessions(shippedPlanner: Session): Session[] {
  const write = (shippedPlanner.turns as PlanWrite[]).find((t) => t.write?.path === '.agent/plan.json')!.write!;
  const bad = JSON.parse(write.content) as { units: { criteria: unknown[] }[] };
  bad.units[2]!.criteria = bad.units[2]!.criteria.slice(0, 4);
  const first = { ...shippedPlanner, turns: [{ write: { path: '.agent/plan.json', content: JSON.stringify(bad) } }] };
  const again: Session = {
    match: 'dkmv-harness role=planner attempt=2',
    turns: [
      { bash: 'node .agent/check-plan.mjs .agent/previous_plan.json || echo "previous plan: rejected"' },
      { write },
      { bash: 'node .agent/check-plan.mjs && echo "gate1 self-check: passed"' },
      { text: 'Plan fixed: WU-03 has 5 criteria.' },
    ],
  };
  return [first, again];
}

/** r2-int: the first evaluator ends without a report (a failed child that spent money); the re-run reports. */
function integrationRound2(shippedInt: Session): Session[] {
  const rerun = inRound2(shippedInt);
  rerun.match = 'dkmv-harness role=evaluator batch=r2-int round=2[\\s\\S]*previous report was rejected';
  const failing: Session = {
    match: 'dkmv-harness role=evaluator batch=r2-int round=2',
    usage: { input_tokens: 7000, output_tokens: 1200 },
    turns: [{ bash: 'head -c 200 .agent/previous_eval_report.json' }, { text: 'Out of time before the report.' }],
  };
  return [rerun, failing];
}

const FIXER_WU02: Session = {
  match: 'dkmv-harness role=fixer unit=WU-02 round=2',
  turns: [
    { bash: 'npm install --no-audit --no-fund && test -f package-lock.json && git status --short' },
    {
      bash: "sed -i 's|^export function createCounter() {$|&\\n  // Fixed: the count is read from the element on every click.|' public/widgets.js",
    },
    {
      write: {
        path: '.agent/fixer_report.json',
        content: JSON.stringify({
          unit_id: 'WU-02',
          round: 2,
          fixed: [{ id: 'WU-02-C2', change: 'public/widgets.js:createCounter' }],
          not_fixed: [],
          notes: 'npm install, then the fix',
        }),
      },
    },
    { text: 'Fixed WU-02-C2.' },
  ],
};

/**
 * Round 1 fails WU-02-C2; round 2's WU-02 fixer does what a real one does — `npm install` (a
 * package-lock.json in its commit) and the fix inside createCounter — and round 2's evaluators pass
 * (r2-int on its Gate 4 re-run, after a first evaluator that failed). Before that, the planner's
 * first plan is rejected by Gate 1, and WU-02's generator looks for the browser it was promised.
 */
function fixedInRound2Script(): string {
  const script = failingScript();
  const original = shipped().sessions;
  const find = (needle: string) => original.find((s) => s.match.includes(needle))!;
  script.sessions = script.sessions.filter((s) => !s.match.includes('role=planner'));
  script.sessions.unshift(...plannerSessions(find('role=planner attempt=1')));
  script.sessions
    .find((s) => s.match.includes('unit=WU-02 round=1 attempt=1'))!
    .turns.unshift({ bash: 'test -x /usr/bin/chromium && echo "chromium: yes" || echo "chromium: no"' });
  script.sessions.push(inRound2(find('batch=r1-b1')), ...integrationRound2(find('batch=r1-int')), FIXER_WU02);
  return writeScript(script, 'fixed-tiny-app.yaml');
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

describe('harness outcomes (real CLI, worker, containers, Claude Code, Chromium)', () => {
  it('a build shipped with remaining issues exits 4; dkmv show says so with every child’s real status and cost', async () => {
    const r = await dkmv([
      'test',
      'harness',
      '--script',
      writeScript(failingScript(), 'failing-tiny-app.yaml'),
      '--max-rounds',
      '1',
    ]);
    if (r.code !== 4) console.error(r.out);
    expect(r.code).toBe(4);
    expect(r.out).toContain('outcome: shipped with remaining issues (exit 4)');
    expect(r.out).toMatch(/eval round 1: r1-b1 \(WU-01, WU-02, WU-03\) {2}RETRY {2}14\/15/);
    expect(r.out).not.toMatch(/matched no session/);
    const runId = /run {5}(\S+)/.exec(r.out)![1]!;
    const [, repo, branch] = /repo {4}(\S+) {2}branch (\S+)/.exec(r.out)!;

    // dkmv show (text): the outcome, the evaluator rows as their runs ended
    const text = await dkmv(['show', runId]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('outcome shipped with remaining issues');
    const b1 = evaluatorChildId(runId, 'r1-b1', 1);
    expect(text.out).toMatch(
      new RegExp(`${b1}[\\s│]+evaluator r1-b1 \\(WU-01, WU-02, WU-03\\)[\\s│]+completed[\\s│]+\\$0\\.\\d{4}`),
    );

    // dkmv show --json: each evaluator's status and cost are its own run's
    const shown = JSON.parse((await dkmv(['show', runId, '--json'])).stdout) as {
      harness: {
        outcome: string;
        children: { workflow_id: string; role: string; status: string; cost_usd: number }[];
      };
      cost_usd?: number;
    };
    expect(shown.harness.outcome).toBe('with_issues');
    const evaluators = shown.harness.children.filter((c) => c.role === 'evaluator');
    expect(evaluators.map((c) => c.workflow_id)).toEqual([b1, evaluatorChildId(runId, 'r1-int', 1)]);
    for (const e of evaluators) {
      const own = JSON.parse((await dkmv(['show', e.workflow_id, '--json'])).stdout) as {
        status: string;
        cost_usd: number;
      };
      expect(e.status).toBe(own.status);
      expect(e.cost_usd).toBeGreaterThan(0);
      expect(e.cost_usd).toBeCloseTo(own.cost_usd, 4);
    }

    // the report on the branch: the outcome, the remaining issue, every child's cost summing to the total
    const report = git(repo!, 'show', `${branch}:docs/harness/report.md`);
    expect(report).toContain('- Outcome: shipped with remaining issues');
    expect(report).toMatch(/\*\*WU-02-C2\*\* \(WU-02\), score 3/);
    const costs = [...report.matchAll(/^\| `[^`]+` \| \w+ \| [^|]* \| \w+ \| \$(\d+\.\d{4}) \|$/gm)].map((m) =>
      Number(m[1]),
    );
    expect(costs).toHaveLength(shown.harness.children.length);
    const total = Number(/^\| \*\*total\*\* \|.*\| \$(\d+\.\d{4})/m.exec(report)![1]);
    expect(total).toBeGreaterThan(0);
    expect(costs.reduce((s, c) => s + c, 0)).toBeCloseTo(total, 3);
  });
  it('a fix whose commit also changed package-lock.json lands; the shipped lockfile is regenerated (npm ci passes); re-runs get their previous plan and report; a failed evaluator shows failed with its cost', async () => {
    const r = await dkmv(['test', 'harness', '--script', fixedInRound2Script(), '--max-rounds', '2']);
    if (r.code !== 0) console.error(r.out);
    expect(r.out).not.toMatch(/matched no session/);
    expect(r.code).toBe(0);
    const runId = /run {5}(\S+)/.exec(r.out)![1]!;
    const [, repo, branch] = /repo {4}(\S+) {2}branch (\S+)/.exec(r.out)!;
    const view = JSON.parse(readFileSync(path.join(outputDir, 'runs', runId, 'harness.json'), 'utf8')) as HarnessView;
    expect(view.quality?.outcome).toBe('passed');

    // the fixer's commit carried a lockfile (its `npm install`), and the fix landed all the same
    const fix = view.quality!.fixes.find((f) => f.unit === 'WU-02')!;
    expect(fix).toMatchObject({ round: 2, landed: true });
    expect(git(repo!, 'ls-tree', '-r', '--name-only', fix.branch)).toContain('package-lock.json');
    expect(git(repo!, 'show', `${branch}:public/widgets.js`)).toContain(
      'export function createCounter() {\n  // Fixed: the count is read from the element on every click.',
    );

    // the shipped lockfile is the one the integration step regenerated from the merged manifest
    expect(view.lockfiles).toMatchObject({ files: ['package-lock.json'] });
    expect(git(repo!, 'log', '-1', '--format=%s', view.lockfiles!.commit!).trim()).toBe(
      'dkmv harness: regenerate package-lock.json from the merged manifests',
    );
    const checkout = path.join(root, 'shipped');
    execFileSync('git', ['clone', '-q', '-b', branch!, repo!, checkout]);
    const lock = JSON.parse(readFileSync(path.join(checkout, 'package-lock.json'), 'utf8')) as { name: string };
    expect(lock.name).toBe('tiny-app');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: checkout, stdio: 'pipe' });
    expect(git(repo!, 'show', `${branch}:docs/harness/report.md`)).toContain(
      '- Regenerated from the merged manifests and committed: `package-lock.json`',
    );

    // the planner's re-run found its rejected plan and checked its new one with the staged Gate 1
    expect(view.planAttempts.map((a) => a.accepted)).toEqual([false, true]);
    expect(git(repo!, 'show', `${branch}--plan-a2:.agent/previous_plan.json`)).toBe(
      git(repo!, 'show', `${branch}--plan-a1:.agent/plan.json`),
    );
    const childDir = (id: string) => path.join(outputDir, 'runs', runId, 'children', childRunId(id));
    const planner2 = readFileSync(path.join(childDir(`${runId}/plan/a2`), 'stream.jsonl'), 'utf8');
    expect(planner2).toContain('G1.3: unit WU-03 has 4 acceptance criteria; it needs at least 5');
    expect(planner2).toContain('gate1 self-check: passed');

    // a UI plan's generator runs where the browser is, and is told how to start and check the app
    const gen = childDir(`${runId}/gen/WU-02/r1a1`);
    expect(readFileSync(path.join(gen, 'stream.jsonl'), 'utf8')).toContain('chromium: yes');
    expect(readFileSync(path.join(gen, 'prompt_build.md'), 'utf8')).toContain('`127.0.0.1:$PORT`');

    // the r2-int evaluator that failed: `dkmv show` has it as failed, with what it spent
    const failedEval = evaluatorChildId(runId, 'r2-int', 1);
    const text = await dkmv(['show', runId]);
    expect(text.out).toMatch(
      new RegExp(`${failedEval}[\\s│]+evaluator r2-int \\(integration\\)[\\s│]+failed[\\s│]+\\$0\\.\\d{4}`),
    );
    const shown = JSON.parse((await dkmv(['show', runId, '--json'])).stdout) as {
      harness: { children: { workflow_id: string; status: string; cost_usd: number }[] };
    };
    const row = shown.harness.children.find((c) => c.workflow_id === failedEval)!;
    const own = JSON.parse((await dkmv(['show', failedEval, '--json'])).stdout) as { status: string; cost_usd: number };
    expect(row.status).toBe('failed');
    expect(own.status).toBe('failed');
    expect(row.cost_usd).toBeGreaterThan(0);
    expect(row.cost_usd).toBeCloseTo(own.cost_usd, 4);

    // round 2's evaluators found round 1's report of their batch as a file, and were told what it is
    for (const [now, before] of [
      ['r2-b1', 'r1-b1'],
      ['r2-int', 'r1-int'],
    ] as const) {
      expect(git(repo!, 'show', `${evaluatorBranch(branch!, now, 1)}:.agent/previous_eval_report.json`)).toBe(
        git(repo!, 'show', `${evaluatorBranch(branch!, before, 1)}:.agent/eval_report.json`),
      );
      expect(
        readFileSync(path.join(childDir(evaluatorChildId(runId, now, 1)), 'prompt_evaluate.md'), 'utf8'),
      ).toContain(`\`.agent/previous_eval_report.json\` is the report of batch ${before} (round 1, the same units)`);
    }
  });
});
