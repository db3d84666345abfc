// DKMV compatibility end to end (real Temporal, worker, Docker sandbox, Claude Code against a
// scripted model, git): the built-in `ship` runs with a pause answered by a signal; the answer
// reaches the next task the way DKMV delivers it (`questions[].user_answer` in the asking output,
// read by the plan inside the container); the agent's own `git push` from the sandbox does not
// break the run; and the run folder holds DKMV's records: result.json, tasks_result.json, saved
// outputs under tasks/<task>/ with .meta.json, prompts_log.md, stream.jsonl with lifecycle events.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import getPort from 'get-port';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunFolder } from '../../cli/runs/run-folder.js';
import type { ComponentRunInput, RunStatusView } from '../../core/engine/run-types.js';
import { DKMV_HOME } from '../../core/project.js';
import { componentWorkflow, decideSignal, statusQuery } from '../../workflows/index.js';
import { branchLog, fileOnBranch, makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';

const SHIP = path.join(DKMV_HOME, 'components/ship');

function filesOf(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, filesOf(full, base));
    else out[path.relative(base, full)] = readFileSync(full, 'utf8');
  }
  return out;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A git daemon on 127.0.0.1 serving `root` with pushes allowed: a remote that the host and the sandbox (host networking) both reach. */
async function gitDaemon(root: string): Promise<{ url: (repo: string) => string; stop: () => void }> {
  const port = await getPort({ host: '127.0.0.1' });
  const daemon: ChildProcess = spawn(
    'git',
    [
      'daemon',
      '--reuseaddr',
      '--export-all',
      '--enable=receive-pack',
      `--base-path=${root}`,
      '--listen=127.0.0.1',
      `--port=${port}`,
      root,
    ],
    { stdio: 'ignore' },
  );
  await waitFor(
    'git daemon',
    async () => {
      const { execFileSync } = await import('node:child_process');
      execFileSync('git', ['ls-remote', `git://127.0.0.1:${port}/remote.git`], { stdio: 'ignore' });
      return true;
    },
    20_000,
  );
  return { url: (repo) => `git://127.0.0.1:${port}/${repo}`, stop: () => daemon.kill('SIGTERM') };
}

