// Liveness beats: every harness activity the workflow gives a heartbeat timeout is beaten for while
// it runs, so a silent step (a test command that prints nothing for minutes) is not taken for a dead
// worker; the agent activities, which beat their own stream cursor, are left alone.
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import * as harnessActivities from '../../../activities/harness/index.js';
import { LIVENESS_ONLY, livenessHeartbeat } from '../../../activities/liveness.js';

function silentActivity(activityType: string) {
  return new MockActivityEnvironment({ activityType, heartbeatTimeoutMs: 300 }, { interceptors: [livenessHeartbeat] });
}

describe('liveness heartbeats', () => {
  it('cover every activity of the harness workflow (and its merge steps)', () => {
    const names = [...Object.keys(harnessActivities), 'mergeBranches', 'checkBranchOwnership'];
    expect(names.filter((n) => !LIVENESS_ONLY.has(n))).toEqual([]);
  });

  it('beat for a silent CHECK until it ends (it waits here for its third beat)', async () => {
    const env = silentActivity('runCheck');
    let beats = 0;
    const third = new Promise<void>((resolve) => env.on('heartbeat', () => ++beats === 3 && resolve()));
    await env.run(() => third);
    expect(beats).toBe(3);
  });

  it('leave the agent activity alone: it beats its own stream cursor', async () => {
    const env = silentActivity('runAgentTask');
    let beats = 0;
    env.on('heartbeat', () => beats++);
    await env.run(() => new Promise((resolve) => setTimeout(resolve, 1_000)));
    expect(beats).toBe(0);
  });
});
