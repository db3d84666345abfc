// `dkmv test harness` as a user runs it: the real CLI in a child process, a real worker, the real
// Temporal dev server, real sandbox containers with the real Claude Code CLI against a model script,
// real git and the structural merge. A scripted planner and 3 generators build the tiny-app
// fixture; two generators append to the same file, so git conflicts and the structural merge lands
// it. The generators behave like real coding models (tiny-app-scripts.ts): a header comment and a
// private helper in the shared file, `npm install` of a local package a unit declares, and an edit
// outside the unit that is rejected, whose retry starts from the earlier commits and only undoes it;
// no unit's lockfile lands, the shipped one is regenerated from the merged manifest. (Until
// 2026-12-08 those habits were a build of their own in harness-contracts.test.ts.) Then the quality
// loop: the smoke test and two evaluators in real headless Chromium (browser image), Gate 4 and the
// verdict in code, the report with the evaluation committed to the branch.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import getPort from 'get-port';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPng } from '../../activities/harness/browser-screenshots.js';
import { generatorChildId, plannerChildId } from '../../core/harness/ids.js';
import type { HarnessView } from '../../core/harness/types.js';
import type { MockRequestLog } from '../../core/mock-model/server.js';
import { tempDir } from '../support/e2e.js';
import { runDkmv } from '../support/dkmv-cli.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import { README, realHabitsScript, writeScript } from './tiny-app-scripts.js';

let worker: RunningWorker;
let client: Client;
let closeClient: () => Promise<void>;
let outputDir: string;

beforeAll(async () => {
  worker = await startTestWorker();
  ({ client, close: closeClient } = await testClient());
  outputDir = tempDir('harness-runs');
});
afterAll(async () => {
  await closeClient?.();
  await worker?.stop();
});

/** The compiled CLI against this file's worker and run folder. */
const dkmv = (args: string[]) => runDkmv(args, { taskQueue: worker.target.taskQueue, outputDir, timeoutMs: 540_000 });

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

async function serve(dir: string): Promise<{ url: string; stop: () => void }> {
  const port = await getPort({ host: '127.0.0.1' });
  const child = spawn(process.execPath, ['server.mjs'], { cwd: dir, env: { ...process.env, PORT: String(port) } });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => child.kill('SIGTERM') };
}

