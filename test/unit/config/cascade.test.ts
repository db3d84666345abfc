import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import {
  describeConfig,
  executionLayers,
  readProjectConfig,
  requireRepo,
  resolveConfig,
  writeProjectConfig,
} from '../../../core/config/index.js';
import { UserError } from '../../../core/errors.js';

function project(files: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'dkmv-config-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

describe('resolveConfig', () => {
  it('uses built-in defaults', () => {
    const root = project();
    const c = resolveConfig({ projectRoot: root, env: {} });
    expect(c.values).toEqual({
      agent: 'claude',
      model: 'claude-sonnet-4-6',
      max_turns: 100,
      image: 'dkmv-sandbox:latest',
      output_dir: path.join(root, 'outputs'),
      runs_dir: path.join(root, 'outputs', 'runs'),
      timeout_minutes: 30,
      memory: '8g',
      max_budget_usd: undefined,
      temporal_address: '127.0.0.1:7233',
      temporal_namespace: 'default',
      model_url: undefined,
      task_queue: 'dkmv',
      host_start_timeout_seconds: 300,
      heartbeat_timeout_seconds: 30,
      max_daily_budget_usd: undefined,
      on_budget_exhausted: 'fail',
      web_ui_url: undefined,
      temporal_http_url: undefined,
      notify: undefined,
    });
    expect(resolveConfig({ projectRoot: root, env: { DKMV_HOST_START_TIMEOUT: '60' } }).values).toMatchObject({
      host_start_timeout_seconds: 60,
    });
    expect(resolveConfig({ projectRoot: root, env: { DKMV_HEARTBEAT_TIMEOUT: '10' } }).values).toMatchObject({
      heartbeat_timeout_seconds: 10,
    });
    // The budget ledger's settings (flag > env), validated with the source named.
    const budget = resolveConfig({
      projectRoot: root,
      env: { DKMV_MAX_DAILY_BUDGET_USD: '25', DKMV_ON_BUDGET_EXHAUSTED: 'wait' },
      flags: { max_daily_budget_usd: '10' },
    });
    expect(budget.values).toMatchObject({ max_daily_budget_usd: 10, on_budget_exhausted: 'wait' });
    expect(budget.sources.max_daily_budget_usd.label).toBe('--max-daily-budget-usd');
    expect(() => resolveConfig({ projectRoot: root, env: { DKMV_ON_BUDGET_EXHAUSTED: 'later' } })).toThrow(
      /DKMV_ON_BUDGET_EXHAUSTED in the environment: "later" must be wait or fail/,
    );
    expect(() => resolveConfig({ projectRoot: root, env: { DKMV_MAX_DAILY_BUDGET_USD: '-3' } })).toThrow(
      /DKMV_MAX_DAILY_BUDGET_USD in the environment: "-3" must be a number greater than 0/,
    );
    expect(c.sources.max_turns).toEqual({ kind: 'default', label: 'built-in default' });
    expect(c.sources.max_budget_usd.kind).toBe('unset');
    expect(c.initialized).toBe(false);
    expect(c.repo).toBeUndefined();
    expect(userError(() => requireRepo(c)).hint).toMatch(/--repo/);
  });

  it('flags > env > .env > .dkmv/config.json > defaults, each value with its source', () => {
    const root = project({
      '.env': 'DKMV_MAX_TURNS=40\nDKMV_MODEL=claude-haiku-4-5\nDKMV_MEMORY=4g\nANTHROPIC_API_KEY=sk-secret\n',
      '.dkmv/config.json': JSON.stringify({
        repo: 'https://example.test/repo.git',
        name: 'proj',
        defaults: { max_turns: 10, model: 'claude-opus-4-1', memory: '2g', image: 'custom:1', timeout_minutes: 12 },
      }),
    });
    const env = { DKMV_MAX_TURNS: '50', DKMV_MODEL: 'claude-sonnet-4-6', TEMPORAL_ADDRESS: 'temporal:7233' };
    const c = resolveConfig({ projectRoot: root, env, flags: { max_turns: '60', repo: undefined } });
    expect(c.values.max_turns).toBe(60);
    expect(c.sources.max_turns).toMatchObject({ kind: 'flag', label: '--max-turns' });
    expect(c.values.model).toBe('claude-sonnet-4-6');
    expect(c.sources.model.label).toBe('DKMV_MODEL in the environment');
    expect(c.values.memory).toBe('4g');
    expect(c.sources.memory.label).toBe('DKMV_MEMORY in .env');
    expect(c.values.image).toBe('custom:1');
    expect(c.sources.image.label).toBe('defaults.image in .dkmv/config.json');
    expect(c.values.temporal_address).toBe('temporal:7233');
    expect(c.values.output_dir).toBe(path.join(root, '.dkmv'));
    expect(c.values.runs_dir).toBe(path.join(root, '.dkmv/runs'));
    expect(c.repo).toBe('https://example.test/repo.git');
    expect(c.repoSource.kind).toBe('config.json');
    expect(c.name).toBe('proj');
    expect(c.initialized).toBe(true);
    // secrets are not part of the resolved config
    expect(JSON.stringify(c)).not.toContain('sk-secret');
    expect(describeConfig(c).find((r) => r.key === 'memory')).toEqual({
      key: 'memory',
      variable: 'DKMV_MEMORY',
      value: '4g',
      source: 'DKMV_MEMORY in .env',
    });
  });

  it('does not touch process.env', () => {
    const root = project({ '.env': 'DKMV_IMAGE=from-dotenv\nSOME_SECRET=x\n' });
    resolveConfig({ projectRoot: root });
    expect(process.env.SOME_SECRET).toBeUndefined();
  });

  it('--repo beats config.json', () => {
    const root = project({ '.dkmv/config.json': JSON.stringify({ repo: 'a' }) });
    const c = resolveConfig({ projectRoot: root, env: {}, flags: { repo: 'b' } });
    expect([c.repo, c.repoSource.label]).toEqual(['b', '--repo']);
  });

  it('validates values and names the source', () => {
    const root = project({ '.env': 'DKMV_MAX_TURNS=many\n' });
    const e1 = userError(() => resolveConfig({ projectRoot: root, env: {} }));
    expect(e1.message).toBe('DKMV_MAX_TURNS in .env: "many" must be a whole number greater than 0');
    expect(e1.location.file).toBe(path.join(root, '.env'));
    const e2 = userError(() => resolveConfig({ projectRoot: project(), env: { DKMV_AGENT: 'gemini' } }));
    expect(e2.message).toMatch(/DKMV_AGENT in the environment: "gemini" must be one of claude, codex/);
    const e3 = userError(() => resolveConfig({ projectRoot: project(), env: {}, flags: { memory: 'lots' } }));
    expect(e3.message).toMatch(/^--memory:/);
    const root4 = project({ '.dkmv/config.json': JSON.stringify({ defaults: { max_budget_usd: -1 } }) });
    const e4 = userError(() => resolveConfig({ projectRoot: root4, env: {} }));
    expect(e4.message).toMatch(/defaults.max_budget_usd in .dkmv\/config.json/);
    expect(e4.location.field).toBe('defaults.max_budget_usd');
    expect(
      userError(() => resolveConfig({ projectRoot: project(), env: { TEMPORAL_ADDRESS: 'nope' } })).message,
    ).toMatch(/host:port/);
    expect(
      userError(() => resolveConfig({ projectRoot: project(), env: { DKMV_MODEL_URL: 'ftp://x' } })).message,
    ).toMatch(/http/);
    expect(userError(() => resolveConfig({ projectRoot: project(), env: { DKMV_TIMEOUT: '0' } })).message).toMatch(
      /greater than 0/,
    );
  });

  it('error hints name a flag only where the run commands have one', () => {
    const flagged = userError(() => resolveConfig({ projectRoot: project(), env: { DKMV_MAX_TURNS: 'x' } }));
    expect(flagged.hint).toBe('fix or remove DKMV_MAX_TURNS there, or override it with --max-turns');
    const timeout = project({ '.dkmv/config.json': JSON.stringify({ defaults: { timeout_minutes: 0 } }) });
    expect(userError(() => resolveConfig({ projectRoot: timeout, env: {} })).hint).toBe(
      'fix or remove defaults.timeout_minutes there, or override it with --timeout',
    );
    // No run command takes --image, --output-dir, --temporal-address, --namespace or --task-queue.
    const fromEnv = userError(() => resolveConfig({ projectRoot: project(), env: { TEMPORAL_ADDRESS: 'nope' } }));
    expect(fromEnv.hint).toBe('fix or unset TEMPORAL_ADDRESS in the environment');
    const dotenv = project({ '.env': 'TEMPORAL_ADDRESS=nope\n' });
    expect(userError(() => resolveConfig({ projectRoot: dotenv, env: {} })).hint).toBe(
      'fix or remove TEMPORAL_ADDRESS there, or set it in the environment',
    );
    const json = project({ '.dkmv/config.json': JSON.stringify({ defaults: { image: ' ' } }) });
    expect(userError(() => resolveConfig({ projectRoot: json, env: {} })).hint).toBe(
      'fix or remove defaults.image there, or set DKMV_IMAGE in the environment',
    );
    expect(userError(() => resolveConfig({ projectRoot: project(), env: {}, flags: { memory: 'lots' } })).hint).toBe(
      'fix the value of --memory',
    );
  });

  it('parses numbers and accepts numeric flags', () => {
    const c = resolveConfig({
      projectRoot: project(),
      env: { DKMV_MAX_BUDGET_USD: '2.5' },
      flags: { timeout_minutes: 45 },
    });
    expect(c.values.max_budget_usd).toBe(2.5);
    expect(c.values.timeout_minutes).toBe(45);
  });

  it('splits execution parameters into loader precedence levels', () => {
    const root = project({ '.dkmv/config.json': JSON.stringify({ defaults: { model: 'claude-opus-4-1' } }) });
    const c = resolveConfig({ projectRoot: root, env: { DKMV_MAX_BUDGET_USD: '3' }, flags: { max_turns: '7' } });
    expect(executionLayers(c)).toEqual({
      cli: { max_turns: 7 },
      config: { model: 'claude-opus-4-1', max_budget_usd: 3 },
      default: { agent: 'claude', timeout_minutes: 30 },
    });
  });
});

describe('.dkmv/config.json', () => {
  it('round-trips repo, name, defaults and credential sources', () => {
    const root = project();
    expect(readProjectConfig(root)).toBeUndefined();
    writeProjectConfig(root, {
      name: 'proj',
      repo: 'https://example.test/r.git',
      defaults: { model: 'claude-opus-4-1', max_turns: 50 },
      credentials: {
        claude: { source: 'env', detail: 'ANTHROPIC_API_KEY' },
        github: { source: 'command', detail: 'gh auth token' },
      },
    });
    expect(readProjectConfig(root)).toEqual({
      version: 1,
      name: 'proj',
      repo: 'https://example.test/r.git',
      defaults: { model: 'claude-opus-4-1', max_turns: 50 },
      credentials: {
        claude: { source: 'env', detail: 'ANTHROPIC_API_KEY' },
        github: { source: 'command', detail: 'gh auth token' },
      },
    });
    expect(resolveConfig({ projectRoot: root, env: {} }).values.max_turns).toBe(50);
  });

  it('refuses secret values', () => {
    const root = project();
    expect(() =>
      writeProjectConfig(root, { credentials: { claude: { source: 'env', detail: 'sk-ant-api03-abcdefgh' } } }),
    ).toThrow(/secret/);
    expect(() => writeProjectConfig(root, { defaults: { model: 'sk-ant-0123456789' } })).toThrow(/secret/);
  });

  it('reports unknown fields with a suggestion, and broken JSON', () => {
    const root = project({ '.dkmv/config.json': JSON.stringify({ defaults: { max_turn: 3 } }) });
    const err = userError(() => readProjectConfig(root));
    expect(err.message).toMatch(/defaults.max_turn/);
    expect(err.hint).toBe('did you mean "max_turns"?');
    const root2 = project({ '.dkmv/config.json': '{' });
    expect(userError(() => resolveConfig({ projectRoot: root2, env: {} })).message).toMatch(/not valid JSON/);
  });
});

describe('notify setting', () => {
  it('--notify > DKMV_NOTIFY_URL > .env > defaults.notify > top-level notify in .dkmv/config.json', () => {
    const root = project();
    mkdirSync(path.join(root, '.dkmv'), { recursive: true });
    writeFileSync(
      path.join(root, '.dkmv', 'config.json'),
      JSON.stringify({ version: 1, notify: ['http://127.0.0.1:1/a', 'https://hooks.slack.com/services/x'] }),
    );
    const fromFile = resolveConfig({ projectRoot: root, env: {} });
    expect(fromFile.values.notify).toEqual(['http://127.0.0.1:1/a', 'https://hooks.slack.com/services/x']);
    expect(fromFile.sources.notify.label).toBe('notify in .dkmv/config.json');
    const fromEnv = resolveConfig({ projectRoot: root, env: { DKMV_NOTIFY_URL: 'http://127.0.0.1:2/b' } });
    expect(fromEnv.values.notify).toEqual(['http://127.0.0.1:2/b']);
    const fromFlag = resolveConfig({
      projectRoot: root,
      env: { DKMV_NOTIFY_URL: 'http://127.0.0.1:2/b' },
      flags: { notify: 'http://127.0.0.1:3/c,http://127.0.0.1:4/d' },
    });
    expect(fromFlag.values.notify).toEqual(['http://127.0.0.1:3/c', 'http://127.0.0.1:4/d']);
    expect(fromFlag.sources.notify.label).toBe('--notify');
    expect(() => resolveConfig({ projectRoot: root, env: { DKMV_NOTIFY_URL: 'mailto:me@example.com' } })).toThrow(
      /DKMV_NOTIFY_URL in the environment.*http\(s\)/,
    );
  });
});
