// The failure protocol: the activity boundary maps every error to retryable / non-retryable by
// rule, and the predicates workflow code uses read failures (and what a lost attempt spent) back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  RetryState,
  TimeoutFailure,
  TimeoutType,
} from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { rememberSecrets } from '../../../activities/engine/secrets.js';
import { failureBoundary, toActivityError } from '../../../activities/failure-boundary.js';
import { mergeBranches } from '../../../activities/merge/index.js';
import { UserError } from '../../../core/errors.js';
import {
  dkmvFailure,
  failureMessage,
  FailureType,
  isHostLost,
  isSandboxGone,
  isSandboxLost,
  lostWorkOf,
  sandboxLost,
} from '../../../core/failures/index.js';
import { writeHeartbeatCursor } from '../../../core/temporal/payloads.js';

const asFailure = (err: unknown) => err as ApplicationFailure;

/** What workflow code catches when an activity fails with `cause`. */
function activityFailure(cause: Error): ActivityFailure {
  return new ActivityFailure(
    'activity failed',
    'runAgentTask',
    '7',
    RetryState.NON_RETRYABLE_FAILURE,
    undefined,
    cause,
  );
}

describe('activity boundary', () => {
  it('makes a user error non-retryable, with its location and hint', () => {
    const err = new UserError('bad field', { location: { file: 'a.yaml', line: 3 }, hint: 'fix it' });
    const out = asFailure(toActivityError(err));
    expect(out).toBeInstanceOf(ApplicationFailure);
    expect(out.type).toBe(FailureType.UserInput);
    expect(out.nonRetryable).toBe(true);
    expect(out.message).toBe('a.yaml:3: bad field\n  hint: fix it');
  });

  it('enforces the rule of a known type even when the thrower said "retryable"', () => {
    const thrown = ApplicationFailure.retryable('gone', FailureType.SandboxLost, { turns: 2, costUsd: 0.5 });
    const out = asFailure(toActivityError(thrown));
    expect(out.nonRetryable).toBe(true);
    expect(out.type).toBe(FailureType.SandboxLost);
    expect(out.details).toEqual([{ turns: 2, costUsd: 0.5 }]);
  });

  it('leaves retryable kinds retryable (git, unknown errors) and redacts secrets from their messages', () => {
    expect(asFailure(toActivityError(dkmvFailure(FailureType.GitFailed, 'push failed'))).nonRetryable).toBe(false);
    rememberSecrets(['sk-unit-test-secret-123456']);
    const out = asFailure(toActivityError(new Error('request with sk-unit-test-secret-123456 failed')));
    expect(out.nonRetryable).toBe(false);
    expect(out.message).not.toContain('sk-unit-test-secret-123456');
    expect(out.stack ?? '').not.toContain('sk-unit-test-secret-123456');
  });

  it("passes cancellation and Temporal's own failures through untouched", () => {
    const cancelled = new CancelledFailure('CANCELLED');
    expect(toActivityError(cancelled)).toBe(cancelled);
  });

  it('is what every activity call crosses: a merge refused for a dirty tree is not retried', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-boundary-merge-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], { cwd: dir });
    git('init', '-q', '-b', 'main');
    writeFileSync(path.join(dir, 'a.txt'), 'a\n');
    git('add', '.');
    git('commit', '-qm', 'one');
    git('branch', 'side');
    writeFileSync(path.join(dir, 'a.txt'), 'dirty\n');
    const env = new MockActivityEnvironment({}, { interceptors: [failureBoundary] });
    const err = await env.run(mergeBranches, { repoDir: dir, target: 'main', source: 'side' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(asFailure(err).type).toBe(FailureType.UserInput);
    expect(asFailure(err).nonRetryable).toBe(true);
    expect(asFailure(err).message).toMatch(/uncommitted changes/);
  });

  it('a full disk stops the activity at once, saying where space ran out (a retry meets the same disk)', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const env = new MockActivityEnvironment({}, { interceptors: [failureBoundary] });
    const err = await env.run(async () => Promise.reject(full)).catch((e: unknown) => e);
    expect(asFailure(err).type).toBe(FailureType.DiskFull);
    expect(asFailure(err).nonRetryable).toBe(true);
    expect(asFailure(err).message).toMatch(/^no space left on device \(ENOSPC\) during .*free space there/);
  });
});

describe('failure predicates', () => {
  it('a lost container carries what its agent spent', () => {
    const err = activityFailure(sandboxLost('container gone', { turns: 3, costUsd: 0.2 }));
    expect(isSandboxLost(err)).toBe(true);
    expect(isHostLost(err)).toBe(false);
    expect(isSandboxGone(err)).toBe(true);
    expect(lostWorkOf(err)).toEqual({ turns: 3, costUsd: 0.2 });
    expect(failureMessage(err)).toBe('container gone');
  });

  it('a schedule-to-start timeout is a lost host; the last heartbeat says what was spent', () => {
    const cursor = writeHeartbeatCursor({ task: 'a', copied: 100, turns: 2, costUsd: 0.07, last: 'Bash ls' });
    const err = activityFailure(new TimeoutFailure('timed out', cursor, TimeoutType.SCHEDULE_TO_START));
    expect(isHostLost(err)).toBe(true);
    expect(isSandboxGone(err)).toBe(true);
    expect(isSandboxLost(err)).toBe(false);
    expect(lostWorkOf(err)).toEqual({ turns: 2, costUsd: 0.07 });
    expect(failureMessage(err)).toMatch(/did not pick up its work in time/);
  });

  it('other timeouts and failures are not a lost sandbox', () => {
    const heartbeat = activityFailure(new TimeoutFailure('hb', undefined, TimeoutType.HEARTBEAT));
    expect(isSandboxGone(heartbeat)).toBe(false);
    const invalid = activityFailure(dkmvFailure(FailureType.TaskInvalid, 'bad task'));
    expect(isSandboxGone(invalid)).toBe(false);
    expect(lostWorkOf(invalid)).toBeUndefined();
    expect(lostWorkOf(activityFailure(sandboxLost('gone')))).toBeUndefined(); // nothing spent yet
  });
});
