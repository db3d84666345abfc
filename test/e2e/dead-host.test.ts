// A dead sandbox host must not hang a run: two workers on different hosts (DKMV_HOST_ID, each with
// its own sandbox folder), the one holding the run's sandbox is killed mid-task and never comes
// back. Its host queue's work is not picked up within hostStartTimeoutSeconds, so the task re-runs
// in a new sandbox cloned from the pushed branch on the other worker, and what the lost attempt
// had spent still counts. Real dev server, real workers (`dkmv worker`), Docker, git, Claude Code
// against a scripted model.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DKMV_HOME } from '../../core/project.js';
import { readHeartbeatCursor } from '../../core/temporal/payloads.js';
import { defaultPayloadConverter } from '@temporalio/common';
import { componentWorkflow } from '../../workflows/index.js';
import { fileOnBranch, makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';
import { TurnGate } from '../support/turn-gate.js';
import { testClient } from '../support/temporal.js';

const fixtures = path.join(DKMV_HOME, 'test/e2e/fixtures');
const SCHEDULE_TO_START = 2; // temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The agent activity's heartbeat once it reports at least `minTurns` turns. */
async function agentCursor(handle: WorkflowHandle, minTurns: number) {
  return waitFor('the agent to be mid-task', async () => {
    const desc = await handle.describe();
    const pending = desc.raw.pendingActivities?.find((a) => a.activityType?.name === 'runAgentTask');
    const payload = pending?.heartbeatDetails?.payloads?.[0];
    const cursor = payload ? readHeartbeatCursor(defaultPayloadConverter.fromPayload(payload)) : undefined;
    return cursor && cursor.turns >= minTurns ? cursor : undefined;
  });
}

function containersOf(runId: string): string[] {
  return execFileSync('docker', ['ps', '-aq', '--filter', `label=dkmv.run_id=${runId}`], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean);
}

describe('a dead sandbox host (e2e)', () => {
  let client: Client;
  let close: () => Promise<void>;
  let mock: Mock;
  let root: string;
  let bare: string;
  // The agent's second turn is held until host A is dead.
  const gate = new TurnGate();
  beforeAll(async () => {
    ({ client, close } = await testClient());
    root = tempDir('dead-host');
    bare = makeBareRepo(root);
    mock = await startMock(path.join(fixtures, 'slow/model-script.yaml'), root, gate.beforeTurn);
  });
  afterAll(async () => {
    await mock?.close();
    await close?.();
  });

  it('re-runs the task on another worker when the host worker is killed and never restarted', async () => {
    const taskQueue = `dead-host-${Date.now()}`;
    const spawnWorker = (host: string): ChildProcess =>
      spawn(process.execPath, [path.join(DKMV_HOME, 'bin/dkmv.js'), 'worker'], {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          DKMV_TASK_QUEUE: taskQueue,
          DKMV_HOST_ID: host,
          DKMV_SANDBOX_DIR: path.join(root, host),
        },
        stdio: 'ignore',
      });
    const input = {
      ...runInput({
        component: path.join(fixtures, 'slow'),
        repo: bare,
        branch: 'dead-host/one',
        projectRoot: path.join(root, 'project'),
        modelUrl: mock.url,
        heartbeatTimeoutSeconds: 5,
      }),
      // Short, so the test does not wait the default five minutes for the dead host.
      hostStartTimeoutSeconds: 10,
    };
    const before = mock.requests().filter((r) => r.turn === 0).length;
    const held = gate.hold(0, 1);
    const hostA = spawnWorker('host-a');
    const workers = [hostA];
    try {
      const handle = await client.workflow.start(componentWorkflow, {
        workflowId: input.runId,
        taskQueue,
        args: [input],
      });
      // Only host A is up: the sandbox is there. Then host B comes up and host A dies for good.
      const lost = await agentCursor(handle, 1);
      workers.push(spawnWorker('host-b'));
      hostA.kill('SIGKILL');
      held.release();

      const view = await handle.result();
      expect(view.status).toBe('completed');
      expect(view.containerName).toBe(`dkmv-${input.runId}-g1`);
      // The lost attempt's turns (at least its last heartbeat's) count on top of the 4 of the re-run.
      expect(view.tasks[0]?.turns).toBeGreaterThanOrEqual(4 + lost.turns);
      expect(mock.requests().filter((r) => r.turn === 0).length - before).toBe(2); // started twice
      expect(JSON.parse(fileOnBranch(bare, 'dead-host/one', '.agent/done.json'))).toEqual({ ok: true });

      const events = (await handle.fetchHistory()).events ?? [];
      const timedOut = events.filter(
        (e) => e.activityTaskTimedOutEventAttributes?.failure?.timeoutFailureInfo?.timeoutType === SCHEDULE_TO_START,
      );
      expect(timedOut.length).toBeGreaterThanOrEqual(1);
      // Everything after the loss ran on host B's queue.
      const hostQueues = events
        .map((e) => e.activityTaskScheduledEventAttributes?.taskQueue?.name)
        .filter((q): q is string => Boolean(q?.includes('@')));
      expect(hostQueues.at(-1)).toBe(`${taskQueue}@host-b`);
    } finally {
      for (const w of workers) {
        if (w.exitCode !== null || w.signalCode !== null) continue;
        w.kill('SIGTERM');
        await new Promise((r) => w.once('exit', r));
      }
      // The dead host's container is left behind (nobody served its removal): clean up after the test.
      for (const id of containersOf(input.runId)) execFileSync('docker', ['rm', '-f', id], { stdio: 'ignore' });
      rmSync(path.join(root, 'host-a'), { recursive: true, force: true });
    }
  });
});
