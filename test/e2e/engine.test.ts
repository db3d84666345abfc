// The component engine end to end: real Temporal dev server, real worker, real Docker sandbox,
// real Claude Code CLI against a scripted model, a local bare repo as the remote.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DKMV_HOME } from '../../core/project.js';
import type { ComponentRunInput, RunStatusView } from '../../core/engine/run-types.js';
import { componentWorkflow, decideSignal, statusQuery } from '../../workflows/index.js';
import { branchLog, fileOnBranch, makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';
import { TurnGate } from '../support/turn-gate.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';

const fixtures = path.join(DKMV_HOME, 'test/e2e/fixtures');

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function containersOf(runId: string): string[] {
  return execFileSync('docker', ['ps', '-aq', '--filter', `label=dkmv.run_id=${runId}`], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean);
}

/** Resolves once the agent activity of the run has heartbeated at least once. */
async function agentRunning(handle: WorkflowHandle, minTurns = 1): Promise<void> {
  await waitFor('the agent to be mid-task', async () => {
    const desc = await handle.describe();
    const pending = desc.raw.pendingActivities?.find((a) => a.activityType?.name === 'runAgentTask');
    const payload = pending?.heartbeatDetails?.payloads?.[0]?.data;
    if (!payload) return undefined;
    const cursor = JSON.parse(Buffer.from(payload).toString('utf8')) as { turns: number };
    return cursor.turns >= minTurns ? true : undefined;
  });
}

describe('component engine (e2e)', () => {
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await testClient());
  });
  afterAll(async () => {
    await close?.();
  });

  describe('a 3-task component with inputs, context, a pause, for_each and a run gate', () => {
    let worker: RunningWorker;
    let mock: Mock;
    let input: ComponentRunInput;
    let bare: string;
    let view: RunStatusView;

    beforeAll(async () => {
      const root = tempDir('engine');
      bare = makeBareRepo(root);
      const project = path.join(root, 'project');
      mkdirSync(path.join(project, 'ctx'), { recursive: true });
      writeFileSync(path.join(project, 'spec.md'), '# Spec\nTwo parts: x and y.\n');
      writeFileSync(path.join(project, 'ctx', 'notes.md'), 'context-marker\n');
      mock = await startMock(path.join(fixtures, 'engine-demo/model-script.yaml'), root);
      worker = await startTestWorker();
      input = runInput({
        component: path.join(fixtures, 'engine-demo'),
        repo: bare,
        branch: 'feature/demo',
        projectRoot: project,
        modelUrl: mock.url,
        vars: { spec_path: 'spec.md', greeting: 'hi', parts: 'x,y' },
        contextPaths: [path.join(project, 'ctx')],
      });
      const handle = await client.workflow.start(componentWorkflow, {
        workflowId: input.runId,
        taskQueue: worker.target.taskQueue,
        args: [input],
      });
      const paused = await waitFor('the pause point', async () => {
        const status = await handle.query(statusQuery);
        return status.status === 'awaiting_input' ? status : undefined;
      });
      expect(paused.pending?.questions.map((q) => q.id)).toEqual(['approach']);
      // The decision comes from a second, independent client, as `temporal workflow signal` would send it.
      const connection = await Connection.connect({ address: inject('temporalAddress') });
      try {
        const other = new Client({ connection });
        await other.workflow
          .getHandle(input.runId)
          .signal(decideSignal, { action: 'continue', answers: { approach: 'b' } });
      } finally {
        await connection.close();
      }
      view = await handle.result();
    });
    afterAll(async () => {
      await worker?.stop();
      await mock?.close();
    });

    it('completes every task in order', () => {
      expect(view.status).toBe('completed');
      expect(view.tasks.map((t) => [t.id, t.status])).toEqual([
        ['analyze', 'completed'],
        ['implement-x', 'completed'],
        ['implement-y', 'completed'],
        ['gate', 'completed'],
      ]);
      expect(view.tasks[0]?.answers).toEqual({ approach: 'b' });
      expect(view.costUsd).toBeGreaterThan(0);
    });

    it('commits and pushes each task to the branch, saved outputs included', () => {
      expect(branchLog(bare, 'feature/demo')).toEqual([
        'dkmv: implement-y',
        'dkmv: implement-x',
        'dkmv: analyze',
        'initial',
      ]);
      expect(fileOnBranch(bare, 'feature/demo', 'src/x.txt')).toBe('approach=b\n');
      expect(JSON.parse(fileOnBranch(bare, 'feature/demo', '.agent/analysis.json'))).toMatchObject({
        summary: 'two parts',
      });
    });

    it('writes the run folder', () => {
      for (const file of [
        'result.json',
        'tasks_result.json',
        'stream.jsonl',
        'prompt_analyze.md',
        'claude_md_analyze.md',
        'analysis.json',
        'script_gate.log',
      ]) {
        expect(existsSync(path.join(input.runDir, file)), file).toBe(true);
      }
      const result = JSON.parse(readFileSync(path.join(input.runDir, 'result.json'), 'utf8'));
      expect(result).toMatchObject({ run_id: input.runId, status: 'completed', branch: 'feature/demo' });
      expect(readFileSync(path.join(input.runDir, 'claude_md_analyze.md'), 'utf8')).toContain(
        '.agent/context/ctx/notes.md',
      );
      expect(readFileSync(path.join(input.runDir, 'script_gate.log'), 'utf8')).toContain('gate ok');
    });

    it('removes the sandbox container', () => {
      expect(containersOf(input.runId)).toEqual([]);
    });
  });

  describe('durability', () => {
    let mock: Mock;
    let root: string;
    let bare: string;
    // The agent's second turn is held while a test injects its fault, then released.
    const gate = new TurnGate();
    beforeAll(async () => {
      root = tempDir('durable');
      bare = makeBareRepo(root);
      mock = await startMock(path.join(fixtures, 'slow/model-script.yaml'), root, gate.beforeTurn);
    });
    afterAll(async () => {
      await mock?.close();
    });

    function slowRun(branch: string): ComponentRunInput {
      return runInput({
        component: path.join(fixtures, 'slow'),
        repo: bare,
        branch,
        projectRoot: path.join(root, 'project'),
        modelUrl: mock.url,
        heartbeatTimeoutSeconds: 5,
      });
    }

    it('survives a SIGKILLed worker without starting the agent twice', async () => {
      const taskQueue = `crash-${Date.now()}`;
      const spawnWorker = (): ChildProcess =>
        spawn(process.execPath, [path.join(DKMV_HOME, 'bin/dkmv.js'), 'worker'], {
          env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), DKMV_TASK_QUEUE: taskQueue },
          stdio: 'ignore',
        });
      const before = mock.requests().filter((r) => r.turn === 0).length;
      const workers: ChildProcess[] = [spawnWorker()];
      try {
        const input = slowRun('crash/one');
        const held = gate.hold(0, 1);
        const handle = await client.workflow.start(componentWorkflow, {
          workflowId: input.runId,
          taskQueue,
          args: [input],
        });
        await agentRunning(handle, 1);
        workers[0]?.kill('SIGKILL');
        workers.push(spawnWorker());
        held.release();
        const view = await handle.result();
        expect(view.status).toBe('completed');
        expect(view.tasks[0]?.turns).toBe(4);
        // One first-turn request: the agent was started once and the new worker re-attached to it.
        expect(mock.requests().filter((r) => r.turn === 0).length - before).toBe(1);
        const history = await handle.fetchHistory();
        const attempts = (history.events ?? [])
          .filter((e) => e.activityTaskStartedEventAttributes)
          .map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 1);
        expect(Math.max(...attempts)).toBeGreaterThan(1);
        expect(JSON.parse(fileOnBranch(bare, 'crash/one', '.agent/done.json'))).toEqual({ ok: true });
      } finally {
        // Whatever happened, end the worker processes this test started.
        for (const w of workers) {
          if (w.exitCode !== null || w.signalCode !== null) continue;
          w.kill('SIGTERM');
          await new Promise((r) => w.once('exit', r));
        }
      }
    });

    it('re-runs a task in a new container when the container is lost', async () => {
      const worker = await startTestWorker();
      try {
        const before = mock.requests().filter((r) => r.turn === 0).length;
        const input = slowRun('lost/one');
        const held = gate.hold(0, 1);
        const handle = await client.workflow.start(componentWorkflow, {
          workflowId: input.runId,
          taskQueue: worker.target.taskQueue,
          args: [input],
        });
        await agentRunning(handle, 1);
        const [container] = containersOf(input.runId);
        execFileSync('docker', ['rm', '-f', container as string], { stdio: 'ignore' });
        held.release();
        const view = await handle.result();
        expect(view.status).toBe('completed');
        expect(view.containerName).toBe(`dkmv-${input.runId}-g1`);
        // Turns spent in the lost container count too (4 in the new one, at least 1 before).
        expect(view.tasks[0]?.turns).toBeGreaterThan(4);
        expect(mock.requests().filter((r) => r.turn === 0).length - before).toBe(2);
        expect(containersOf(input.runId)).toEqual([]);
      } finally {
        await worker.stop();
      }
    });
  });
});
