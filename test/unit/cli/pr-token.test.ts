// A run asking for a pull request with no way to open it is stopped before it starts (issue 28, point 3).
import { describe, expect, it } from 'vitest';
import { planComponent } from '../../../core/component/index.js';
import { checkPullRequestToken, hasGithubRunTask } from '../../../cli/run/pr-token.js';
import { makeComponent, planOptions, userError } from '../component/helpers.js';

const agentPr = { '01-docs.yaml': 'name: docs\nprompt: "write docs; if create_pr, run gh pr create"\n' };
const scriptPr = {
  ...agentPr,
  '02-pr.yaml': 'name: pr\ncommit: false\npush: false\ncredentials: [github]\nrun: gh pr create --fill\n',
};

describe('PR step without a token', () => {
  it('refuses an agent-driven PR without --agent-github-token, naming the flag', () => {
    const plan = planComponent(makeComponent(agentPr), planOptions({ create_pr: 'true' }));
    const err = userError(() => checkPullRequestToken(plan, false, true));
    expect(err.message).toMatch(/asks for a pull request/);
    expect(err.hint).toContain('--agent-github-token');
  });

  it('lets it run with the opt-in, or when a run: task holds the token', () => {
    const plan = planComponent(makeComponent(agentPr), planOptions({ create_pr: 'yes' }));
    expect(checkPullRequestToken(plan, true, true)).toBeUndefined();
    const scripted = planComponent(makeComponent(scriptPr), planOptions({ create_pr: 'true' }));
    expect(hasGithubRunTask(scripted)).toBe(true);
    expect(checkPullRequestToken(scripted, false, true)).toBeUndefined();
  });

  it('warns when no token is found here, and says nothing without create_pr', () => {
    const scripted = planComponent(makeComponent(scriptPr), planOptions({ create_pr: 'true' }));
    expect(checkPullRequestToken(scripted, false, false)).toMatch(/no GitHub token is set here/);
    const none = planComponent(makeComponent(agentPr), planOptions({ create_pr: 'false' }));
    expect(checkPullRequestToken(none, false, false)).toBeUndefined();
  });
});
