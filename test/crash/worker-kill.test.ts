// Crash matrix, worker rows: a `dkmv worker` process started with the crash TEST HOOK stops at a
// named step (activities/test-hooks.ts); the test SIGKILLs it there and starts a plain worker on the
// same queues. Each run must complete, with its commit pushed, its run record whole, no container
// left, and the agent started exactly once (the mock's first-turn requests for the row's session).
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DKMV_HOME } from '../../core/project.js';
import { componentWorkflow } from '../../workflows/index.js';
import { branchLog, fileOnBranch, makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';
import { testClient } from '../support/temporal.js';
import {
  agentStarts,
  containersOf,
  CRASHY,
  sessionOf,
  spawnWorker,
  stopWorkers,
  waitForFile,
  writeScript,
  type RowScript,
} from './support.js';

/** Step → where the hook stops (activity names or the same points inside finishTask, `push` inside the commit, the final record write). */
const STEPS = {
  'sandbox creation': 'createSandbox',
  'task preparation': 'prepareTask',
  'agent start': 'runAgentTask',
  'output check': 'checkOutputs',
  commit: 'commitTask',
  push: 'push',
  'run-record write': 'writeRunRecord.final',
} as const;

const rows: Record<string, RowScript> = Object.fromEntries(Object.values(STEPS).map((s) => [s, {}]));

let client: Client;
let closeClient: () => Promise<void>;
let mock: Mock;
let root: string;

beforeAll(async () => {
  ({ client, close: closeClient } = await testClient());
  root = tempDir('crash-worker');
  mock = await startMock(writeScript(root, rows), root);
  // Compile the CLI once, before several worker processes would each find it stale.
  execFileSync(process.execPath, [path.join(DKMV_HOME, 'bin/dkmv.js'), '--version'], { stdio: 'ignore' });
});
afterAll(async () => {
  await mock?.close();
  await closeClient?.();
});

describe.concurrent('worker SIGKILL during each step of a task', () => {
  for (const [label, step] of Object.entries(STEPS)) {
    it(`${label}: the run completes, pushed, agent started once`, async () => {
      const dir = path.join(root, step);
      mkdirSync(dir, { recursive: true });
      const bare = makeBareRepo(dir);
      const branch = `crash/${step.replace(/\W/g, '-').toLowerCase()}`;
      const input = runInput({
        component: CRASHY,
        repo: bare,
        branch,
        projectRoot: path.join(dir, 'project'),
        modelUrl: mock.url,
        vars: { row: step },
        heartbeatTimeoutSeconds: 5,
      });
      mkdirSync(input.runDir, { recursive: true }); // as the CLI does
      const taskQueue = `crash-${step.replace(/\W/g, '')}-${Date.now()}`;
      const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), DKMV_TASK_QUEUE: taskQueue };
      const workers: ChildProcess[] = [spawnWorker({ ...env, DKMV_TEST_HOOK_PAUSE_AT: step, DKMV_TEST_HOOK_DIR: dir })];
      try {
        const handle = await client.workflow.start(componentWorkflow, {
          workflowId: input.runId,
          taskQueue,
          args: [input],
        });
        await waitForFile(path.join(dir, `${step}.reached`));
        workers[0]?.kill('SIGKILL');
        workers.push(spawnWorker(env));
        const view = await handle.result();
        expect(view.status).toBe('completed');
        expect(view.tasks.map((t) => t.status)).toEqual(['completed']);
        // the agent was started once, whatever step the worker died in
        expect(agentStarts(mock, sessionOf(rows, step))).toBe(1);
        // the work is pushed, once
        expect(branchLog(bare, branch)).toEqual(['dkmv: crashy', 'initial']);
        expect(fileOnBranch(bare, branch, 'src/work.txt')).toBe(`${step}\n`);
        // the run record is whole and final; no temporary file is left behind
        const result = JSON.parse(readFileSync(path.join(input.runDir, 'result.json'), 'utf8'));
        expect(result).toMatchObject({ run_id: input.runId, status: 'completed' });
        expect(readdirSync(input.runDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
        expect(containersOf(input.runId)).toEqual([]);
        // the retried attempt really ran on the second worker (the first one died holding it)
        const history = await handle.fetchHistory();
        const attempts = (history.events ?? []).flatMap((e) => e.activityTaskStartedEventAttributes?.attempt ?? []);
        expect(Math.max(...attempts)).toBeGreaterThan(1);
      } finally {
        await stopWorkers(workers);
        expect(existsSync(path.join(dir, `${step}.reached`))).toBe(true);
      }
    });
  }
});
