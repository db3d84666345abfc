// The plan's check contract (`check.commands`): Gate 1's rule G1.13 (at least one command that
// builds, type-checks or tests the integration head) and the one command line CHECK, generators and
// fixers run.
import type { HarnessPlan } from './plan-schema.js';

/** The plan's non-empty check commands, in order. */
export function checkCommands(plan: HarnessPlan): string[] {
  return (plan.check?.commands ?? []).map((c) => c.trim()).filter((c) => c !== '');
}

/** The commands as one shell line (`a && b`), or '' when the plan has none. */
export function checkLine(plan: HarnessPlan): string {
  return checkCommands(plan).join(' && ');
}

export function checkContract(plan: HarnessPlan): string[] {
  if (checkCommands(plan).length > 0) return [];
  return [
    'G1.13: check.commands is required: one or more shell commands that build, type-check and test the app ' +
      '(e.g. "npm test", "npx tsc --noEmit", "pytest -q"); they must exit 0 on a correct build',
  ];
}
