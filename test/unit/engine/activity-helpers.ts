// Shared set-up for engine activity unit tests: a sandbox folder layout in a temp dir (no Docker),
// the inputs the activities take, and the heartbeats a MockActivityEnvironment reports.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { PreparedTask, RunAgentInput, SandboxHandle } from '../../../core/engine/activity-types.js';
import { readHeartbeatCursor, type HeartbeatCursor } from '../../../core/temporal/payloads.js';
import { sandboxLayout } from '../../../activities/sandbox/layout.js';

export interface Scene {
  root: string;
  runDir: string;
  sandbox: SandboxHandle;
  layout: ReturnType<typeof sandboxLayout>;
}

/** A sandbox's host folders (workspace, control) under a fresh DKMV_SANDBOX_DIR. */
export function scene(): Scene {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-engine-unit-'));
  process.env.DKMV_SANDBOX_DIR = path.join(root, 'sandboxes');
  const sandbox: SandboxHandle = {
    sandboxId: 'run-1',
    containerId: 'cid-run-1',
    containerName: 'dkmv-run-1',
    branchCreated: true,
    head: '0000000',
    hostTaskQueue: 'dkmv@test',
  };
  const layout = sandboxLayout(sandbox.sandboxId);
  mkdirSync(layout.workspace, { recursive: true });
  mkdirSync(layout.control, { recursive: true });
  return { root, runDir: path.join(root, 'run'), sandbox, layout };
}

export function preparedTask(extra: Partial<PreparedTask> = {}): PreparedTask {
  return {
    slotId: 'work',
    name: 'work',
    kind: 'agent',
    commit: true,
    push: true,
    pauseAfter: false,
    agent: 'claude',
    model: 'claude-sonnet-4-6',
    maxTurns: 10,
    timeoutMinutes: 5,
    outputs: [],
    ...extra,
  };
}

export function agentInput(s: Scene, task: PreparedTask): RunAgentInput {
  // Only the fields these activities read; the rest of the run reference is not theirs.
  const run = {
    runId: 'run-1',
    runDir: s.runDir,
    repo: '/tmp/r.git',
    branch: 'b',
    modelUrl: 'http://127.0.0.1:1',
    contextPaths: [],
  };
  return { run: run as unknown as RunAgentInput['run'], sandbox: s.sandbox, task };
}

/**
 * The control folder of a detached process that already started (pid file present): an earlier
 * attempt's process the next attempt re-attaches to.
 */
export function startedProcess(dir: string, stdout: string | Buffer, exitCode?: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'pid'), '4242\n');
  writeFileSync(path.join(dir, 'started_at'), String(Date.now()));
  writeFileSync(path.join(dir, 'stdout'), stdout);
  writeFileSync(path.join(dir, 'stderr'), '');
  if (exitCode !== undefined) writeFileSync(path.join(dir, 'exit_code'), `${exitCode}\n`);
}

/** An activity environment resuming from `cursor`, collecting every heartbeat it reports. */
export function resumedEnv(cursor?: HeartbeatCursor): { env: MockActivityEnvironment; beats: HeartbeatCursor[] } {
  const env = new MockActivityEnvironment(cursor ? { heartbeatDetails: cursor } : {});
  const beats: HeartbeatCursor[] = [];
  env.on('heartbeat', (d: unknown) => {
    const c = readHeartbeatCursor(d);
    if (c) beats.push(c);
  });
  return { env, beats };
}
