// CLI commands without a server: pipeline flags → vars, init's credential sources and files,
// usage errors and their exit code.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pipelineVars, PIPELINE_VARS } from '../../../cli/commands/pipelines.js';
import { discoverPhases, sortPhases } from '../../../cli/commands/dev-phases.js';
import { credentialSources, writeProject, type Detection } from '../../../cli/init/init.js';
import { main, reportError } from '../../../cli/program.js';
import { UserError } from '../../../core/errors.js';

describe('pipeline commands', () => {
  it('map their flags onto the built-in components’ variables', () => {
    expect(
      pipelineVars({
        var: [],
        context: [],
        wait: true,
        prd: 'docs/prd.md',
        designDocs: 'docs/design',
        implDocs: 'docs/implementation/auth/',
        startPhase: '02',
        createPr: true,
        prBase: 'main',
      }),
    ).toEqual({
      prd_path: 'docs/prd.md',
      design_docs_path: 'docs/design',
      impl_docs_path: 'docs/implementation/auth/',
      start_phase: '2',
      create_pr: 'true',
      pr_base: 'main',
    });
    expect(pipelineVars({ var: [], context: [], wait: true })).toEqual({});
    expect(() => pipelineVars({ var: [], context: [], wait: true, startPhase: 'two' })).toThrow(UserError);
    expect(PIPELINE_VARS.prd).toBe('prd_path');
  });
});

describe('dkmv dev phases', () => {
  it('lists phase<N>_*.md of --impl-docs in numeric order', () => {
    expect(sortPhases(['phase10_z.md', 'README.md', 'phase2_b.md', 'phase1_a.md', 'tasks.md'])).toEqual([
      'phase1_a.md',
      'phase2_b.md',
      'phase10_z.md',
    ]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-unit-phases-'));
    try {
      mkdirSync(path.join(dir, 'docs/impl'), { recursive: true });
      for (const f of ['phase2_api.md', 'phase1_model.md', 'GUIDE.md'])
        writeFileSync(path.join(dir, 'docs/impl', f), '#');
      expect(discoverPhases('docs/impl/', 'b', dir).map((p) => p.phase_file)).toEqual([
        'phase1_model.md',
        'phase2_api.md',
      ]);
      expect(() => discoverPhases('docs/none', undefined, dir)).toThrow(/no phase files/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('init', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-unit-init-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records where credentials come from, never their values', () => {
    const sources = credentialSources(
      {
        anthropicApiKey: 'sk-ant-secret',
        openaiApiKey: 'sk-openai',
        openaiApiKeySource: 'OPENAI_API_KEY',
        githubToken: 'ghp_x',
        githubTokenSource: 'gh auth token',
        fileSecrets: [],
      },
      { ANTHROPIC_API_KEY: 'sk-ant-secret' },
    );
    expect(sources).toEqual({
      claude: { source: 'env', detail: 'ANTHROPIC_API_KEY' },
      codex: { source: 'dotenv', detail: 'OPENAI_API_KEY' },
      github: { source: 'command', detail: 'gh auth token' },
    });
    expect(JSON.stringify(sources)).not.toMatch(/sk-|ghp_/);
    expect(credentialSources({ fileSecrets: [] }, {}).claude).toEqual({ source: 'none' });
  });

  it('creates config.json, components.json, runs/ and a .gitignore entry; a second run updates', () => {
    mkdirSync(path.join(dir, '.git'));
    const detection: Detection = {
      credentials: credentialSources({ fileSecrets: [] }, {}),
      docker: { ok: true, version: '1' },
      image: { name: 'dkmv-sandbox:latest', present: true },
      temporal: { address: '127.0.0.1:7233', reachable: false, cli: undefined },
      gitRemote: undefined,
    };
    const first = writeProject(dir, { name: 'demo', repo: 'https://example.com/r.git', agent: 'codex' }, detection);
    expect(first.updated).toBe(false);
    expect(first.created).toEqual(
      expect.arrayContaining(['.dkmv/config.json', '.dkmv/components.json', '.dkmv/runs/']),
    );
    const config = JSON.parse(readFileSync(path.join(dir, '.dkmv/config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ name: 'demo', repo: 'https://example.com/r.git', defaults: { agent: 'codex' } });
    expect(existsSync(path.join(dir, '.dkmv/runs'))).toBe(true);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain('.dkmv/runs/');

    const second = writeProject(dir, { name: 'demo2', repo: undefined }, detection);
    expect(second.updated).toBe(true);
    expect(second.created).toEqual([]);
    expect(second.config.defaults).toEqual({ agent: 'codex' });
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8').match(/\.dkmv\/runs/g)).toHaveLength(1);
  });
});

describe('usage errors', () => {
  it('exit 2 with the message and the usage line', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'dkmv', 'runs', '--bogus'])).toBe(2);
      expect(await main(['node', 'dkmv', 'show'])).toBe(2);
      expect(await main(['node', 'dkmv', 'clean', '--nope'])).toBe(2);
      expect(await main(['node', 'dkmv', 'approve', 'x', '--action', 'maybe'])).toBe(2);
      expect(await main(['node', 'dkmv', 'dev', '--branch', 'x'])).toBe(2);
      const written = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(written).toContain("unknown option '--bogus'");
      expect(written).toContain('usage: dkmv runs [options]');
      expect(written).toContain("required option '--impl-docs <dir>' not specified");
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('reportError', () => {
  it('maps Ctrl-C at a prompt (ExitPromptError) to a plain "cancelled" and exit 130', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // @inquirer/prompts rejects with an Error whose name is 'ExitPromptError' when the user presses Ctrl-C.
      const err = Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
      expect(reportError(err)).toBe(130);
      const written = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(written).toBe('cancelled\n');
      stderr.mockClear();
      expect(reportError(new Error('boom'))).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain('unexpected error');
    } finally {
      stderr.mockRestore();
    }
  });
});