function streamEvents(runDir: string): Record<string, unknown>[] {
  return readFileSync(path.join(runDir, 'stream.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('DKMV answers and run records (e2e, built-in ship)', () => {
  let client: Client;
  let close: () => Promise<void>;
  let worker: RunningWorker;
  let mock: Mock;
  let daemon: { url: (repo: string) => string; stop: () => void };
  let input: ComponentRunInput;
  let bare: string;
  let view: RunStatusView;
  let eventsWhilePaused: Record<string, unknown>[];

  beforeAll(async () => {
    ({ client, close } = await testClient());
    const root = tempDir('dkmv-records');
    bare = makeBareRepo(root, filesOf(path.join(SHIP, 'fixtures/repo')));
    daemon = await gitDaemon(root);
    const project = path.join(root, 'project');
    mkdirSync(project);
    copyFileSync(path.join(SHIP, 'fixtures/prd-slugify.md'), path.join(project, 'prd.md'));
    mock = await startMock(path.join(SHIP, 'model-script.yaml'), root);
    worker = await startTestWorker();
    input = runInput({
      component: 'ship',
      repo: daemon.url('remote.git'),
      branch: 'feature/slug',
      projectRoot: project,
      modelUrl: mock.url,
      vars: { prd_path: 'prd.md' },
    });
    const handle = await client.workflow.start(componentWorkflow, {
      workflowId: input.runId,
      taskQueue: worker.target.taskQueue,
      args: [input],
    });
    const paused = await waitFor('the pause after analyze', async () => {
      const status = await handle.query(statusQuery);
      return status.status === 'awaiting_input' ? status : undefined;
    });
    expect(paused.pending?.questions.map((q) => q.id)).toEqual(['separator']);
    // The pause is in the records while the run waits.
    eventsWhilePaused = await waitFor(
      'pause_requested in stream.jsonl',
      async () => {
        const events = streamEvents(input.runDir);
        return events.some((e) => e.type === 'pause_requested') ? events : undefined;
      },
      30_000,
    );
    await handle.signal(decideSignal, { action: 'continue', answers: { separator: '_' } });
    view = await handle.result();
  }, 600_000);

  afterAll(async () => {
    await worker?.stop();
    await mock?.close();
    daemon?.stop();
    await close?.();
  });

  it('completes every step; the answer reached the plan through analysis.json questions[].user_answer', () => {
    expect(view.status, view.error).toBe('completed');
    expect(view.tasks.map((t) => [t.id, t.status])).toEqual([
      ['analyze', 'completed'],
      ['plan', 'completed'],
      ['check-plan', 'completed'],
      ['implement', 'completed'],
      ['verify', 'completed'],
      ['evaluate-fix', 'completed'],
      ['finalize', 'completed'],
    ]);
    const analysis = JSON.parse(readFileSync(path.join(input.runDir, 'tasks/analyze/analysis.json'), 'utf8'));
    expect(analysis.questions[0]).toMatchObject({ id: 'separator', user_answer: '_' });
    // The scripted plan read user_answer with jq inside the container; the gate checked it.
    const plan = JSON.parse(readFileSync(path.join(input.runDir, 'tasks/plan/plan.json'), 'utf8'));
    expect(plan.decisions).toEqual([{ question_id: 'separator', answer: '_' }]);
    expect(fileOnBranch(bare, 'feature/slug', 'src/slugify.js')).toContain('"_"');
    expect(view.tasks[0]?.answers).toEqual({ separator: '_' });
  });

  it("the agent's own git push from the sandbox reached the remote, and the run went on to push the rest", () => {
    const toolResults = JSON.stringify(streamEvents(input.runDir).filter((e) => e.type === 'user'));
    expect(toolResults).toMatch(/HEAD -> feature\/slug/);
    const log = branchLog(bare, 'feature/slug');
    expect(log).toContain('slugify: slugs for note titles'); // the agent's commit
    expect(log[0]).toBe('dkmv: finalize'); // dkmv's commits on top of it
    expect(JSON.parse(fileOnBranch(bare, 'feature/slug', '.agent/pr_result.json'))).toMatchObject({
      status: 'ready',
      branch: 'feature/slug',
    });
  });

  it("result.json and tasks_result.json are in DKMV's schema (ours beside)", () => {
    const result = JSON.parse(readFileSync(path.join(input.runDir, 'result.json'), 'utf8'));
    for (const f of [
      'run_id',
      'component',
      'status',
      'repo',
      'branch',
      'feature_name',
      'model',
      'total_cost_usd',
      'duration_seconds',
      'num_turns',
      'timestamp',
      'session_id',
      'error_message',
    ])
      expect(result, f).toHaveProperty(f);
    expect(result).toMatchObject({ run_id: input.runId, component: 'ship', status: 'completed', error_message: '' });
    expect(result.total_cost_usd).toBeGreaterThan(0);
    expect(result.num_turns).toBeGreaterThan(4);
    expect(result.session_id).not.toBe('');
    const tasks = JSON.parse(readFileSync(path.join(input.runDir, 'tasks_result.json'), 'utf8'));
    expect(tasks).toMatchObject({ run_id: input.runId, component: 'ship', status: 'completed' });
    expect(tasks.task_results.map((t: { task_name: string }) => t.task_name)).toEqual(view.tasks.map((t) => t.name));
    const analyze = tasks.task_results[0];
    expect(analyze.description).toMatch(/^Read the PRD/);
    expect(Object.keys(analyze.outputs)).toEqual(['.agent/analysis.json']);
    expect(analyze.session_id).not.toBe('');
    // `dkmv show` reads the folder back.
    expect(readRunFolder(input.runDir)!.tasks!.map((t) => t.status)).toEqual(view.tasks.map(() => 'completed'));
  });

  it('saved outputs sit under tasks/<task>/ with a .meta.json; prompts_log.md has every prompt', () => {
    const meta = JSON.parse(readFileSync(path.join(input.runDir, 'tasks/analyze/analysis.json.meta.json'), 'utf8'));
    expect(meta).toMatchObject({ task_name: 'analyze', path: '.agent/analysis.json' });
    expect(meta.answers_merged_at).toBeTypeOf('string');
    expect(readdirSync(path.join(input.runDir, 'tasks')).sort()).toEqual([
      'analyze',
      'evaluate-fix',
      'finalize',
      'implement',
      'plan',
    ]);
    const log = readFileSync(path.join(input.runDir, 'prompts_log.md'), 'utf8');
    expect(log).toMatch(/^# Component: ship/);
    expect(log).toContain('## Task 1: analyze');
    expect(log).toContain('Ship step 4: evaluate and fix');
  });

  it('stream.jsonl: lifecycle events in order (each once, lifecycle: true) and _ts on every event', () => {
    const events = streamEvents(input.runDir);
    const lifecycle = events.filter((e) => e.lifecycle === true);
    expect(lifecycle.map((e) => e.seq)).toEqual(lifecycle.map((_, i) => i + 1));
    const summary = lifecycle.map((e) => (e.task_name ? `${String(e.type)}:${String(e.task_name)}` : String(e.type)));
    expect(summary.slice(0, 5)).toEqual([
      'run_started',
      'task_start:analyze',
      'task_completed:analyze',
      'pause_requested:analyze',
      'pause_resolved:analyze',
    ]);
    expect(summary.at(-1)).toBe('run_completed');
    expect(summary.filter((s) => s.startsWith('task_completed:'))).toHaveLength(7);
    expect(eventsWhilePaused.some((e) => e.type === 'pause_resolved')).toBe(false);
    const agentEvents = events.filter((e) => e.lifecycle !== true);
    expect(agentEvents.length).toBeGreaterThan(10);
    expect(agentEvents.every((e) => typeof e._ts === 'string')).toBe(true);
  });
});
