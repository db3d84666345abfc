// `dkmv doctor`: each check says what it found, or what is missing and how to fix it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { dockerCheck, nodeCheck, temporalCliCheck } from '../../../cli/doctor/checks.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

describe('dkmv doctor', () => {
  it('checks the Node version', () => {
    expect(nodeCheck('20.10.0').ok).toBe(true);
    expect(nodeCheck('22.1.0').ok).toBe(true);
    expect(nodeCheck('18.19.0')).toMatchObject({ ok: false, fix: expect.stringContaining('20.10') });
  });

  it('names the fix when Docker or the Temporal CLI is missing', () => {
    vi.stubEnv('PATH', '/nonexistent');
    vi.stubEnv('DKMV_TEMPORAL_CLI', '');
    vi.stubEnv('XDG_CACHE_HOME', '/nonexistent');
    try {
      expect(dockerCheck()).toMatchObject({ ok: false, fix: expect.stringContaining('dkmv setup') });
      const cli = temporalCliCheck();
      if (!cli.ok) expect(cli.fix).toContain('dkmv setup'); // a checkout's .tools/bin may still have one
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('is a command of the CLI, with setup beside it', () => {
    const help = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'dkmv.js'), '--help'], { encoding: 'utf8' });
    expect(help.stdout).toMatch(/^\s+doctor\b/m);
    expect(help.stdout).toMatch(/^\s+setup\b/m);
  });
});
