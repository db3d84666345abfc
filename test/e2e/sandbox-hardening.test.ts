// End to end: a sandbox as createSandbox makes it (the one path every dkmv container takes),
// inspected on the real Docker engine and probed from inside: non-root, no capabilities, no
// privilege gain, a pids limit that holds, the memory limit, credentials read-only, no Docker socket.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../core/sandbox/docker.js';
import { execIn } from '../../activities/sandbox/exec.js';
import { createSandbox, destroySandbox } from '../../activities/sandbox/sandbox.js';
import type { SandboxHandle } from '../../core/engine/activity-types.js';
import { makeBareRepo, tempDir } from '../support/e2e.js';

const IMAGE = process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest';
const PIDS = 64;
const CRED_IN_CONTAINER = '/home/dkmv/.claude/.credentials.json';
const root = tempDir('sandbox-hardening');
process.env.DKMV_SANDBOX_DIR = path.join(root, 'sandboxes');

let box: SandboxHandle;

beforeAll(async () => {
  const creds = path.join(root, 'home', '.claude', '.credentials.json');
  mkdirSync(path.dirname(creds), { recursive: true });
  // World-writable on the host, so only the read-only mount can stop a write from the container.
  writeFileSync(creds, JSON.stringify({ claudeAiOauth: { accessToken: 'dkmv-test-marker-hardening-cred' } }), {
    mode: 0o666,
  });
  chmodSync(creds, 0o666);
  box = await createSandbox(
    {
      runId: `hardening-${process.pid}`,
      component: 'hardening-test',
      repo: makeBareRepo(root),
      branch: 'hardening',
      image: IMAGE,
      memory: '1g',
      generation: 0,
      networkMode: 'host',
      credentialMounts: [{ host: creds, container: CRED_IN_CONTAINER }],
      policy: { network: undefined, allow: [], pidsLimit: PIDS },
    },
    'dkmv-test',
  );
});

afterAll(async () => {
  if (box) await destroySandbox(box).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

describe('a sandbox container', () => {
  it('is created with no capabilities, no-new-privileges, a pids and a memory limit', async () => {
    const info = await docker().getContainer(box.containerId).inspect();
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.CapAdd ?? []).toEqual([]);
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges');
    expect(info.HostConfig.PidsLimit).toBe(PIDS);
    expect(info.HostConfig.Memory).toBe(1024 ** 3);
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.Config.User).not.toMatch(/^(0|root)(:|$)/);
  });

  it('mounts credentials read-only and never the Docker socket', async () => {
    const info = await docker().getContainer(box.containerId).inspect();
    const cred = info.Mounts.find((m) => m.Destination === CRED_IN_CONTAINER);
    expect(cred?.RW).toBe(false);
    for (const m of info.Mounts) {
      expect(m.Source).not.toMatch(/docker\.sock/);
      expect(m.Destination).not.toMatch(/docker\.sock/);
    }
    const write = await execIn(box.containerId, ['sh', '-c', `echo x >> ${CRED_IN_CONTAINER}`]);
    expect(write.exitCode).not.toBe(0);
    expect(write.stderr).toMatch(/Read-only file system/);
    const sock = await execIn(box.containerId, ['sh', '-c', 'ls /var/run/docker.sock /run/docker.sock']);
    expect(sock.exitCode).not.toBe(0);
  });

  it('runs its processes non-root with no effective capabilities and NoNewPrivs set', async () => {
    const r = await execIn(box.containerId, [
      'sh',
      '-c',
      'id -u; grep -E "^(CapEff|CapPrm|NoNewPrivs):" /proc/self/status',
    ]);
    expect(r.exitCode).toBe(0);
    const [uid, ...status] = r.stdout.trim().split('\n');
    expect(Number(uid)).not.toBe(0);
    expect(status).toContain('CapEff:\t0000000000000000');
    expect(status).toContain('CapPrm:\t0000000000000000');
    expect(status).toContain('NoNewPrivs:\t1');
    // setuid binaries give nothing back: su cannot become root.
    const su = await execIn(box.containerId, ['sh', '-c', 'su -c id root </dev/null']);
    expect(su.exitCode).not.toBe(0);
  });

  it('bounds the number of processes: forking past the pids limit fails', async () => {
    // A bounded probe, not a fork bomb: try PIDS + 10 sleeping children, count, kill them all.
    const probe = [
      'import os, time, errno',
      'kids, err = [], None',
      `for _ in range(${PIDS + 10}):`,
      '    try:',
      '        pid = os.fork()',
      '    except OSError as e:',
      '        err = errno.errorcode.get(e.errno, str(e.errno)); break',
      '    if pid == 0:',
      '        time.sleep(60); os._exit(0)',
      '    kids.append(pid)',
      'for k in kids: os.kill(k, 9)',
      'for k in kids: os.waitpid(k, 0)',
      'print(len(kids), err)',
    ].join('\n');
    const r = await execIn(box.containerId, ['python3', '-c', probe]);
    expect(r.exitCode, r.stderr).toBe(0);
    const [count, err] = r.stdout.trim().split(' ');
    expect(Number(count)).toBeLessThan(PIDS);
    expect(Number(count)).toBeGreaterThan(PIDS / 2); // the limit, not something else, stopped it
    expect(err).toBe('EAGAIN');
  });
});
