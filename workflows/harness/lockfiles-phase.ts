// Before SHIP: the integration branch's lockfiles are regenerated from the merged manifests and
// committed (activities/harness/lockfiles.ts), so the shipped branch's lockfile matches its
// package.json although no unit's lockfile ever lands. Runs recorded before this step replay
// without it (`patched('harness-lockfiles')`).
import { isCancellation, patched } from '@temporalio/workflow';
import type { LockfilesResult } from '../../activities/harness/lockfiles.js';
import { failureMessage } from '../../core/failures/index.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import type { HarnessContext } from './context.js';
import { qualityLanding } from './quality-activities.js';

/** Patch id: runs recorded before the lockfile step never run it on replay. */
export const LOCKFILES_PATCH = 'harness-lockfiles';

export async function regenerateLockfiles(ctx: HarnessContext, plan: HarnessPlan): Promise<void> {
  const { input, state } = ctx;
  const install = plan.app.install?.trim();
  if (!install || !state.view.baseSha || !patched(LOCKFILES_PATCH)) return;
  let result: LockfilesResult;
  try {
    result = await qualityLanding(
      ctx.input,
      ctx.host,
      'regenerate lockfiles from the merged manifests',
    ).regenerateLockfiles({
      ...ctx.repoRef,
      base: state.view.baseSha,
      install,
      timeoutS: plan.check?.timeout_s ?? 600,
      image: input.image,
      memory: input.memory,
    });
  } catch (err) {
    if (isCancellation(err)) throw err;
    // The build itself is done: a lockfile step that cannot run (no Docker on the host) is a
    // remaining problem in the report, not a failed run.
    state.view.lockfiles = { files: [], problem: `the lockfile step failed: ${failureMessage(err)}` };
    ctx.record();
    return;
  }
  ctx.head = result.head;
  state.view.integrationHead = result.head;
  if (result.files.length || result.problem) {
    state.view.lockfiles = {
      files: result.files,
      ...(result.files.length ? { commit: result.head } : {}),
      ...(result.problem ? { problem: result.problem } : {}),
    };
  }
  ctx.record();
}
