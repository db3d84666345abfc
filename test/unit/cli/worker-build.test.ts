// `dkmv up` and a stack worker of another version or install: which build it runs (its poller
// identity, else its command line) and whether it is kept, restarted, or held by runs in flight.
import { describe, expect, it } from 'vitest';
import { runningBuild, workerPlan } from '../../../cli/stack/worker-build.js';

const mine = { version: '0.2.0', home: '/opt/dkmv-new' };
const run = (id: string) => ({
  id,
  what: 'plan on feat/x',
  status: 'awaiting_input',
  startedAt: '2026-01-01T00:00:00Z',
});

describe('workerPlan', () => {
  it('keeps a worker of this build, or one whose build is unknown', () => {
    expect(workerPlan({ version: '0.2.0', home: '/opt/dkmv-new' }, mine, [run('a')])).toEqual({ action: 'keep' });
    expect(workerPlan({ home: '/opt/dkmv-new' }, mine, [])).toEqual({ action: 'keep' });
    expect(workerPlan(undefined, mine, [])).toEqual({ action: 'keep' });
  });

  it('restarts a worker of another version or install when no run is in flight', () => {
    const other = workerPlan({ version: '0.1.0', home: '/opt/dkmv-new' }, mine, []);
    expect(other).toMatchObject({ action: 'restart' });
    expect(other.action === 'restart' && other.why).toBe(
      "the stack's worker runs dkmv v0.1.0 from /opt/dkmv-new; this CLI is dkmv v0.2.0 from /opt/dkmv-new: restarting it",
    );
    expect(workerPlan({ home: '/home/me/checkout' }, mine, [])).toMatchObject({ action: 'restart' });
  });

  it('keeps it while runs are in flight and names them', () => {
    const plan = workerPlan({ version: '0.1.0', home: '/opt/dkmv-old' }, mine, [run('r1'), run('r2')]);
    expect(plan).toMatchObject({ action: 'held', runs: [{ id: 'r1' }, { id: 'r2' }] });
    expect(plan.action === 'held' && plan.why).toContain('2 runs are in flight on it, so it keeps running: r1, r2.');
  });
});

describe('runningBuild', () => {
  it("reads the worker's own poller identity, not another worker's", () => {
    const polling = [
      { identity: 'dkmv-worker@vm:41 v0.1.0 (/opt/a)', lastSeen: '' },
      { identity: 'dkmv-worker@vm:4242 v0.3.0 (/opt/b)', lastSeen: '' },
    ];
    expect(runningBuild(4242, polling)).toEqual({ version: '0.3.0', home: '/opt/b' });
    expect(runningBuild(41, polling)).toEqual({ version: '0.1.0', home: '/opt/a' });
  });

  it('falls back to the command line of the process (no identity seen): this test runner is not dkmv', () => {
    expect(runningBuild(process.pid, [])).toBeUndefined();
  });
});
