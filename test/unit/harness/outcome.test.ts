// How a harness run ended → its exit code, and the shipped title that is never cut mid-word.
import { describe, expect, it } from 'vitest';
import { HARNESS_EXIT, harnessExitCode, harnessOutcome } from '../../../core/harness/outcome.js';
import { harnessTitle } from '../../../core/harness/title.js';
import type { HarnessView, UnitView } from '../../../core/harness/types.js';

const unit = (status: UnitView['status']): UnitView => ({ id: 'WU-01', title: 't', status, attempts: [], costUsd: 0 });
const view = (
  status: HarnessView['status'],
  outcome?: 'passed' | 'with_issues' | 'unverified',
  units: UnitView[] = [unit('landed')],
) => ({
  status,
  units,
  budgetExhausted: false,
  ...(outcome ? { quality: { smoke: [], evals: [], fixes: [], replanCount: 0, outcome } } : {}),
});

describe('harness exit codes', () => {
  it('0 passed, 4 shipped with issues, 5 unverified, 3 waiting, 1 failed or cancelled', () => {
    expect(harnessExitCode(view('completed', 'passed'))).toBe(0);
    expect(harnessExitCode(view('completed', 'with_issues'))).toBe(HARNESS_EXIT.withIssues);
    expect(HARNESS_EXIT.withIssues).toBe(4);
    expect(harnessExitCode(view('unverified', 'unverified'))).toBe(5);
    expect(harnessExitCode(view('awaiting_input'))).toBe(3);
    expect(harnessExitCode(view('failed'))).toBe(1);
    expect(harnessExitCode(view('cancelled'))).toBe(1);
    expect(harnessExitCode(undefined)).toBe(1);
  });

  it('a build-only run with a blocked unit shipped with remaining issues', () => {
    expect(harnessOutcome(view('completed', undefined, [unit('landed'), unit('blocked')]))).toBe('with_issues');
    expect(harnessOutcome(view('completed', undefined, [unit('landed'), unit('empty')]))).toBe('passed');
  });
});

describe('harnessTitle', () => {
  it('is the first sentence, whole', () => {
    expect(harnessTitle('Build a todo app. It stores items in localStorage.\nMore.')).toBe('Build a todo app.');
  });
  it('ends a long sentence at a word boundary with an ellipsis', () => {
    const long = `Build ${'a very long feature list '.repeat(10)}now`;
    const title = harnessTitle(long);
    expect(title.length).toBeLessThanOrEqual(100);
    expect(title.endsWith('…')).toBe(true);
    expect(long.startsWith(title.slice(0, -1))).toBe(true);
    expect(long[title.length - 1]).toBe(' ');
  });
});
