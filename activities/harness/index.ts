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
