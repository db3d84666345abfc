// SMOKE: install, start and load the integration head in headless Chromium (an activity, no agent).
// The report and screenshot go to the run folder; each failure comes back with the unit that owns it.
import type { SmokeResult } from '../../activities/harness/smoke.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { ownerManifest } from '../../core/harness/plan-views.js';
import type { HarnessContext } from './context.js';
import { qualityShared } from './quality-activities.js';

/** `round` is the run's running round number (it names the sandbox and the files smoke/r<round>.*). */
export async function smokePhase(ctx: HarnessContext, plan: HarnessPlan, round: number): Promise<SmokeResult> {
  const { input, state } = ctx;
  const result = await qualityShared(`smoke round ${round}`).runSmoke({
    runId: input.runId,
    repo: input.repo,
    branch: input.branch,
    round,
    app: {
      install: plan.app.install ?? '',
      start: plan.app.start ?? '',
      ready_path: plan.app.ready_path,
      start_timeout_s: plan.app.start_timeout_s,
    },
    manifest: ownerManifest(plan),
    runDir: input.runDir,
    image: input.quality!.browserImage,
    memory: input.memory,
  });
  state.view.quality!.smoke.push({
    round,
    passed: result.report.passed,
    summary: result.report.failure_summary,
    reportPath: result.reportPath,
    screenshotPath: result.screenshotPath,
  });
  ctx.record();
  return result;
}
