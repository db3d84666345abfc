// runAgentTask and runScriptTask at their own level (MockActivityEnvironment, no Docker): a retried
// attempt finds the process an earlier attempt started (its pid file), re-attaches instead of
// starting it again, copies only what the earlier attempt had not copied (its heartbeat cursor),
// and heartbeats a typed cursor while it follows the process.
import { appendFileSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runAgentTask } from '../../../activities/engine/run-agent.js';
import { runScriptTask } from '../../../activities/engine/run-script.js';
import type { TaskRunResult } from '../../../core/engine/run-types.js';
import { agentInput, preparedTask, resumedEnv, scene, startedProcess, type Scene } from './activity-helpers.js';

// The container: nothing may be started in it (re-attach only); it is always running.
const exec = vi.hoisted(() => ({ started: [] as string[][], probed: 0 }));
vi.mock('../../../activities/sandbox/exec.js', () => ({
  execDetached: async (_id: string, cmd: string[]) => {
    exec.started.push(cmd);
  },
  execIn: async (_id: string, cmd: string[]) => {
    exec.started.push(cmd);
    return { exitCode: 0, stdout: '', stderr: '' };
  },
  assertContainerRunning: async () => {
    exec.probed += 1;
  },
}));

const FIXTURE = path.join(import.meta.dirname, '../agents/fixtures/claude-success.jsonl');
const STREAM = readFileSync(FIXTURE);
const LINES = STREAM.toString('utf8').split('\n').filter(Boolean);

function taskControl(s: Scene, slot: string): string {
  const dir = path.join(s.layout.control, slot);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'env.json'), '{}');
  return dir;
}

beforeEach(() => {
  exec.started = [];
  exec.probed = 0;
});

describe('runAgentTask resumes from its heartbeat cursor', () => {
  it('re-attaches to a finished agent: no new start, only the uncopied lines reach stream.jsonl', async () => {
    const s = scene();
    taskControl(s, 'work');
    startedProcess(path.join(s.layout.control, 'work', 'agent'), STREAM, 0);
    // The earlier attempt had copied the first two lines before its worker died.
    const copied = Buffer.byteLength(`${LINES[0]}\n${LINES[1]}\n`);
    const { env } = resumedEnv({ task: 'work', copied, turns: 1, costUsd: 0.01 });
    const result: TaskRunResult = await env.run(runAgentTask, agentInput(s, preparedTask()));
    expect(exec.started).toEqual([]); // the agent was not started again
    expect(result.status).toBe('completed');
    expect(result.turns).toBeGreaterThan(1); // the whole stream counts, not only the uncopied part
    expect(result.sessionId).toBeTruthy();
    const copiedNow = readFileSync(path.join(s.runDir, 'stream.jsonl'), 'utf8')
      .replace(/,"_ts":"[^"]*"/g, '')
      .split('\n')
      .filter(Boolean);
    expect(copiedNow).toEqual(LINES.slice(2));
  });

  it('follows a still-running agent and heartbeats a typed cursor until it exits', async () => {
    const s = scene();
    taskControl(s, 'work');
    const dir = path.join(s.layout.control, 'work', 'agent');
    const half = Math.ceil(LINES.length / 2);
    startedProcess(dir, `${LINES.slice(0, half).join('\n')}\n`);
    const copied = Buffer.byteLength(`${LINES[0]}\n`);
    const { env, beats } = resumedEnv({ task: 'work', copied, turns: 0, costUsd: 0 });
    const finish = setTimeout(() => {
      appendFileSync(path.join(dir, 'stdout'), `${LINES.slice(half).join('\n')}\n`);
      writeFileSync(path.join(dir, 'exit_code'), '0\n');
    }, 1500);
    try {
      const result: TaskRunResult = await env.run(runAgentTask, agentInput(s, preparedTask()));
      expect(result.status).toBe('completed');
    } finally {
      clearTimeout(finish);
    }
    expect(exec.started).toEqual([]);
    expect(beats.length).toBeGreaterThan(0);
    const first = beats[0];
    expect(first?.task).toBe('work');
    expect(first?.copied).toBe(Buffer.byteLength(`${LINES.slice(0, half).join('\n')}\n`));
    expect(first?.turns).toBeGreaterThanOrEqual(1);
    const copiedNow = readFileSync(path.join(s.runDir, 'stream.jsonl'), 'utf8')
      .replace(/,"_ts":"[^"]*"/g, '')
      .split('\n')
      .filter(Boolean);
    expect(copiedNow).toEqual(LINES.slice(1));
  });
});

describe('runScriptTask resumes from its heartbeat cursor', () => {
  it('re-attaches to a finished script and appends only the unseen part of its log', async () => {
    const s = scene();
    const control = taskControl(s, 'gate');
    writeFileSync(path.join(control, 'script.sh'), 'echo one; echo two; echo three\n');
    startedProcess(path.join(control, 'script'), 'one\ntwo\nthree\n', 0);
    const { env } = resumedEnv({ task: 'gate', copied: Buffer.byteLength('one\n'), turns: 0, costUsd: 0 });
    const result: TaskRunResult = await env.run(
      runScriptTask,
      agentInput(s, preparedTask({ slotId: 'gate', kind: 'run' })),
    );
    expect(exec.started).toEqual([]);
    expect(result.status).toBe('completed');
    expect(readFileSync(path.join(s.runDir, 'script_gate.log'), 'utf8')).toBe('two\nthree\n');
  });

  it('a script that exited non-zero fails with the tail of its output', async () => {
    const s = scene();
    const control = taskControl(s, 'gate');
    writeFileSync(path.join(control, 'script.sh'), 'false\n');
    startedProcess(path.join(control, 'script'), 'lint: 3 problems\n', 1);
    const { env } = resumedEnv();
    const result: TaskRunResult = await env.run(
      runScriptTask,
      agentInput(s, preparedTask({ slotId: 'gate', kind: 'run' })),
    );
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/exited with code 1:\nlint: 3 problems/);
    expect(existsSync(path.join(s.runDir, 'script_gate.log'))).toBe(true);
  });
});
