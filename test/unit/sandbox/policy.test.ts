// The worker's sandbox policy (network, allowlist, pids) and the one HostConfig builder: values are
// validated with the variable named and a fix, and no HostConfig can carry the Docker socket.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../core/errors.js';
import { assertNoDockerSocket, sandboxHostConfig } from '../../../core/sandbox/host-config.js';
import {
  DEFAULT_PIDS_LIMIT,
  effectiveNetwork,
  modelEndpoints,
  parseAllowlist,
  sandboxPolicy,
} from '../../../core/sandbox/policy.js';

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
}

describe('sandboxPolicy', () => {
  it('defaults: network decided per run, nothing extra allowed, 4096 pids', () => {
    expect(sandboxPolicy({})).toEqual({ network: undefined, allow: [], pidsLimit: DEFAULT_PIDS_LIMIT });
    expect(effectiveNetwork(sandboxPolicy({}), 'host')).toBe('host');
    expect(effectiveNetwork(sandboxPolicy({}), 'bridge')).toBe('bridge');
  });

  it('reads every mode, case-insensitively', () => {
    for (const mode of ['host', 'bridge', 'none', 'allowlist']) {
      expect(sandboxPolicy({ DKMV_SANDBOX_NETWORK: ` ${mode.toUpperCase()} ` }).network).toBe(mode);
    }
    expect(effectiveNetwork(sandboxPolicy({ DKMV_SANDBOX_NETWORK: 'none' }), 'host')).toBe('none');
  });

  it('names the variable and the fix for a bad network mode', () => {
    const err = userError(() => sandboxPolicy({ DKMV_SANDBOX_NETWORK: 'allowlst' }));
    expect(err.exitCode).toBe(2);
    expect(err.format()).toContain('DKMV_SANDBOX_NETWORK');
    expect(err.format()).toContain("'allowlst'");
    expect(err.hint).toContain('none, allowlist');
  });

  it('names the variable and the fix for a bad pids limit', () => {
    for (const bad of ['0', '5', 'lots', '-1', '1.5']) {
      const err = userError(() => sandboxPolicy({ DKMV_SANDBOX_PIDS: bad }));
      expect(err.format()).toContain('DKMV_SANDBOX_PIDS');
      expect(err.hint).toMatch(/at least 32/);
    }
    expect(sandboxPolicy({ DKMV_SANDBOX_PIDS: '256' }).pidsLimit).toBe(256);
  });
});

describe('parseAllowlist', () => {
  it('reads host and host:port entries (443 by default), commas or spaces, no duplicates', () => {
    expect(
      parseAllowlist('registry.npmjs.org, API.example.com:8443 127.0.0.1:4010,[::1]:9,registry.npmjs.org:443'),
    ).toEqual(['registry.npmjs.org:443', 'api.example.com:8443', '127.0.0.1:4010', '[::1]:9']);
    expect(parseAllowlist('  ')).toEqual([]);
  });

  it('refuses URLs, paths, wildcards and bad ports with the variable named', () => {
    for (const bad of ['https://x.com', 'x.com/path', '*.example.com', 'x.com:0', 'x.com:70000', 'user@x.com']) {
      const err = userError(() => parseAllowlist(bad));
      expect(err.format()).toContain('DKMV_SANDBOX_ALLOW');
      expect(err.format()).toContain(bad);
      expect(err.hint).toContain('no scheme, no path');
    }
  });
});

describe('modelEndpoints', () => {
  it('is the override when there is one, else both vendor APIs', () => {
    expect(modelEndpoints('http://127.0.0.1:4010')).toEqual(['127.0.0.1:4010']);
    expect(modelEndpoints('https://gateway.example.com/anthropic')).toEqual(['gateway.example.com:443']);
    expect(modelEndpoints(undefined)).toEqual(['api.anthropic.com:443', 'api.openai.com:443']);
    expect(modelEndpoints('')).toEqual(['api.anthropic.com:443', 'api.openai.com:443']);
  });
});

describe('sandboxHostConfig', () => {
  const base = {
    binds: [{ host: '/h/ws', container: '/home/dkmv/workspace' }],
    readOnlyBinds: [{ host: '/h/creds.json', container: '/home/dkmv/.claude/.credentials.json' }],
    memoryBytes: 1024,
    pidsLimit: 100,
    networkMode: 'none' as const,
  };

  it('drops every capability, forbids privilege gain, limits pids and memory, mounts credentials ro', () => {
    expect(sandboxHostConfig(base)).toMatchObject({
      CapDrop: ['ALL'],
      CapAdd: [],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: 100,
      Memory: 1024,
      NetworkMode: 'none',
      Binds: ['/h/ws:/home/dkmv/workspace', '/h/creds.json:/home/dkmv/.claude/.credentials.json:ro'],
    });
  });

  it('refuses the Docker socket or a folder holding it, on either side', () => {
    for (const host of [
      '/var/run/docker.sock',
      '/run/docker.sock',
      '/var/run',
      '/run/',
      '/home/u/.docker/run/docker.sock',
      '/var/run/../run/docker.sock',
    ]) {
      expect(() => assertNoDockerSocket({ host, container: '/x' }), host).toThrow(/Docker engine/);
    }
    expect(() =>
      sandboxHostConfig({ ...base, binds: [{ host: '/tmp/x', container: '/var/run/docker.sock' }] }),
    ).toThrow(/Docker engine/);
    expect(() => assertNoDockerSocket({ host: '/home/u/project', container: '/home/dkmv/workspace' })).not.toThrow();
  });
});