describe('dkmv test harness (real CLI, worker, containers, Claude Code, mock model)', () => {
  it('builds the tiny-app fixture end to end: plan, 3 parallel generators, structural landing, report', async () => {
    const r = await dkmv([
      'test',
      'harness',
      '--script',
      writeScript(realHabitsScript(), outputDir, 'real-habits.yaml'),
    ]);
    if (r.code !== 0) console.error(r.out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^completed/m);
    expect(r.out).not.toMatch(/matched no session/);
    const runId = /run {5}(\S+)/.exec(r.out)![1]!;
    const [, repo, branch] = /repo {4}(\S+) {2}branch (\S+)/.exec(r.out)!;
    const kept = /kept: (\S+)/.exec(r.out)![1]!;

    // the integration branch: both functions landed in widgets.js; the package.json that WU-01 wrote and
    // WU-03 started (for its `npm install`) needed the structural merge
    const widgets = git(repo!, 'show', `${branch}:public/widgets.js`);
    expect(widgets).toContain('export function createCounter()');
    expect(widgets).toContain('export function createTodo()');
    expect(widgets).not.toMatch(/^(<<<<<<<|>>>>>>>)/m);
    const report = git(repo!, 'show', `${branch}:docs/harness/report.md`);
    expect(report).toContain('3/3 units landed, 0 blocked');
    expect(report).toMatch(/## Merged structurally\n\n- WU-0[13]: `package\.json` \(whole file\)/);
    expect(git(repo!, 'show', `${branch}:docs/harness/plan.md`)).toContain('### WU-02: Counter widget');
    const view = JSON.parse(readFileSync(path.join(outputDir, 'runs', runId, 'harness.json'), 'utf8')) as HarnessView;
    expect(view.status).toBe('completed');

    // WU-01 and WU-03 land first time: the header comment, helpers, lockfile and package.json pass
    const attempts = Object.fromEntries(view.units.map((u) => [u.id, u.attempts]));
    expect(view.units.map((u) => [u.id, u.status, u.attempts.length])).toEqual([
      ['WU-01', 'landed', 1],
      ['WU-02', 'landed', 2],
      ['WU-03', 'landed', 1],
    ]);
    // WU-02's README edit is named with its rule; the retry starts from its earlier commits
    expect(attempts['WU-02']![0]!.violations).toEqual([
      expect.stringMatching(/^README\.md: the file \(modified\) — rule "code that existed before"/),
    ]);
    expect(attempts['WU-02']![1]!.carried).toBe('merged');

    expect(widgets.startsWith('// Shared widgets; the counter (WU-02) is at the end.\n')).toBe(true);
    expect(widgets.match(/export function createCounter/g)).toHaveLength(1);
    for (const part of ['const counterStep = 1;', 'function todoItem(text)', 'export function createTodo()'])
      expect(widgets).toContain(part);
    expect(git(repo!, 'show', `${branch}:README.md`)).toBe(README);
    // the declared package is in the manifest; no unit's lockfile and no node_modules land
    const manifest = JSON.parse(git(repo!, 'show', `${branch}:package.json`)) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'tiny-app', dependencies: { 'todo-format': 'file:vendor/todo-format' } });
    const files = git(repo!, 'ls-tree', '-r', '--name-only', branch!).split('\n');
    expect(files).toContain('vendor/todo-format/index.js');
    expect(files.filter((f) => f.includes('node_modules/'))).toEqual([]);
    // the unit's own branch has its lockfile (allowed there) but never node_modules (the commit step)
    const unitBranch = attempts['WU-03']![0]!.branch;
    const unitFiles = git(repo!, 'ls-tree', '-r', '--name-only', unitBranch).split('\n');
    expect(unitFiles).toContain('package-lock.json');
    // the shipped lockfile is the integration step's, regenerated from the merged manifest
    expect(view.lockfiles?.files).toEqual(['package-lock.json']);
    const lock = JSON.parse(git(repo!, 'show', `${branch}:package-lock.json`)) as {
      packages: Record<string, { dependencies?: Record<string, string> }>;
    };
    expect(lock.packages['']?.dependencies).toEqual({ 'todo-format': 'file:vendor/todo-format' });
    expect(unitFiles.filter((f) => f.includes('node_modules/'))).toEqual([]);
    // and the app it built installs (the local package) and passes smoke and evaluation

    // the quality loop: SMOKE in real Chromium, two evaluators in parallel with real screenshots, PASS
    expect(view.quality?.outcome).toBe('passed');
    expect(view.quality?.smoke.map((s) => [s.round, s.passed, s.screenshotPath])).toEqual([[1, true, 'smoke/r1.png']]);
    expect(view.quality?.evals.map((e) => [e.batchId, e.gate, e.verdict, `${e.passed}/${e.total}`])).toEqual([
      ['r1-b1', 'valid', 'PASS', '15/15'],
      ['r1-int', 'valid', 'PASS', '4/4'],
    ]);
    const shots = ['smoke/r1.png', ...view.quality!.evals.flatMap((e) => e.screenshots)];
    expect(shots).toHaveLength(7);
    const sizes = shots.map((s) => {
      const facts = inspectPng(readFileSync(path.join(outputDir, 'runs', runId, s)));
      expect(facts).toMatchObject({ png: true, nonblank: true });
      return `${s} ${statSync(path.join(outputDir, 'runs', runId, s)).size} B ${facts.width}x${facts.height}`;
    });
    console.log(`harness screenshots:\n${sizes.join('\n')}`);
    expect(report).toContain('## Evaluation results');
    expect(report).toContain('- Pass rate: 19/19 (100%)');
    expect(report).toMatch(/\| WU-02 \| 5\/5 \| 8\.0 \(min 8\) \|/);
    expect(r.out).toMatch(/^quality: PASS, 19\/19 criteria, round 1$/m);

    // CHECK ran the plan's check on the landed head in a real sandbox; REVIEW ran one reviewer per unit
    expect(view.quality?.checks?.map((c) => [c.round, c.passed, c.commands.map((x) => x.exitCode)])).toEqual([
      [1, true, [0, 0]],
    ]);
    expect(JSON.parse(readFileSync(path.join(outputDir, 'runs', runId, 'check', 'r1.json'), 'utf8'))).toMatchObject({
      passed: true,
    });
    expect(view.units.map((u) => [u.id, u.reviews?.map((x) => [x.score, x.passed])])).toEqual([
      ['WU-01', [[4, true]]],
      ['WU-02', [[4, true]]],
      ['WU-03', [[4, true]]],
    ]);
    expect(report).toContain('- Check: round 1 passed');
    expect(report).toContain('- Review WU-02: 4/5');

    // the built app serves its page and scripts
    const work = tempDir('harness-app');
    git(work, 'clone', '-q', '-b', branch!, repo!, '.');
    for (const f of ['server.mjs', 'public/app.js', 'public/widgets.js'])
      execFileSync(process.execPath, ['--check', f], { cwd: work });
    const app = await serve(work);
    try {
      const page = await fetch(`${app.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<main id="app">');
      const js = await fetch(`${app.url}/widgets.js`);
      expect(js.headers.get('content-type')).toBe('text/javascript');
    } finally {
      app.stop();
    }

    // children in Temporal: explicit ids, parent = the harness, all completed
    for (const id of [
      plannerChildId(runId, 1),
      ...['WU-01', 'WU-02', 'WU-03'].map((u) => generatorChildId(runId, u, 1, 1)),
      generatorChildId(runId, 'WU-02', 1, 2),
    ]) {
      const d = await client.workflow.getHandle(id).describe();
      expect(d.status.name).toBe('COMPLETED');
      expect(d.parentExecution?.workflowId).toBe(runId);
    }

    // each scripted session (planner, WU-01's generator, 2 evaluators, WU-02's two attempts, WU-03's
    // generator) started its agent exactly once; the one reviewer session served the three reviewers
    const starts = readFileSync(path.join(kept, 'mock-requests.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as MockRequestLog)
      .filter((e) => e.turn === 0 && e.session !== null);
    const perSession = new Map<number, number>();
    for (const e of starts) perSession.set(e.session!, (perSession.get(e.session!) ?? 0) + 1);
    expect([...perSession.entries()].sort()).toEqual([
      [0, 1],
      [1, 1],
      [2, 3],
      [3, 1],
      [4, 1],
      [5, 1],
      [6, 1],
      [7, 1],
    ]);
  });

  it('runs the generators on Codex and the planner on Claude (mixed agents)', async () => {
    const r = await dkmv([
      'test',
      'harness',
      '--no-eval', // the quality loop is covered above; this one is about the agents
      '--role',
      'generator.agent=codex',
      '--branch',
      'dkmv-test/harness-codex',
    ]);
    if (r.code !== 0) console.error(r.out);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/matched no session/);
    const [, repo, branch] = /repo {4}(\S+) {2}branch (\S+)/.exec(r.out)!;
    // the shipped script's generators both append to widgets.js: git conflicts, the structural merge lands it
    const widgets = git(repo!, 'show', `${branch}:public/widgets.js`);
    expect(widgets).toContain('export function createCounter()');
    expect(widgets).toContain('export function createTodo()');
    expect(widgets).not.toMatch(/^(<<<<<<<|>>>>>>>)/m);
    expect(git(repo!, 'show', `${branch}:docs/harness/report.md`)).toMatch(
      /## Merged structurally\n\n- WU-0[23]: `public\/widgets\.js`/,
    );
    const runId = /run {5}(\S+)/.exec(r.out)![1]!;
    const gen = await client.workflow.getHandle(generatorChildId(runId, 'WU-02', 1, 1)).describe();
    const memo = gen.memo?.dkmv as { status: string };
    expect(memo.status).toBe('completed');
    const config = JSON.parse(readFileSync(path.join(outputDir, 'runs', runId, 'config.json'), 'utf8')) as {
      roles: { generator: { agent?: string } };
    };
    expect(config.roles.generator.agent).toBe('codex');
  });
});
