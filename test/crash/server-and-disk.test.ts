// Crash matrix, the platform under the run: the Temporal dev server SIGKILLed mid-run and restarted
// on the same database file, and a full disk where the worker keeps its sandboxes and the run folder
// (a 24 MB tmpfs mounted for the test). Each row has its own worker process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { devServerArgs, waitForServer } from '../../cli/stack/dev-server.js';
import { requireTemporalCli } from '../../cli/stack/temporal-cli.js';
import { DKMV_HOME } from '../../core/project.js';
import { componentWorkflow } from '../../workflows/index.js';
import { branchLog, makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';
import { testClient } from '../support/temporal.js';
import {
  agentStarts,
  containersOf,
  CRASHY,
  failureOf,
  MID_TURN,
  sessionOf,
  spawnWorker,
  stopWorkers,
  writeScript,
  TurnGate,
  type RowScript,
} from './support.js';

const rows: Record<string, RowScript> = { 'server-kill': {}, 'disk-full': {} };
const gate = new TurnGate();

let mock: Mock;
let root: string;

beforeAll(async () => {
  root = tempDir('crash-platform');
  mock = await startMock(writeScript(root, rows), root, gate.beforeTurn);
  execFileSync(process.execPath, [path.join(DKMV_HOME, 'bin/dkmv.js'), '--version'], { stdio: 'ignore' });
});
afterAll(async () => {
  await mock?.close();
});

describe.concurrent('platform faults', () => {
  it('Temporal server SIGKILLed mid-turn, restarted on its database file: the run completes, agent started once', async () => {
    const dir = path.join(root, 'server-kill');
    mkdirSync(dir, { recursive: true });
    const port = await getPort({ host: '127.0.0.1' });
    const address = `127.0.0.1:${port}`;
    const args = devServerArgs({
      port,
      headless: true,
      dbFile: path.join(dir, 'temporal.db'),
      logFile: path.join(dir, 'server.log'),
    });
    const startServer = async (): Promise<ChildProcess> => {
      const child = spawn(requireTemporalCli(), args, { stdio: 'ignore' });
      await waitForServer(address, 60_000, () => child.exitCode === null);
      return child;
    };
    const servers = [await startServer()];
    const taskQueue = `crash-server-${Date.now()}`;
    const workers = [
      spawnWorker({ TEMPORAL_ADDRESS: address, DKMV_TASK_QUEUE: taskQueue }, path.join(dir, 'worker.log')),
    ];
    const bare = makeBareRepo(dir);
    const input = runInput({
      component: CRASHY,
      repo: bare,
      branch: 'crash/server-kill',
      projectRoot: path.join(dir, 'project'),
      modelUrl: mock.url,
      vars: { row: 'server-kill' },
      heartbeatTimeoutSeconds: 5,
    });
    mkdirSync(input.runDir, { recursive: true });
    const session = sessionOf(rows, 'server-kill');
    const held = gate.hold(session, MID_TURN);
    try {
      let connection = await Connection.connect({ address });
      await new Client({ connection }).workflow.start(componentWorkflow, {
        workflowId: input.runId,
        taskQueue,
        args: [input],
      });
      await connection.close();
      await held.arrived;
      servers[0]?.kill('SIGKILL');
      await new Promise((r) => servers[0]?.once('exit', r));
      held.release(); // the agent goes on while the server is down
      await new Promise((r) => setTimeout(r, 2000));
      servers.push(await startServer());
      // The worker process reconnects by itself (its pollers retry); it must still be alive.
      connection = await Connection.connect({ address });
      try {
        const view = await new Client({ connection }).workflow.getHandle(input.runId).result();
        expect(view.status).toBe('completed');
      } finally {
        await connection.close();
      }
      expect(workers[0]?.exitCode).toBeNull();
      expect(agentStarts(mock, session)).toBe(1);
      expect(branchLog(bare, 'crash/server-kill')).toEqual(['dkmv: crashy', 'initial']);
      expect(containersOf(input.runId)).toEqual([]);
    } finally {
      await stopWorkers(workers);
      for (const s of servers) {
        if (s.exitCode !== null || s.signalCode !== null) continue;
        s.kill('SIGTERM');
        await new Promise((r) => s.once('exit', r));
      }
    }
  });

  it('disk full under the sandbox folder and the run folder: clear error, no corrupt run record', async () => {
    const dir = path.join(root, 'disk-full');
    const disk = path.join(dir, 'disk');
    mkdirSync(disk, { recursive: true });
    // Needs root (the e2e machine runs as root); a tmpfs of fixed size is a disk that really fills.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', disk]);
    const { client, close } = await testClient();
    const taskQueue = `crash-disk-${Date.now()}`;
    const workers = [
      spawnWorker(
        {
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          DKMV_TASK_QUEUE: taskQueue,
          DKMV_SANDBOX_DIR: path.join(disk, 'sandboxes'),
        },
        path.join(dir, 'worker.log'),
      ),
    ];
    const session = sessionOf(rows, 'disk-full');
    const held = gate.hold(session, MID_TURN);
    try {
      const bare = makeBareRepo(dir);
      const input = runInput({
        component: CRASHY,
        repo: bare,
        branch: 'crash/disk-full',
        projectRoot: path.join(disk, 'project'),
        modelUrl: mock.url,
        vars: { row: 'disk-full' },
        heartbeatTimeoutSeconds: 5,
      });
      mkdirSync(input.runDir, { recursive: true });
      const handle = await client.workflow.start(componentWorkflow, {
        workflowId: input.runId,
        taskQueue,
        args: [input],
      });
      // While the agent writes its output, something else fills the disk to the last byte.
      await held.arrived;
      const filler = path.join(disk, 'filler');
      try {
        execFileSync('sh', ['-c', `head -c 64m /dev/zero > ${filler}`], { stdio: 'ignore' });
      } catch {
        // ENOSPC: the disk is full, as intended
      }
      held.release();
      const err = await handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      const message = failureOf(err);
      expect(message).toMatch(
        /^task crashy: no space left on device \(ENOSPC\) during \w+: the disk holding the sandbox folder/,
      );
      expect(message).not.toMatch(/^\s+at /m); // a message, not a stack trace
      // Whatever record files exist are whole JSON (atomic writes), and no temporary file is left.
      for (const name of ['result.json', 'tasks_result.json']) {
        const file = path.join(input.runDir, name);
        if (existsSync(file)) expect(() => JSON.parse(readFileSync(file, 'utf8')), name).not.toThrow();
      }
      expect(readdirSync(input.runDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(containersOf(input.runId)).toEqual([]);
      expect(agentStarts(mock, session)).toBe(1);
      writeFileSync(path.join(dir, 'message.txt'), message);
    } finally {
      await stopWorkers(workers);
      await close();
      execFileSync('umount', ['-l', disk]);
    }
  });
});
