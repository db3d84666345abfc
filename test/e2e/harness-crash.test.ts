// Crash: one harness build with a fix round, its worker SIGKILLed in every phase (GENERATE with the 3
// generator children mid-turn, SMOKE with its container up, EVAL and FIX with their agents mid-turn,
// SHIP mid-commit), a new worker started each time: the build completes, every unit lands once, no
// agent is started twice (the mock's first-turn requests per session), no container or landing clone
// is left. The build is the tiny-app fixed in round 2 (tiny-app-scripts.ts), and what that build
// must show whatever the kills follows: the lockfile-carrying fix lands and the shipped lockfile is
// regenerated (`npm ci` passes), re-runs get their previous plan and report, the failed evaluator
// shows failed with its cost in `dkmv show`. (Until 2026-12-08 the GENERATE kill and that build were
// builds of their own, the latter in harness-outcomes.test.ts: two builds fewer, every assertion kept.)
// Real worker processes, containers, Claude Code, Chromium and git.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runChildren } from '../../core/harness/run-children.js';
import { makeThrowawayRepo } from '../../cli/test-run/repo.js';
import { FIXTURE_PROMPT, FIXTURE_SEED } from '../../cli/commands/harness-test.js';
import type { HarnessInput } from '../../core/harness/types.js';
import { DKMV_HOME } from '../../core/project.js';
import { DEFAULT_BROWSER_IMAGE } from '../../core/sandbox/browser-image-name.js';
import { harnessWorkflow } from '../../workflows/index.js';
import { landingRepoDir } from '../../activities/harness/landing-repo.js';
import { childRunId, evaluatorBranch, evaluatorChildId, fixerChildId } from '../../core/harness/ids.js';
import { startMock, tempDir } from '../support/e2e.js';
import { runDkmv } from '../support/dkmv-cli.js';
import { testClient } from '../support/temporal.js';
import { agentStarts, sawTurn, spawnWorker, stopWorkers, waitForFile, waitUntil } from '../crash/support.js';
import { fixedInRound2Script, writeScript, type Script } from './tiny-app-scripts.js';

let client: Client;
let closeClient: () => Promise<void>;
let root: string;

beforeAll(async () => {
  ({ client, close: closeClient } = await testClient());
  root = tempDir('harness-crash');
});
afterAll(async () => {
  await closeClient?.();
});

/** The fixture build's input, with a short heartbeat timeout so a dead worker is noticed in seconds. */
function harnessInput(runId: string, repo: string, branch: string, modelUrl: string, dir: string): HarnessInput {
  return {
    runId,
    prompt: FIXTURE_PROMPT,
    repo,
    branch,
    image: process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest',
    memory: '2g',
    modelUrl,
    runDir: path.join(dir, 'runs', runId),
    projectRoot: dir,
    maxParallel: 5,
    reviewPlan: false,
    roles: { planner: {}, generator: {} },
    layers: {
      config: {},
      default: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 20, timeout_minutes: 10 },
    },
    roleDirs: {
      planner: path.join(DKMV_HOME, 'components/harness/planner'),
      generator: path.join(DKMV_HOME, 'components/harness/generator'),
    },
    heartbeatTimeoutSeconds: 5,
  };
}

/** Containers of a run and its children and smoke tests (all named dkmv-<run id>…). */
function containerNames(runId: string): string[] {
  return execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8' })
    .split('\n')
    .filter((n) => n.startsWith(`dkmv-${runId}`));
}

/**
 * The tiny-app build fixed in round 2 (tiny-app-scripts.ts: a rejected first plan, a WU-02 fixer
 * whose commit carries a lockfile, an r2-int evaluator that ends without a report, then its re-run),
 * with slow generator, evaluator and fixer turns, so a worker can die while they run.
 */
