// SHIP after the quality loop: the report (the PR body plus the build details) is committed as
// docs/harness/report.md; a passed or shipped-with-issues build opens a pull request when the remote
// is GitHub and the worker has a token (else the compare URL is recorded). An unverified build
// (the app never passed the smoke test) keeps its branch and gets no pull request. Before the report,
// the lockfiles are regenerated from the merged manifests (lockfiles-phase.ts).
import type { SettledReport } from '../../core/harness/eval-report.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { REPORT_PATH, renderPrBody } from '../../core/harness/pr-body.js';
import { renderReport } from '../../core/harness/report.js';
import { harnessTitle } from '../../core/harness/title.js';
import type { QualityView } from '../../core/harness/types.js';
import type { HarnessContext } from './context.js';
import { regenerateLockfiles } from './lockfiles-phase.js';
import { qualityLanding, qualityShared } from './quality-activities.js';

export interface ShipInput {
  outcome: NonNullable<QualityView['outcome']>;
  /** The last round's settled reports (none when the smoke test never passed). */
  reports: SettledReport[];
  /** Rounds the build took since the last (re)plan. */
  rounds: number;
  issues: string[];
}

export async function shipPhase(ctx: HarnessContext, plan: HarnessPlan, ship: ShipInput): Promise<void> {
  const { input, state } = ctx;
  // The lockfiles first: the report names their commit, and the pull request carries them.
  await regenerateLockfiles(ctx, plan);
  const quality = state.view.quality!;
  quality.outcome = ship.outcome;
  quality.remainingIssues = ship.issues;
  state.setStatus(ship.outcome === 'unverified' ? 'unverified' : 'completed');
  state.view.phase = 'done';
  const body = prBody(ctx, plan, ship);
  const title = `dkmv harness: ${harnessTitle(input.prompt)}`;
  const details = renderReport(state.view).replace(/^# Harness report\n/, '');
  state.shippedReport = `# ${title}\n\n${body}\n# Build details\n${details}`;
  const committed = await qualityLanding(ctx.input, ctx.host, 'commit the harness report').commitToIntegration({
    ...ctx.repoRef,
    files: { [REPORT_PATH]: state.shippedReport },
    message: 'dkmv harness: report',
  });
  ctx.head = committed.head;
  state.view.integrationHead = committed.head;
  if (ship.outcome === 'unverified') return; // never a PR for an app that does not start
  const pr = await qualityShared(ctx.input, 'open the pull request').openPullRequest({
    repo: input.repo,
    head: input.branch,
    base: input.quality!.baseBranch,
    title,
    body,
  });
  if (pr.kind === 'pull_request') quality.pullRequest = { url: pr.url, number: pr.number };
  else {
    quality.pullRequest = null;
    quality.compareUrl = pr.compareUrl;
  }
}

function prBody(ctx: HarnessContext, plan: HarnessPlan, ship: ShipInput): string {
  const view = ctx.state.view;
  const quality = view.quality!;
  const smoke = quality.smoke[quality.smoke.length - 1];
  const fixesOf = (unit: string) => quality.fixes.filter((f) => f.unit === unit).length;
  return renderPrBody({
    title: ctx.input.prompt,
    overview: plan.spec.overview,
    features: plan.spec.features,
    units: view.units.map((u) => ({
      id: u.id,
      title: u.title,
      status: u.status,
      attempts: u.attempts.length + fixesOf(u.id),
      files: [...new Set(plan.units.find((p) => p.id === u.id)?.owns.map((o) => o.split(':')[0]!) ?? [])],
    })),
    evaluation: {
      rounds: ship.rounds,
      replans: quality.replanCount,
      reports: ship.reports,
      ...(smoke
        ? { smoke: { passed: smoke.passed, ...(smoke.screenshotPath ? { screenshot: smoke.screenshotPath } : {}) } }
        : {}),
    },
    remainingIssues: ship.issues,
    outcome: ship.outcome === 'passed' ? 'passed' : 'with_issues',
  });
}
