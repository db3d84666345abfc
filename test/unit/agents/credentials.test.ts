import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../core/errors.js';
import {
  agentCredentialSource,
  redact,
  redactor,
  requireAgentCredentials,
  resolveCredentials,
  secretValues,
} from '../../../core/agents/index.js';

let home: string;
let emptyHome: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'dkmv-creds-'));
  emptyHome = await mkdtemp(path.join(os.tmpdir(), 'dkmv-creds-empty-'));
  await mkdir(path.join(home, '.claude'));
  await writeFile(
    path.join(home, '.claude', '.credentials.json'),
    JSON.stringify({
      claudeAiOauth: {
        accessToken: 'sk-ant-oat-ACCESS-abc',
        refreshToken: 'sk-ant-ort-REFRESH-abc',
        expiresAt: 1,
      },
    }),
  );
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(emptyHome, { recursive: true, force: true });
});

describe('resolveCredentials', () => {
  it('reads every source from env, the credentials file and gh', async () => {
    const creds = await resolveCredentials({
      env: {
        ANTHROPIC_API_KEY: 'sk-ant-api-1',
        CLAUDE_CODE_OAUTH_TOKEN: 'oauth-1',
        OPENAI_API_KEY: 'sk-openai-1',
        GH_TOKEN: 'ghp_gh',
      },
      home,
      ghAuthToken: async () => 'ghp_from_cli',
    });
    expect(creds).toMatchObject({
      anthropicApiKey: 'sk-ant-api-1',
      claudeOauthToken: 'oauth-1',
      claudeCredentialsFile: path.join(home, '.claude', '.credentials.json'),
      openaiApiKey: 'sk-openai-1',
      openaiApiKeySource: 'OPENAI_API_KEY',
      githubToken: 'ghp_gh',
      githubTokenSource: 'GH_TOKEN',
    });
    expect(secretValues(creds)).toEqual(
      expect.arrayContaining([
        'sk-ant-api-1',
        'oauth-1',
        'sk-openai-1',
        'ghp_gh',
        'sk-ant-oat-ACCESS-abc',
        'sk-ant-ort-REFRESH-abc',
      ]),
    );
  });

  it('prefers CODEX_API_KEY over OPENAI_API_KEY and GITHUB_TOKEN over GH_TOKEN, then asks gh', async () => {
    const a = await resolveCredentials({
      env: { CODEX_API_KEY: 'codex-k', OPENAI_API_KEY: 'openai-k', GITHUB_TOKEN: 'gt', GH_TOKEN: 'gh' },
      home: emptyHome,
      useGhCli: false,
    });
    expect(a).toMatchObject({
      openaiApiKey: 'codex-k',
      openaiApiKeySource: 'CODEX_API_KEY',
      githubToken: 'gt',
      githubTokenSource: 'GITHUB_TOKEN',
    });
    const b = await resolveCredentials({ env: {}, home: emptyHome, ghAuthToken: async () => 'ghp_cli\n' });
    expect(b).toMatchObject({ githubToken: 'ghp_cli', githubTokenSource: 'gh auth token' });
    expect(b.claudeCredentialsFile).toBeUndefined();
  });

  it('without a credential and without a model URL, fails naming the options', async () => {
    const creds = await resolveCredentials({ env: { ANTHROPIC_API_KEY: '  ' }, home: emptyHome, useGhCli: false });
    expect(agentCredentialSource('claude', creds)).toBeUndefined();
    const err = (() => {
      try {
        requireAgentCredentials('claude', creds);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    const text = (err as UserError).format();
    for (const opt of [
      'ANTHROPIC_API_KEY',
      'CLAUDE_CODE_OAUTH_TOKEN',
      '.credentials.json',
      '--model-url',
      'DKMV_MODEL_URL',
    ])
      expect(text).toContain(opt);
    expect(() => requireAgentCredentials('codex', creds)).toThrow(/Codex/);
    try {
      requireAgentCredentials('codex', creds);
    } catch (e) {
      expect((e as UserError).format()).toMatch(/CODEX_API_KEY.*OPENAI_API_KEY/);
    }
    // A model URL (gateway, mock) needs no key.
    expect(() => requireAgentCredentials('claude', creds, 'http://127.0.0.1:1')).not.toThrow();
    expect(() =>
      requireAgentCredentials('codex', { ...creds, openaiApiKey: 'k', openaiApiKeySource: 'OPENAI_API_KEY' }),
    ).not.toThrow();
  });
});

describe('redact', () => {
  it('removes every secret, including JSON-escaped forms and overlapping values', () => {
    const secrets = ['sk-test-MARKER123', 'sk-test-MARKER123-longer', 'pa"ss\\word-12'];
    const text = `key=sk-test-MARKER123 long=sk-test-MARKER123-longer json=${JSON.stringify({ p: 'pa"ss\\word-12' })}`;
    const out = redact(text, secrets);
    expect(out).toBe('key=[REDACTED] long=[REDACTED] json={"p":"[REDACTED]"}');
  });

  it('ignores empty and very short values so dummies do not mangle logs', () => {
    const r = redactor(['', undefined, 'x', 'abc']);
    expect(r('x abc')).toBe('x abc');
  });
});