function phasesScript(dir: string): {
  file: string;
  sessions: Script['sessions'];
  planners: number[];
  generators: number[];
  eval1: number[];
  fixer: number;
} {
  const script = fixedInRound2Script();
  for (const s of script.sessions) if (/role=(generator|evaluator|fixer)/.test(s.match)) s.delay_ms = 2500;
  const indexes = (needle: RegExp) => script.sessions.flatMap((s, i) => (needle.test(s.match) ? [i] : []));
  return {
    file: writeScript(script, dir, 'fixed-tiny-app.yaml'),
    sessions: script.sessions,
    planners: indexes(/role=planner/),
    generators: indexes(/role=generator unit=WU-0\d round=1 attempt=1/),
    eval1: indexes(/batch=r1-(b1|int) round=1/),
    fixer: indexes(/role=fixer unit=WU-02 round=2/)[0]!,
  };
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

describe('harness durability', () => {
  it('survives a SIGKILLed worker during GENERATE, SMOKE, EVAL, a FIX round and SHIP: completes, no agent twice, nothing left', async () => {
    const dir = path.join(root, 'phases');
    mkdirSync(dir, { recursive: true });
    const phases = phasesScript(dir);
    const phaseMock = await startMock(phases.file, dir);
    const taskQueue = `harness-phases-${Date.now()}`;
    const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), DKMV_TASK_QUEUE: taskQueue };
    const hooked = (step: string) => ({ ...env, DKMV_TEST_HOOK_PAUSE_AT: step, DKMV_TEST_HOOK_DIR: dir });
    const log = path.join(dir, 'workers.log');
    const repo = makeThrowawayRepo(dir, FIXTURE_SEED);
    const runId = `${new Date().toISOString().slice(2, 10).replace(/-/g, '')}-0000-harness-phases-${Date.now().toString(16).slice(-4)}`;
    const branch = 'crash/phases';
    const input = harnessInput(runId, repo, branch, phaseMock.url, dir);
    const dkmv = (args: string[]) => runDkmv(args, { taskQueue, outputDir: dir, timeoutMs: 120_000 });
    input.quality = {
      browserImage: DEFAULT_BROWSER_IMAGE,
      roles: { evaluator: {}, fixer: {} },
      roleDirs: {
        evaluator: path.join(DKMV_HOME, 'components/harness/evaluator'),
        fixer: path.join(DKMV_HOME, 'components/harness/fixer'),
      },
      baseBranch: 'main',
      maxRounds: 2,
    };
    const workers: ChildProcess[] = [spawnWorker(env, log)];
    const killAndReplace = (next: Record<string, string>) => {
      workers[workers.length - 1]?.kill('SIGKILL');
      workers.push(spawnWorker(next, log));
    };
    const midTurn = (session: number) => sawTurn(phaseMock, session, 1);
    try {
      const handle = await client.workflow.start(harnessWorkflow, { workflowId: runId, taskQueue, args: [input] });
      // GENERATE: the 3 generators mid-turn (each asked for its second turn)
      await waitUntil('the 3 generators mid-turn', () => phases.generators.every(midTurn));
      killAndReplace(hooked('smoke.sandbox'));
      // SMOKE: the smoke test's container is up when the worker dies; the retry re-uses its name
      await waitForFile(path.join(dir, 'smoke.sandbox.reached'));
      expect(containerNames(runId)).toContain(`dkmv-${runId}-smoke-r1`);
      killAndReplace(env);
      // EVAL: both evaluators of round 1 mid-run
      await waitUntil('the round-1 evaluators mid-run', () => phases.eval1.every(midTurn));
      killAndReplace(env);
      // FIX: WU-02's fixer mid-turn
      await waitUntil('the fixer mid-turn', () => midTurn(phases.fixer));
      killAndReplace(hooked('commitToIntegration'));
      // SHIP: the report commit
      await waitForFile(path.join(dir, 'commitToIntegration.reached'));
      killAndReplace(env);

      const view = await handle.result();
      expect(view.status).toBe('completed');
      expect(view.quality?.outcome).toBe('passed');
      // every unit landed on its first attempt: the new worker re-attached to the running generators
      expect(view.units.map((u) => [u.id, u.status, u.attempts.length])).toEqual([
        ['WU-01', 'landed', 1],
        ['WU-02', 'landed', 1],
        ['WU-03', 'landed', 1],
      ]);
      expect(view.quality?.smoke.map((s) => [s.round, s.passed])).toEqual([
        [1, true],
        [2, true],
      ]);
      expect(view.quality?.fixes.map((f) => [f.childId, f.landed])).toEqual([[fixerChildId(runId, 'WU-02', 2), true]]);
      expect(view.quality?.evals.map((e) => [e.batchId, e.verdict, e.attempts])).toEqual([
        ['r1-b1', 'RETRY', 1],
        ['r1-int', 'PASS', 1],
        ['r2-b1', 'PASS', 1],
        ['r2-int', 'PASS', 2],
      ]);
      // every agent (2 planners, 3 generators, 5 evaluators, the fixer) was started exactly once:
      // as many agent starts as the run has children (a re-started agent would be one more)
      const starts = phases.sessions.map((_, i) => agentStarts(phaseMock, i)).reduce((n, k) => n + k, 0);
      expect(starts).toBe(runChildren(view).length);
      expect([...phases.planners, ...phases.generators].map((i) => agentStarts(phaseMock, i))).toEqual([1, 1, 1, 1, 1]);
      // the smoke test and the report commit really ran again on a later worker
      const history = await handle.fetchHistory();
      const retried = new Set(
        (history.events ?? []).flatMap((e) => {
          const started = e.activityTaskStartedEventAttributes;
          if (!started || (started.attempt ?? 1) < 2) return [];
          const scheduled = history.events?.find((x) => x.eventId?.toString() === started.scheduledEventId?.toString());
          return [scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? ''];
        }),
      );
      expect([...retried]).toEqual(expect.arrayContaining(['runSmoke', 'commitToIntegration']));
      // nothing left behind: no container of the run or its children, no landing clone
      await waitUntil('the children’s containers removed', () => containerNames(runId).length === 0, 120_000);
      expect(existsSync(landingRepoDir(runId))).toBe(false);
      expect(git(repo, 'log', '--format=%s', branch)).toContain('dkmv harness: report');

      // what the fixed-in-round-2 build must show, whatever the kills (until 2026-12-08 its own build
      // in harness-outcomes.test.ts)
      expect(phaseMock.requests().filter((q) => q.served === 'no_session')).toEqual([]);
      // the fixer's commit carried a lockfile (its `npm install`), and the fix landed all the same
      const fix = view.quality!.fixes.find((f) => f.unit === 'WU-02')!;
      expect(fix).toMatchObject({ round: 2, landed: true });
      expect(git(repo, 'ls-tree', '-r', '--name-only', fix.branch)).toContain('package-lock.json');
      expect(git(repo, 'show', `${branch}:public/widgets.js`)).toContain(
        'export function createCounter() {\n  // Fixed: the count is read from the element on every click.',
      );

      // the shipped lockfile is the one the integration step regenerated from the merged manifest
      expect(view.lockfiles).toMatchObject({ files: ['package-lock.json'] });
      expect(git(repo, 'log', '-1', '--format=%s', view.lockfiles!.commit!).trim()).toBe(
        'dkmv harness: regenerate package-lock.json from the merged manifests',
      );
      const checkout = path.join(dir, 'shipped');
      execFileSync('git', ['clone', '-q', '-b', branch, repo, checkout]);
      const lock = JSON.parse(readFileSync(path.join(checkout, 'package-lock.json'), 'utf8')) as { name: string };
      expect(lock.name).toBe('tiny-app');
      execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: checkout, stdio: 'pipe' });
      expect(git(repo, 'show', `${branch}:docs/harness/report.md`)).toContain(
        '- Regenerated from the merged manifests and committed: `package-lock.json`',
      );

      // the planner's re-run found its rejected plan and checked its new one with the staged Gate 1
      expect(view.planAttempts.map((a) => a.accepted)).toEqual([false, true]);
      expect(git(repo, 'show', `${branch}--plan-a2:.agent/previous_plan.json`)).toBe(
        git(repo, 'show', `${branch}--plan-a1:.agent/plan.json`),
      );
      const childDir = (id: string) => path.join(dir, 'runs', runId, 'children', childRunId(id));
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
      const own = JSON.parse((await dkmv(['show', failedEval, '--json'])).stdout) as {
        status: string;
        cost_usd: number;
      };
      expect(row.status).toBe('failed');
      expect(own.status).toBe('failed');
      expect(row.cost_usd).toBeGreaterThan(0);
      expect(row.cost_usd).toBeCloseTo(own.cost_usd, 4);

      // round 2's evaluators found round 1's report of their batch as a file, and were told what it is
      for (const [now, before] of [
        ['r2-b1', 'r1-b1'],
        ['r2-int', 'r1-int'],
      ] as const) {
        expect(git(repo, 'show', `${evaluatorBranch(branch, now, 1)}:.agent/previous_eval_report.json`)).toBe(
          git(repo, 'show', `${evaluatorBranch(branch, before, 1)}:.agent/eval_report.json`),
        );
        expect(
          readFileSync(path.join(childDir(evaluatorChildId(runId, now, 1)), 'prompt_evaluate.md'), 'utf8'),
        ).toContain(`\`.agent/previous_eval_report.json\` is the report of batch ${before} (round 1, the same units)`);
      }
    } finally {
      await stopWorkers(workers);
      await phaseMock.close();
    }
    // Two rounds of a whole build; the retries after each kill wait out the run's 5 s heartbeat timeout.
  }, 1_200_000);
});
