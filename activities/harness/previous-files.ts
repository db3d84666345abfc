// Files a role's re-run finds in its workspace, committed onto its new branch before it starts: the
// planner's self-check script and its previous plan, the evaluator's previous report of the same
// batch. The previous file is read from the earlier child's pushed branch in the landing clone, so
// nothing of it passes through workflow history.
import { EVAL_REPORT_PATH, PREVIOUS_EVAL_REPORT_PATH } from '../../core/harness/eval-report.js';
import type { GitRepo } from '../git/git-repo.js';
import { commitFilesOnto } from './carry-branch.js';
import { planCheckScript } from './plan-check-script.js';

/** A file on an earlier child's branch (as fetched into the landing clone), or undefined. */
async function fileOn(g: GitRepo, branch: string, file: string): Promise<string | undefined> {
  return g.raw(['show', `origin/${branch}:${file}`]).catch(() => undefined);
}

/** The planner's branch gets its self-check script and, on a re-run, the plan it wrote before. */
export async function stagePlannerFiles(g: GitRepo, from: string, previousBranch: string | undefined): Promise<string> {
  const files: Record<string, string> = { '.agent/check-plan.mjs': await planCheckScript() };
  const previous = previousBranch ? await fileOn(g, previousBranch, '.agent/plan.json') : undefined;
  if (previous) files['.agent/previous_plan.json'] = previous;
  return commitFilesOnto(g, from, files, 'dkmv harness: planner tools');
}

/**
 * An evaluator re-run gets the report of the first of `previous` (earlier evaluator branches, most
 * relevant first) that has one, as `.agent/previous_eval_report.json`. Returns the new start and
 * the branch the report came from (none: the branch starts at `from` unchanged).
 */
export async function stageEvaluatorFiles(
  g: GitRepo,
  from: string,
  previous: readonly string[],
): Promise<{ start: string; reportFrom?: string }> {
  for (const branch of previous) {
    const report = await fileOn(g, branch, EVAL_REPORT_PATH);
    if (report === undefined) continue;
    const files = { [PREVIOUS_EVAL_REPORT_PATH]: report };
    return { start: await commitFilesOnto(g, from, files, 'dkmv harness: previous evaluation'), reportFrom: branch };
  }
  return { start: from };
}
