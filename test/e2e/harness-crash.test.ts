// Crash: SIGKILL the worker while the 3 generator children of a harness are mid-turn, start a new
// worker: the build completes, no agent is started twice (the mock's first-turn requests per session),
// and every unit lands once. Real worker processes, containers, Claude Code and git.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { makeThrowawayRepo } from '../../cli/test-run/repo.js';
import { FIXTURE_PROMPT, FIXTURE_SCRIPT, FIXTURE_SEED } from '../../cli/commands/harness-test.js';
import type { HarnessInput } from '../../core/harness/types.js';
import { DKMV_HOME } from '../../core/project.js';
import { harnessWorkflow } from '../../workflows/index.js';
import { startMock, tempDir, type Mock } from '../support/e2e.js';
import { testClient } from '../support/temporal.js';

let client: Client;
let closeClient: () => Promise<void>;
let mock: Mock;
let root: string;

/** The shipped script with slow generator turns, so all three are mid-turn when the worker dies. */
function slowScript(dir: string): string {
  const script = parse(readFileSync(FIXTURE_SCRIPT, 'utf8')) as { sessions: { match: string; delay_ms?: number }[] };
  for (const s of script.sessions) if (s.match.includes('role=generator')) s.delay_ms = 2500;
  const file = path.join(dir, 'slow-tiny-app.yaml');
  writeFileSync(file, stringify(script));
  return file;
}

beforeAll(async () => {
  ({ client, close: closeClient } = await testClient());
  root = tempDir('harness-crash');
  mock = await startMock(slowScript(root), root);
});
afterAll(async () => {
  await mock?.close();
  await closeClient?.();
});

const firstTurns = (session: number): number =>
  mock.requests().filter((r) => r.session === session && r.turn === 0).length;

describe('harness durability', () => {
  it('survives a SIGKILLed worker while 3 generators run, starting no agent twice', async () => {
    const taskQueue = `harness-crash-${Date.now()}`;
    const spawnWorker = (): ChildProcess =>
      spawn(process.execPath, [path.join(DKMV_HOME, 'bin/dkmv.js'), 'worker'], {
        env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), DKMV_TASK_QUEUE: taskQueue },
        stdio: 'ignore',
      });
    const repo = makeThrowawayRepo(root, FIXTURE_SEED);
    const runId = `${new Date().toISOString().slice(2, 10).replace(/-/g, '')}-0000-harness-crash-${Date.now().toString(16).slice(-4)}`;
    const input: HarnessInput = {
      runId,
      prompt: FIXTURE_PROMPT,
      repo,
      branch: 'crash/harness',
      image: process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest',
      memory: '2g',
      modelUrl: mock.url,
      runDir: path.join(root, 'runs', runId),
      projectRoot: root,
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
    const workers: ChildProcess[] = [spawnWorker()];
    try {
      const handle = await client.workflow.start(harnessWorkflow, { workflowId: runId, taskQueue, args: [input] });
      // sessions 1–3 are the generators: wait until each agent has asked for its second turn
      const deadline = Date.now() + 300_000;
      while (![1, 2, 3].every((s) => mock.requests().some((r) => r.session === s && r.turn === 1))) {
        if (Date.now() > deadline) throw new Error('the generators never got going');
        await new Promise((r) => setTimeout(r, 200));
      }
      workers[0]?.kill('SIGKILL');
      workers.push(spawnWorker());
      const view = await handle.result();
      expect(view.status).toBe('completed');
      expect(view.units.map((u) => [u.id, u.status, u.attempts.length])).toEqual([
        ['WU-01', 'landed', 1],
        ['WU-02', 'landed', 1],
        ['WU-03', 'landed', 1],
      ]);
      // each agent (planner, 3 generators) was started exactly once: the new worker re-attached
      expect([0, 1, 2, 3].map(firstTurns)).toEqual([1, 1, 1, 1]);
    } finally {
      for (const w of workers) {
        if (w.exitCode !== null || w.signalCode !== null) continue;
        w.kill('SIGTERM');
        await new Promise((r) => w.once('exit', r));
      }
    }
  });
});
