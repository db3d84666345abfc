// A run that asks for a pull request (`create_pr`, `--create-pr`) must have a way to open it: a
// `run:` task with `credentials: [github]` (dkmv's built-ins), or agent tasks allowed the worker's
// GitHub token (`--agent-github-token`, off by default: DKMV passes GITHUB_TOKEN to every agent,
// dkmv only on request). Otherwise the run would complete with no PR: say so before it starts.
import type { ComponentPlan } from '../../core/component/plan-types.js';
import { UserError } from '../../core/errors.js';

/** DKMV's truthy spellings of a var (`--create-pr` sets "true"). */
export function wantsPullRequest(plan: ComponentPlan): boolean {
  return /^(true|1|yes)$/i.test((plan.context.vars.create_pr ?? '').trim());
}

/** True when one of the plan's task files gives its `run:` script the GitHub token. */
export function hasGithubRunTask(plan: ComponentPlan): boolean {
  const bundle = plan.bundle;
  if (!bundle) return false;
  return plan.tasks.some((slot) => {
    const sum = bundle.component[slot.file];
    const text = sum === undefined ? undefined : bundle.blobs[sum];
    return text !== undefined && /^credentials:.*\bgithub\b/m.test(text);
  });
}

/**
 * A UserError when the run asks for a PR that nothing in it could open; a warning line when it
 * could, but no GitHub token is found on this machine (the worker's own environment may have one).
 */
export function checkPullRequestToken(
  plan: ComponentPlan,
  agentGithubToken: boolean,
  tokenHere: boolean,
): string | undefined {
  if (!wantsPullRequest(plan)) return undefined;
  if (!agentGithubToken && !hasGithubRunTask(plan)) {
    throw new UserError(
      `this run asks for a pull request (create_pr=${plan.context.vars.create_pr}), but no GitHub token reaches its agent tasks, so none would open`,
      {
        hint:
          "add --agent-github-token (or DKMV_AGENT_GITHUB_TOKEN=1) to give agent tasks the worker's GITHUB_TOKEN, as DKMV does; " +
          'or leave out --create-pr / --var create_pr=true and open the PR yourself',
      },
    );
  }
  if (tokenHere) return undefined;
  return 'this run opens a pull request, but no GitHub token is set here (GITHUB_TOKEN, GH_TOKEN or `gh auth token`): the worker needs one in its environment, or the PR step fails';
}
