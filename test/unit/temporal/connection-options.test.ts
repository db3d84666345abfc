// The Temporal connection from the environment through @temporalio/envconfig: the temporal CLI's
// variable names and config profiles, and dkmv's old TLS names still working with a notice.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../core/errors.js';
import { connectOptions, temporalTargetFromEnv } from '../../../core/temporal/connection-options.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-envconfig-'));
const pem = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const CERT = pem('client.pem', 'CERT');
const KEY = pem('client.key', 'KEY');
const CA = pem('ca.pem', 'CA');
/** No config file unless a test gives one: the machine's own ~/.config/temporalio is not read. */
const NO_FILE = { TEMPORAL_CONFIG_FILE: path.join(dir, 'absent.toml') };

function target(env: Record<string, string>, notices: string[] = []) {
  return temporalTargetFromEnv({ ...NO_FILE, ...env }, (m) => notices.push(m));
}

const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

describe('temporalTargetFromEnv', () => {
  it('defaults to the local dev server, and never calls that explicit', () => {
    const t = target({});
    expect(t).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'dkmv' });
    expect(t.explicitAddress).toBe(false);
    expect(t.tls).toBeUndefined();
  });

  it('reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, DKMV_TASK_QUEUE; an API key implies TLS', () => {
    const t = target({
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.acct',
      TEMPORAL_API_KEY: 'secret-key',
      DKMV_TASK_QUEUE: 'team',
    });
    expect(t).toMatchObject({ address: 'ns.acct.tmprl.cloud:7233', namespace: 'ns.acct', taskQueue: 'team' });
    expect(t.explicitAddress).toBe(true);
    expect(t.apiKey).toBe('secret-key');
    expect(t.tls).toBe(true);
    expect(connectOptions(t)).toMatchObject({ address: 'ns.acct.tmprl.cloud:7233', apiKey: 'secret-key', tls: true });
  });

  it('reads mTLS files from the temporal CLI variable names', () => {
    const notices: string[] = [];
    const t = target(
      {
        TEMPORAL_ADDRESS: 'cluster:7233',
        TEMPORAL_TLS_CLIENT_CERT_PATH: CERT,
        TEMPORAL_TLS_CLIENT_KEY_PATH: KEY,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: CA,
        TEMPORAL_TLS_SERVER_NAME: 'cluster.internal',
      },
      notices,
    );
    const tls = t.tls as Exclude<typeof t.tls, boolean | undefined>;
    expect(text(tls.clientCertPair?.crt)).toBe('CERT');
    expect(text(tls.clientCertPair?.key)).toBe('KEY');
    expect(text(tls.serverRootCACertificate)).toBe('CA');
    expect(tls.serverNameOverride).toBe('cluster.internal');
    expect(notices).toEqual([]);
  });

  it('keeps the old TEMPORAL_TLS_CERT/_KEY/_CA names working, with a deprecation notice each', () => {
    const notices: string[] = [];
    const t = target({ TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: KEY, TEMPORAL_TLS_CA: CA }, notices);
    const tls = t.tls as Exclude<typeof t.tls, boolean | undefined>;
    expect(text(tls.clientCertPair?.crt)).toBe('CERT');
    expect(text(tls.serverRootCACertificate)).toBe('CA');
    expect(notices).toHaveLength(3);
    expect(notices[0]).toMatch(/TEMPORAL_TLS_CERT is deprecated.*TEMPORAL_TLS_CLIENT_CERT_PATH/);
  });

  it('TEMPORAL_TLS=true turns TLS on with system roots, false turns it off', () => {
    expect(typeof target({ TEMPORAL_TLS: 'true' }).tls).toBe('object');
    expect(target({}).tls).toBeUndefined();
    expect(target({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }).tls).toBe(false);
  });

  it('uses a profile of the Temporal config file, chosen by TEMPORAL_PROFILE; env overrides it', () => {
    const file = pem(
      'temporal.toml',
      [
        '[profile.default]',
        'address = "default-host:7233"',
        '[profile.prod]',
        'address = "prod-host:7233"',
        'namespace = "prod-ns"',
        'api_key = "prod-key"',
      ].join('\n'),
    );
    const base = { TEMPORAL_CONFIG_FILE: file };
    expect(target(base).address).toBe('default-host:7233');
    expect(target(base).explicitAddress).toBe(true);
    const prod = target({ ...base, TEMPORAL_PROFILE: 'prod' });
    expect(prod).toMatchObject({ address: 'prod-host:7233', namespace: 'prod-ns', apiKey: 'prod-key', tls: true });
    expect(target({ ...base, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'other' }).namespace).toBe('other');
  });

  it('reports an unknown profile, a half mTLS pair and an unreadable file as user errors', () => {
    const file = pem('one.toml', '[profile.default]\naddress = "h:7233"\n');
    expect(() => target({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'nope' })).toThrow(UserError);
    expect(() => target({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'nope' })).toThrow(/TEMPORAL_PROFILE=nope/);
    expect(() => target({ TEMPORAL_TLS_CLIENT_CERT_PATH: CERT })).toThrow(/must be set together/);
    const missing = path.join(dir, 'missing.pem');
    let error: unknown;
    try {
      target({ TEMPORAL_TLS_CLIENT_CERT_PATH: missing, TEMPORAL_TLS_CLIENT_KEY_PATH: KEY });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(missing);
  });
});
