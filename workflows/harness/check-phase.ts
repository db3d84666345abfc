// CHECK: run the plan's check commands (build, type check, tests) on the integration head in a
// sandbox (an activity, no agent). The report goes to the run folder; each failure comes back with
// the unit owning the files its output names, for a fix round like a smoke failure.
import { patched } from '@temporalio/workflow';
import type { CheckResult } from '../../activities/harness/check.js';
import { checkCommands } from '../../core/harness/check-contract.js';
import { formatCheckFailures } from '../../core/harness/check-report.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { ownerManifest } from '../../core/harness/plan-views.js';
import { groupByUnit } from '../../core/harness/smoke-report.js';
import type { HarnessContext } from './context.js';
import type { FixTask } from './fix-phase.js';
import { qualityShared } from './quality-activities.js';

/** Patch id: runs recorded before the check gate never run CHECK on replay. */
export const CHECK_PATCH = 'harness-check';

/** `round` is the run's serial round (it names the sandbox and `check/r<round>.json`). */
export async function checkPhase(ctx: HarnessContext, plan: HarnessPlan, round: number): Promise<CheckResult> {
  const { input, state } = ctx;
  const result = await qualityShared(ctx.input, `check round ${round}`).runCheck({
    runId: input.runId,
    repo: input.repo,
    branch: input.branch,
    round,
    install: plan.app.install ?? '',
    commands: checkCommands(plan),
    timeoutS: plan.check?.timeout_s ?? 600,
    manifest: ownerManifest(plan),
    runDir: input.runDir,
    image: input.image,
    memory: input.memory,
  });
  const quality = state.view.quality!;
  quality.checks = [
    ...(quality.checks ?? []),
    {
      round,
      passed: result.report.passed,
      summary: result.report.failure_summary,
      reportPath: result.reportPath,
      commands: result.report.commands.map((c) => ({ command: c.command, exitCode: c.exit_code })),
    },
  ];
  ctx.record();
  return result;
}

/** CHECK's outcome for the loop: passed, or the fixer work (one task per owning unit, output verbatim). */
export interface CheckOutcome {
  passed: boolean;
  summary: string | null;
  tasks: FixTask[];
}

/** CHECK when the plan has a check contract and the run knows the gate; undefined = no CHECK. */
export async function checkGate(
  ctx: HarnessContext,
  plan: HarnessPlan,
  round: number,
  enter: () => void,
): Promise<CheckOutcome | undefined> {
  if (checkCommands(plan).length === 0 || !patched(CHECK_PATCH)) return undefined;
  enter();
  const result = await checkPhase(ctx, plan, round);
  const tasks: FixTask[] = [...groupByUnit(result.failures)].map(([unit, failures]) => ({
    unit,
    cause: 'check',
    failures: formatCheckFailures(failures, checkCommands(plan)),
  }));
  return { passed: result.report.passed, summary: result.report.failure_summary, tasks };
}
