// One attempt at a time: a retry of a short activity (its heartbeat timed out while the worker was
// only slow) waits for the earlier attempt still running in this worker, so two attempts never work
// on one sandbox folder at once; other activities and other runs are not held up.
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { oneAttemptAtATime } from '../../../activities/one-attempt.js';

function attempt(activityType: string, attemptNo: number, workflowId = 'wf-1') {
  return new MockActivityEnvironment(
    { activityType, activityId: '7', attempt: attemptNo, workflowExecution: { workflowId, runId: 'r-1' } },
    { interceptors: [oneAttemptAtATime] },
  );
}

/** A step the test ends when it wants; `started` says whether the activity body began. */
function step() {
  let end!: () => void;
  const ended = new Promise<void>((r) => (end = r));
  const state = { started: false };
  return { state, end, body: async () => ((state.started = true), await ended, 'done') };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('one attempt at a time', () => {
  it('a retry of createSandbox starts only after the earlier attempt ended; a third queues behind it', async () => {
    const first = step();
    const second = step();
    const third = step();
    const one = attempt('createSandbox', 1).run(first.body);
    await tick();
    const two = attempt('createSandbox', 2).run(second.body);
    const three = attempt('createSandbox', 3).run(third.body);
    await tick();
    expect([first.state.started, second.state.started, third.state.started]).toEqual([true, false, false]);
    first.end();
    await one;
    await tick();
    expect([second.state.started, third.state.started]).toEqual([true, false]);
    second.end();
    await two;
    await tick();
    expect(third.state.started).toBe(true);
    third.end();
    expect(await three).toBe('done');
  });

  it('a failed earlier attempt releases the next one, which returns its own result', async () => {
    const first = attempt('finishTask', 1).run(async () => {
      await tick();
      throw new Error('first attempt failed');
    });
    const second = attempt('finishTask', 2).run(async () => 'second');
    await expect(first).rejects.toThrow('first attempt failed');
    expect(await second).toBe('second');
  });

  it('does not hold up another run, or the agent activity (it re-attaches on its own)', async () => {
    const first = step();
    const one = attempt('createSandbox', 1).run(first.body);
    const other = step();
    const elsewhere = attempt('createSandbox', 1, 'wf-2').run(other.body);
    const agentFirst = step();
    const agentRetry = step();
    const agents = [attempt('runAgentTask', 1).run(agentFirst.body), attempt('runAgentTask', 2).run(agentRetry.body)];
    await tick();
    expect([other.state.started, agentRetry.state.started]).toEqual([true, true]);
    for (const s of [first, other, agentFirst, agentRetry]) s.end();
    await Promise.all([one, elsewhere, ...agents]);
  });
});
