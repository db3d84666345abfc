// The GitHub token for agent tasks: an opt-in (flag or DKMV_AGENT_GITHUB_TOKEN), off by default;
// with it the agent gets GITHUB_TOKEN/GH_TOKEN and gh as git's credential helper; the value is one
// of the secrets redacted from everything dkmv writes.
import { describe, expect, it } from 'vitest';
import {
  agentGithubEnv,
  agentGithubTokenAllowed,
  redact,
  secretValues,
  type Credentials,
} from '../../../core/agents/index.js';

const token = 'dkmv-test-marker-github-token-1';
const creds: Credentials = { githubToken: token, githubTokenSource: 'GITHUB_TOKEN', fileSecrets: [] };

describe('GitHub token for agent tasks', () => {
  it('is off by default and turned on only by an explicit yes', () => {
    expect(agentGithubTokenAllowed({})).toBe(false);
    expect(agentGithubTokenAllowed({ DKMV_AGENT_GITHUB_TOKEN: '0' })).toBe(false);
    expect(agentGithubTokenAllowed({ DKMV_AGENT_GITHUB_TOKEN: 'no' })).toBe(false);
    for (const yes of ['1', 'true', 'YES', ' on '])
      expect(agentGithubTokenAllowed({ DKMV_AGENT_GITHUB_TOKEN: yes })).toBe(true);
  });

  it('gives the agent nothing without the opt-in or without a token', () => {
    expect(agentGithubEnv(creds, false)).toEqual({});
    expect(agentGithubEnv({ fileSecrets: [] }, true)).toEqual({});
  });

  it('with the opt-in: GITHUB_TOKEN, GH_TOKEN and gh as the credential helper for github.com', () => {
    expect(agentGithubEnv(creds, true)).toEqual({
      GITHUB_TOKEN: token,
      GH_TOKEN: token,
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'credential.https://github.com.helper',
      GIT_CONFIG_VALUE_0: '!gh auth git-credential',
    });
  });

  it('is redacted like every other secret', () => {
    expect(secretValues(creds)).toContain(token);
    const line = `remote: https://x-access-token:${token}@github.com/o/r.git`;
    expect(redact(line, secretValues(creds))).not.toContain(token);
  });
});
