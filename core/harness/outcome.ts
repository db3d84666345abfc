// How a harness run ended, as one word and one exit code, for every command that waits on a run
// (`dkmv harness`, `harness continue`, `test harness`, `logs -f`, `attach`). A script can tell a
// pass from a build shipped with remaining issues and from an app that never passed its check or smoke test.
import type { HarnessView } from './types.js';

/** 0 passed · 1 failed or cancelled · 2 usage · 3 waiting for input · 4 shipped with remaining issues · 5 unverified. */
export const HARNESS_EXIT = { passed: 0, failed: 1, usage: 2, waiting: 3, withIssues: 4, unverified: 5 } as const;

export type HarnessOutcome = 'passed' | 'with_issues' | 'unverified' | 'failed' | 'waiting' | 'running';

/** Units that are not done: a completed run with one of them shipped with remaining issues. */
const UNFINISHED = new Set(['blocked', 'not_dispatched']);

export function harnessOutcome(
  view: Pick<HarnessView, 'status' | 'quality' | 'units' | 'budgetExhausted'>,
): HarnessOutcome {
  switch (view.status) {
    case 'running':
      return 'running';
    case 'awaiting_input':
      return 'waiting';
    case 'unverified':
      return 'unverified';
    case 'completed': {
      const q = view.quality?.outcome;
      if (q === 'unverified') return 'unverified';
      if (q === 'with_issues') return 'with_issues';
      // Without an evaluation (--no-eval), blocked or undispatched units are the remaining issues.
      return view.units.some((u) => UNFINISHED.has(u.status)) ? 'with_issues' : 'passed';
    }
    default:
      return 'failed';
  }
}

export function harnessExitCode(view: Parameters<typeof harnessOutcome>[0] | undefined): number {
  if (!view) return HARNESS_EXIT.failed;
  const outcome = harnessOutcome(view);
  if (outcome === 'passed') return HARNESS_EXIT.passed;
  if (outcome === 'with_issues') return HARNESS_EXIT.withIssues;
  if (outcome === 'unverified') return HARNESS_EXIT.unverified;
  if (outcome === 'waiting') return HARNESS_EXIT.waiting;
  return HARNESS_EXIT.failed;
}

/** One line for people: what the outcome means. */
export function outcomeText(outcome: HarnessOutcome): string {
  return {
    passed: 'passed',
    with_issues: 'shipped with remaining issues',
    unverified: 'unverified: the app never passed its check or smoke test (branch kept, no pull request)',
    failed: 'failed',
    waiting: 'waiting for input',
    running: 'running',
  }[outcome];
}
