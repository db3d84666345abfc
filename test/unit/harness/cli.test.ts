// `dkmv harness` input checks (bad input is a UserError with exit code 2, before anything starts)
// and `dkmv harness continue` (plan read back from the branch, only unlanded units re-dispatched).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { continueHarness } from '../../../cli/commands/harness-continue.js';
import { parseRoleFlags, prepareHarness, type HarnessFlags } from '../../../cli/commands/harness-start.js';
import { UserError } from '../../../core/errors.js';
import type { HarnessInput } from '../../../core/harness/types.js';
import { fixturePlan } from './fixture-plan.js';

const repo = mkdtempSync(path.join(os.tmpdir(), 'dkmv-harness-cli-'));
execFileSync('git', ['init', '-q', '--bare', repo]);
const base: HarnessFlags = { role: [], wait: true, branch: 'feat/x', repo };

async function userError(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).exitCode).toBe(2);
  return err as UserError;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('dkmv harness: bad input', () => {
  it('names the flag and how to fix it', async () => {
    expect((await userError(prepareHarness('  ', base))).message).toBe('the harness needs a prompt');
    expect((await userError(prepareHarness('x', { ...base, branch: undefined }))).message).toBe('--branch is required');
    expect((await userError(prepareHarness('x', { ...base, maxParallel: '0' }))).message).toContain('--max-parallel 0');
    expect((await userError(prepareHarness('x', { ...base, maxBudgetUsd: 'lots' }))).message).toContain(
      '--max-budget-usd lots',
    );
    expect((await userError(prepareHarness('x', { ...base, profile: 'cheap' }))).hint).toContain(
      'quality, balanced, budget',
    );
    expect((await userError(prepareHarness('x', { ...base, prd: '/nope/prd.md' }))).message).toBe(
      '--prd /nope/prd.md: no such file',
    );
  });

  it('parses --role ROLE.KEY=VALUE and rejects unknown roles, keys and agents', () => {
    expect(parseRoleFlags(['generator.agent=codex', 'planner.max_turns=40'])).toEqual({
      generator: { agent: 'codex' },
      planner: { maxTurns: 40 },
    });
    expect(() => parseRoleFlags(['evaluator.model=x'])).toThrow(/unknown role or setting/);
    expect(() => parseRoleFlags(['generator.colour=red'])).toThrow(/unknown role or setting/);
    expect(() => parseRoleFlags(['generator.agent=gemini'])).toThrow(/not an agent/);
  });
});

describe('dkmv harness continue', () => {
  it('starts a new run from the plan on the branch, re-dispatching only unlanded units', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-continue-test-'));
    const bare = path.join(root, 'remote.git');
    const seed = path.join(root, 'seed');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
    execFileSync('git', ['init', '-q', '-b', 'feat/x', seed]);
    mkdirSync(path.join(seed, 'docs/harness'), { recursive: true });
    writeFileSync(path.join(seed, 'docs/harness/plan.json'), JSON.stringify(fixturePlan()));
    execFileSync('git', ['add', '-A'], { cwd: seed });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@l', 'commit', '-qm', 'plan'], { cwd: seed });
    execFileSync('git', ['push', '-q', bare, 'feat/x'], { cwd: seed });
    const runs = path.join(root, 'runs');
    vi.stubEnv('DKMV_OUTPUT_DIR', root); // run folders in its runs/
    const old = '260101-0000-harness-x-abcd';
    mkdirSync(path.join(runs, old), { recursive: true });
    writeFileSync(
      path.join(runs, old, 'config.json'),
      JSON.stringify({ kind: 'harness', runId: old, repo: bare, branch: 'feat/x', prompt: 'p' }),
    );
    writeFileSync(
      path.join(runs, old, 'harness.json'),
      JSON.stringify({
        status: 'cancelled',
        budgetExhausted: false,
        units: [
          { id: 'WU-01', status: 'landed' },
          { id: 'WU-02', status: 'building' },
          { id: 'WU-03', status: 'pending' },
        ],
      }),
    );
    const started: HarnessInput[] = [];
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await continueHarness({} as Client, old, { wait: false }, async (input) => void started.push(input));
    expect(code).toBe(0);
    expect(errors).toContain('1/3 units landed before; re-dispatching 2');
    expect(started).toHaveLength(1);
    expect(started[0]!.runId).not.toBe(old);
    expect(started[0]!.resume).toMatchObject({ fromRunId: old, landed: ['WU-01'] });
    expect(started[0]!.resume!.plan.units.map((u) => u.id)).toEqual(['WU-01', 'WU-02', 'WU-03']);
  });
});
