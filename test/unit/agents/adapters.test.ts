import { describe, expect, it } from 'vitest';
import {
  claudeAdapter,
  codexAdapter,
  codexConfigToml,
  getAdapter,
  renderInstructions,
  shellCommand,
  shellQuote,
} from '../../../core/agents/index.js';
import type { Credentials } from '../../../core/agents/index.js';
import { DEFAULT_MODELS } from '../../../core/component/params.js';
import { SETTINGS } from '../../../core/config/cascade.js';

const none: Credentials = { fileSecrets: [] };
const layout = { home: '/home/dkmv', workspace: '/home/dkmv/workspace' };

describe('claude adapter', () => {
  it('builds the headless command line from resolved parameters', () => {
    expect(
      claudeAdapter.command({
        prompt: 'Do it',
        model: 'claude-opus-4-5',
        maxTurns: 30,
        maxBudgetUsd: 2.5,
        resumeSessionId: 'abc',
      }),
    ).toEqual([
      'claude',
      '-p',
      'Do it',
      '--output-format',
      'stream-json',
      '--verbose',
      '--dangerously-skip-permissions',
      '--model',
      'claude-opus-4-5',
      '--max-turns',
      '30',
      '--max-budget-usd',
      '2.5',
      '--resume',
      'abc',
    ]);
    // A prompt file goes to stdin instead of the command line.
    const inv = claudeAdapter.invocation({ prompt: 'x', promptFile: '/home/dkmv/.dkmv/prompt.md' }, none, layout);
    expect(inv.argv).not.toContain('x');
    expect(inv.stdin).toBe('/home/dkmv/.dkmv/prompt.md');
    expect(inv.argv).toContain(DEFAULT_MODELS.claude);
  });

  it('switches to the model URL with no retries and no other traffic', () => {
    const env = claudeAdapter.env({ prompt: '', modelUrl: 'http://127.0.0.1:4000/v1/' }, none, layout);
    expect(env).toMatchObject({
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4000',
      ANTHROPIC_API_KEY: 'dkmv-no-key',
      CLAUDE_CODE_MAX_RETRIES: '3',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      DISABLE_AUTOUPDATER: '1',
      HOME: '/home/dkmv',
      TMPDIR: '/home/dkmv/.tmp',
      CLAUDE_CODE_TMPDIR: '/home/dkmv/.tmp',
    });
    const direct = claudeAdapter.env({ prompt: '' }, { ...none, anthropicApiKey: 'sk-ant-real-key' }, layout);
    expect(direct.ANTHROPIC_API_KEY).toBe('sk-ant-real-key');
    expect(direct.ANTHROPIC_BASE_URL).toBeUndefined();
    expect(direct.CLAUDE_CODE_MAX_RETRIES).toBeUndefined();
  });

  it('prefers API key, then OAuth token, then the credentials file (mounted read-only)', () => {
    const file = {
      ...none,
      claudeCredentialsFile: '/root/.claude/.credentials.json',
      fileSecrets: ['tok-aaaaaaaaaaaaaaaaaaaa'],
    };
    expect(
      claudeAdapter.env({ prompt: '' }, { ...file, claudeOauthToken: 'oauth-token-123' }, layout)
        .CLAUDE_CODE_OAUTH_TOKEN,
    ).toBe('oauth-token-123');
    expect(claudeAdapter.mounts({ prompt: '' }, { ...file, claudeOauthToken: 'oauth-token-123' }, layout)).toEqual([]);
    const inv = claudeAdapter.invocation({ prompt: '' }, file, layout);
    expect(inv.mounts).toEqual([
      {
        hostPath: '/root/.claude/.credentials.json',
        containerPath: '/home/dkmv/.claude/.credentials.json',
        readOnly: true,
      },
    ]);
    expect(inv.env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(inv.secrets).toEqual(['tok-aaaaaaaaaaaaaaaaaaaa']);
  });
});

describe('codex adapter', () => {
  it('builds exec and exec resume command lines', () => {
    expect(codexAdapter.command({ prompt: 'Do it', model: 'gpt-5.5', maxTurns: 5 })).toEqual([
      'codex',
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--dangerously-bypass-approvals-and-sandbox',
      '-m',
      'gpt-5.5',
      'Do it',
    ]);
    expect(codexAdapter.command({ prompt: 'again', resumeSessionId: 'th-1', promptFile: '/p.md' }).slice(-4)).toEqual([
      'gpt-5.5',
      'resume',
      'th-1',
      '-',
    ]);
  });

  it('writes a provider config for a model URL and passes the key by env', () => {
    const params = { prompt: '', modelUrl: 'http://127.0.0.1:4000', model: 'gpt-5-mini' };
    const files = codexAdapter.configFiles(params, layout);
    expect(files).toHaveLength(1);
    expect(files[0]!.path).toBe('/home/dkmv/.codex/config.toml');
    const toml = files[0]!.content;
    for (const line of [
      'model = "gpt-5-mini"',
      'base_url = "http://127.0.0.1:4000/v1"',
      'env_key = "DKMV_MODEL_API_KEY"',
      'wire_api = "responses"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      'plugins = false',
      'unbounded_connection_retries = false',
      'enabled = false',
      'exporter = "none"',
    ]) {
      expect(toml).toContain(line);
    }
    expect(codexConfigToml('http://gw.example/v1/')).toContain('base_url = "http://gw.example/v1"');
    const env = codexAdapter.env(params, { ...none, openaiApiKey: 'sk-openai-123456' }, layout);
    expect(env).toMatchObject({ DKMV_MODEL_API_KEY: 'sk-openai-123456', CODEX_HOME: '/home/dkmv/.codex' });
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(codexAdapter.env(params, none, layout).DKMV_MODEL_API_KEY).toBe('dkmv-no-key');
  });

  it('passes the OpenAI key directly without a model URL, and writes no config', () => {
    const env = codexAdapter.env({ prompt: '' }, { ...none, openaiApiKey: 'sk-openai-123456' }, layout);
    expect(env).toMatchObject({ CODEX_API_KEY: 'sk-openai-123456', OPENAI_API_KEY: 'sk-openai-123456' });
    expect(codexAdapter.configFiles({ prompt: '' }, layout)).toEqual([]);
  });
});

describe('instructions and shell command', () => {
  it('layers system context, agent_md, context files, task instructions and git rules in order', () => {
    const text = renderInstructions({
      agentMd: 'Use pnpm.',
      contextFiles: ['.agent/plan.md', 'docs/spec.md'],
      taskInstructions: 'Implement the plan.',
    });
    const order = [
      '## Context',
      'Use pnpm.',
      '## Read these files first',
      '- `.agent/plan.md`',
      '## Task instructions',
      'Implement the plan.',
      '## Git rules',
    ];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(renderInstructions({ gitRules: false, systemContext: 'ctx' })).not.toContain('Git rules');
    expect(getAdapter('claude').instructionsFile).toBe('.claude/CLAUDE.md');
    expect(getAdapter('codex').instructionsFile).toBe('AGENTS.md');
  });

  it('quotes for sh and records pid and exit code', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('--max-turns')).toBe('--max-turns');
    const cmd = shellCommand(
      { argv: ['claude', '-p', 'say "hi" $HOME'], stdin: '/dev/null' },
      { stdout: '/s/out.jsonl', stderr: '/s/err', exitCode: '/s/exit', pid: '/s/pid' },
    );
    expect(cmd).toBe(
      `claude -p 'say "hi" $HOME' < /dev/null > /s/out.jsonl 2> /s/err & echo $! > /s/pid; wait $!; echo $? > /s/exit`,
    );
  });
});

describe('default models', () => {
  it('are defined once: adapters and the config default use DEFAULT_MODELS', () => {
    expect(claudeAdapter.defaultModel).toBe(DEFAULT_MODELS.claude);
    expect(codexAdapter.defaultModel).toBe(DEFAULT_MODELS.codex);
    expect(SETTINGS.model.default({ projectRoot: '/p', initialized: false })).toBe(DEFAULT_MODELS.claude);
    expect(claudeAdapter.command({ prompt: 'x' })).toContain(DEFAULT_MODELS.claude);
    expect(codexAdapter.command({ prompt: 'x' })).toContain(DEFAULT_MODELS.codex);
  });
});
