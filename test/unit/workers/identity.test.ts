// The worker's identity names its dkmv version and install folder; a CLI of another one warns.
import { describe, expect, it } from 'vitest';
import { buildMismatch, buildOf, workerIdentity } from '../../../core/worker-identity.js';

const mine = { version: '0.2.0', home: '/usr/lib/node_modules/dkmv' };

describe('worker identity and version', () => {
  it('carries the version and where the worker runs from', () => {
    const id = workerIdentity(mine, 4242);
    expect(id).toMatch(/^dkmv-worker@.+:4242 v0\.2\.0 \(\/usr\/lib\/node_modules\/dkmv\)$/);
    expect(buildOf(id)).toEqual(mine);
    expect(buildOf('dkmv-worker@host:1')).toBeUndefined(); // an older worker says nothing
  });

  it('warns when the workers run another version or install, not otherwise', () => {
    expect(buildMismatch([workerIdentity(mine)], mine)).toBeUndefined();
    expect(buildMismatch(['dkmv-worker@host:1'], mine)).toBeUndefined();
    const old = workerIdentity({ version: '0.1.0', home: '/home/me/dkmv' });
    const warning = buildMismatch([old], mine);
    expect(warning).toContain('v0.1.0 from /home/me/dkmv');
    expect(warning).toContain('this CLI is v0.2.0');
    expect(warning).toContain('dkmv down && dkmv up');
    expect(buildMismatch([old, workerIdentity(mine)], mine)).toBeUndefined(); // one of them is ours
  });

  it('compares the install folder only for a worker on this machine', () => {
    const elsewhere = 'dkmv-worker@other-host:7 v0.2.0 (/app)';
    expect(buildMismatch([elsewhere], mine, 'this-host')).toBeUndefined(); // same version, its own folder
    expect(buildMismatch(['dkmv-worker@other-host:7 v0.1.0 (/app)'], mine, 'this-host')).toContain('v0.1.0 from /app');
    expect(buildMismatch(['dkmv-worker@this-host:7 v0.2.0 (/app)'], mine, 'this-host')).toContain('from /app');
  });
});
