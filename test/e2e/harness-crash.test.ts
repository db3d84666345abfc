// Crash: one harness build with a fix round, its worker SIGKILLed in every phase (GENERATE with the 3
// generator children mid-turn, SMOKE with its container up, EVAL and FIX with their agents mid-turn,
// SHIP mid-commit), a new worker started each time: the build completes, every unit lands once, no
// agent is started twice (the mock's first-turn requests per session), no container or landing clone
// is left. (Until 2026-12-08 the GENERATE kill was a build of its own; it is one phase of this one now,
// with the same assertions, so the suite runs one build fewer.)
// Real worker processes, containers, Claude Code, Chromium and git.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runChildren } from '../../core/harness/run-children.js';
import { makeThrowawayRepo } from '../../cli/test-run/repo.js';
import { FIXTURE_PROMPT, FIXTURE_SCRIPT, FIXTURE_SEED } from '../../cli/commands/harness-test.js';
import type { HarnessInput } from '../../core/harness/types.js';
import { DKMV_HOME } from '../../core/project.js';
import { DEFAULT_BROWSER_IMAGE } from '../../core/sandbox/browser-image-name.js';
import { harnessWorkflow } from '../../workflows/index.js';
import { landingRepoDir } from '../../activities/harness/landing-repo.js';
import { fixerChildId } from '../../core/harness/ids.js';
import { startMock, tempDir } from '../support/e2e.js';
import { testClient } from '../support/temporal.js';
import { agentStarts, sawTurn, spawnWorker, stopWorkers, waitForFile, waitUntil } from '../crash/support.js';

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

interface ScriptSession {
  match: string;
  delay_ms?: number;
  turns: unknown[];
}

/**
 * The shipped script with a fix round: the round-1 unit evaluator scores WU-02-C2 at 3, WU-02's
 * fixer adds a line inside createCounter, and round 2's evaluators (the round-1 sessions renamed)
 * pass. Generator, evaluator and fixer turns are slow, so a worker can die while they run.
 */
function fixRoundScript(dir: string): {
  file: string;
  sessions: ScriptSession[];
  generators: number[];
  eval1: number[];
  fixer: number;
} {
  const script = parse(readFileSync(FIXTURE_SCRIPT, 'utf8')) as { sessions: ScriptSession[] };
  const evaluators = script.sessions.filter((s) => s.match.includes('role=evaluator'));
  const round2 = evaluators.map(
    (s) =>
      parse(
        stringify(s)
          .replace(/r1-(b1|int)/g, 'r2-$1')
          .replace(/round=1/g, 'round=2')
          .replace(/"round": 1/g, '"round": 2'),
      ) as ScriptSession,
  );
  const b1 = evaluators.find((s) => s.match.includes('r1-b1'))!;
  const reportTurn = b1.turns.find(
    (t) => (t as { write?: { path: string } }).write?.path === '.agent/eval_report.json',
  ) as { write: { content: string } };
  const report = JSON.parse(reportTurn.write.content) as {
    verdict: string;
    criteria: { criterion_id: string; score: number; passed: boolean; evidence: string; fix_hint: string | null }[];
  };
  Object.assign(
    report.criteria.find((c) => c.criterion_id === 'WU-02-C2')!,
    {
      score: 3,
      passed: false,
      evidence: 'Clicked #inc in Chromium at 1440x900: the count did not change on the second click (s2)',
      fix_hint: 'public/widgets.js:createCounter — read the count on every click',
    },
  );
  report.verdict = 'RETRY';
  reportTurn.write.content = JSON.stringify(report, null, 2);
  const fixer: ScriptSession = {
    match: 'dkmv-harness role=fixer unit=WU-02 round=2',
    turns: [
      { bash: 'sed -i "s|^  inc.id = \'inc\';$|&\\n  // the count is read on every click|" public/widgets.js' },
      {
        write: {
          path: '.agent/fixer_report.json',
          content: '{"unit_id": "WU-02", "round": 2, "fixed": ["WU-02-C2"], "notes": "scripted"}',
        },
      },
      { text: 'WU-02 fixed: createCounter reads the count on every click.' },
    ],
  };
  const sessions = [...script.sessions, fixer, ...round2];
  for (const s of sessions) if (/role=(generator|evaluator|fixer)/.test(s.match)) s.delay_ms = 2500;
  const file = path.join(dir, 'fix-round-tiny-app.yaml');
  writeFileSync(file, stringify({ sessions }));
  return {
    file,
    sessions,
    generators: sessions.flatMap((s, i) => (s.match.includes('role=generator') ? [i] : [])),
    eval1: evaluators.map((e) => sessions.indexOf(e)),
    fixer: sessions.indexOf(fixer),
  };
}

describe('harness durability', () => {
  it('survives a SIGKILLed worker during GENERATE, SMOKE, EVAL, a FIX round and SHIP: completes, no agent twice, nothing left', async () => {
    const dir = path.join(root, 'phases');
    mkdirSync(dir, { recursive: true });
    const phases = fixRoundScript(dir);
    const phaseMock = await startMock(phases.file, dir);
    const taskQueue = `harness-phases-${Date.now()}`;
    const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), DKMV_TASK_QUEUE: taskQueue };
    const hooked = (step: string) => ({ ...env, DKMV_TEST_HOOK_PAUSE_AT: step, DKMV_TEST_HOOK_DIR: dir });
    const log = path.join(dir, 'workers.log');
    const repo = makeThrowawayRepo(dir, FIXTURE_SEED);
    const runId = `${new Date().toISOString().slice(2, 10).replace(/-/g, '')}-0000-harness-phases-${Date.now().toString(16).slice(-4)}`;
    const input = harnessInput(runId, repo, 'crash/phases', phaseMock.url, dir);
    input.quality = {
      browserImage: DEFAULT_BROWSER_IMAGE,
      roles: { evaluator: {}, fixer: {} },
      roleDirs: {
        evaluator: path.join(DKMV_HOME, 'components/harness/evaluator'),
        fixer: path.join(DKMV_HOME, 'components/harness/fixer'),
      },
      baseBranch: 'main',
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
        ['r2-int', 'PASS', 1],
      ]);
      // every agent (planner, generators, reviewers, 4 evaluators, the fixer) was started exactly once:
      // as many agent starts as the run has children (a re-started agent would be one more)
      const starts = phases.sessions.map((_, i) => agentStarts(phaseMock, i)).reduce((n, k) => n + k, 0);
      expect(starts).toBe(runChildren(view).length);
      expect([0, ...phases.generators].map((i) => agentStarts(phaseMock, i))).toEqual([1, 1, 1, 1]);
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
      expect(execFileSync('git', ['log', '--format=%s', 'crash/phases'], { cwd: repo, encoding: 'utf8' })).toContain(
        'dkmv harness: report',
      );
    } finally {
      await stopWorkers(workers);
      await phaseMock.close();
    }
    // Two rounds of a whole build; the retries after each kill wait out the run's 5 s heartbeat timeout.
  }, 1_200_000);
});
