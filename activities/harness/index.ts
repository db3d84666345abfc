// Activities of harnessWorkflow (the merge itself is activities/merge/: mergeBranches, checkBranchOwnership).
export {
  openIntegration,
  createBranchAt,
  fetchUnitBranch,
  syncIntegration,
  pushIntegration,
  removeLandingRepo,
} from './landing-repo.js';
export { readPlan, commitPlan, commitToIntegration } from './plan-file.js';
export { planHarnessRole } from '../../core/harness/role-plan.js';
export { writeHarnessRecord } from './record.js';
// The quality loop: smoke test, Gate 4 on evaluator branches, app ports, the pull request.
export { runSmoke } from './smoke.js';
export { gateEvalBranch } from './browser-eval-gate.js';
export { allocateAppPorts } from './ports.js';
export { openPullRequest } from './pull-request.js';
// Round 3: the check gate (no agent).
export { runCheck } from './check.js';
// Round 3: the review gate's file half.
export { gateReviewBranch } from './review-gate.js';
// Lockfiles regenerated from the merged manifests before SHIP (no agent).
export { regenerateLockfiles } from './lockfiles.js';
