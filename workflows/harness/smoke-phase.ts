// SMOKE: install, start and load the integration head in headless Chromium (an activity, no agent).
// The report and screenshot go to the run folder; each failure comes back with the unit that owns it.
// By app.kind: a service is started and sent its declared request (no browser); a cli or library
// has nothing to start, so its smoke test is the install + check CHECK already ran.
import type { SmokeResult } from '../../activities/harness/smoke.js';
import { kindRules } from '../../core/harness/app-kind.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import type { SmokeReport } from '../../core/harness/smoke-report.js';
import { ownerManifest } from '../../core/harness/plan-views.js';
import type { HarnessContext } from './context.js';
import { qualityShared } from './quality-activities.js';

/** `round` is the run's running round number (it names the sandbox and the files smoke/r<round>.*). */
export async function smokePhase(ctx: HarnessContext, plan: HarnessPlan, round: number): Promise<SmokeResult> {
  const { state } = ctx;
  const rules = kindRules(plan.app.kind);
  // cli and library: SMOKE is install + check, which CHECK just ran on this head; nothing to start.
  const result =
    rules.smoke === 'check'
      ? checkedSmoke(ctx.head, round)
      : await probeSmoke(ctx, plan, round, rules.smoke === 'http');
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

/** The smoke test of a cli or library: passed by CHECK (install + the check commands) on the same head. */
function checkedSmoke(head: string, round: number): SmokeResult {
  const report: SmokeReport = {
    round,
    commit: head,
    url: '',
    steps: [],
    http_status: null,
    screenshot: null,
    console_errors: [],
    body_text_length: 0,
    process_alive: false,
    passed: true,
    failure_summary: null,
  };
  return { report, failures: [], reportPath: `check/r${round}.json`, screenshotPath: null };
}

/** web: load the page in Chromium; service (`http`): start it and send the plan's declared request. */
async function probeSmoke(ctx: HarnessContext, plan: HarnessPlan, round: number, http: boolean): Promise<SmokeResult> {
  const { input } = ctx;
  const request = http ? (plan.app.probe ?? { method: 'GET', path: plan.app.ready_path }) : undefined;
  return qualityShared(ctx.input, `smoke round ${round}`).runSmoke({
    runId: input.runId,
    repo: input.repo,
    branch: input.branch,
    round,
    app: {
      install: plan.app.install ?? '',
      start: plan.app.start ?? '',
      ready_path: plan.app.ready_path,
      start_timeout_s: plan.app.start_timeout_s,
      ...(request ? { request } : {}),
    },
    manifest: ownerManifest(plan),
    runDir: input.runDir,
    image: input.quality!.browserImage,
    memory: input.memory,
  });
}
