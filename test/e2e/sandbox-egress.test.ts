// End to end: the opt-in egress policies of a sandbox, on real Docker with the real agent CLIs.
// `allowlist`: the container has no network; the host's egress proxy (reached through a mounted
// unix socket) lets the agent reach the allowlisted mock model, and refuses another loopback port
// that the test itself listens on. `none`: nothing at all is reachable. Loopback traffic only.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAdapter, resolveCredentials, shellQuote, type AgentName } from '../../core/agents/index.js';
import { docker } from '../../core/sandbox/docker.js';
import { parseAllowlist, sandboxPolicy, type SandboxPolicy } from '../../core/sandbox/policy.js';
import { execIn } from '../../activities/sandbox/exec.js';
import { CONTAINER_WORKSPACE } from '../../activities/sandbox/layout.js';
import { egressPaths, ensureEgress } from '../../activities/sandbox/egress.js';
import { DKMV_HOME } from '../../core/project.js';
import { componentWorkflow } from '../../workflows/index.js';
import { startTestWorker, testClient } from '../support/temporal.js';
import { createSandbox, destroySandbox } from '../../activities/sandbox/sandbox.js';
import type { SandboxHandle } from '../../core/engine/activity-types.js';
import { fileOnBranch, makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';

const IMAGE = process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest';
const root = tempDir('sandbox-egress');
process.env.DKMV_SANDBOX_DIR = path.join(root, 'sandboxes');

const SCRIPT = `
sessions:
  - match: "egress probe"
    turns:
      - bash: "echo reached > .agent-reached.txt"
      - text: "Done."
`;

let mock: Mock;
let other: http.Server;
let otherPort: number;
let allowed: http.Server;
let allowedPort: number;
let repo: string;
const boxes: SandboxHandle[] = [];

beforeAll(async () => {
  const scriptPath = path.join(root, 'script.yaml');
  writeFileSync(scriptPath, SCRIPT);
  mock = await startMock(scriptPath, root);
  // Another service on the host's loopback that no sandbox is allowed to reach.
  other = http.createServer((_req, res) => res.end('secret-service'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherPort = (other.address() as AddressInfo).port;
  // One that is allowlisted, standing in for a package registry (reached with CONNECT, like HTTPS).
  allowed = http.createServer((_req, res) => res.end('allowed-service'));
  await new Promise<void>((resolve) => allowed.listen(0, '127.0.0.1', resolve));
  allowedPort = (allowed.address() as AddressInfo).port;
  repo = makeBareRepo(root);
});

afterAll(async () => {
  for (const box of boxes) await destroySandbox(box).catch(() => undefined);
  await mock?.close();
  other?.close();
  allowed?.close();
  rmSync(root, { recursive: true, force: true });
});

async function sandbox(name: string, policy: SandboxPolicy): Promise<SandboxHandle> {
  const box = await createSandbox(
    {
      runId: `egress-${name}-${process.pid}`,
      component: 'egress-test',
      repo,
      branch: `egress-${name}`,
      image: IMAGE,
      memory: '2g',
      generation: 0,
      networkMode: 'host',
      modelUrl: mock.url,
      policy,
    },
    'dkmv-test',
  );
  boxes.push(box);
  return box;
}

async function runAgent(box: SandboxHandle, agent: AgentName, model: string) {
  const adapter = getAdapter(agent);
  const creds = await resolveCredentials({ env: {}, home: root, useGhCli: false });
  const inv = adapter.invocation({ prompt: 'egress probe', model, modelUrl: mock.url, maxTurns: 5 }, creds);
  for (const f of inv.files) {
    await execIn(box.containerId, ['bash', '-c', `mkdir -p "$(dirname "$F")" && printf '%s' "$C" > "$F"`], {
      env: { F: f.path, C: f.content },
    });
  }
  const cmd = `${inv.argv.map(shellQuote).join(' ')} < ${shellQuote(inv.stdin)}`;
  return execIn(box.containerId, ['bash', '-c', cmd], { env: inv.env, workdir: CONTAINER_WORKSPACE });
}

/** curl from inside the sandbox; returns curl's exit code and the body. */
async function curl(box: SandboxHandle, url: string, extra: string[] = []) {
  return execIn(box.containerId, ['curl', '-sS', '--max-time', '10', ...extra, url]);
}

async function execDetachedIn(box: SandboxHandle, script: string): Promise<void> {
  const exec = await docker()
    .getContainer(box.containerId)
    .exec({ Cmd: ['bash', '-c', script] });
  await exec.start({ Detach: true });
}

describe('network: allowlist', () => {
  let box: SandboxHandle;
  const mockHostPort = () => new URL(mock.url).host;

  beforeAll(async () => {
    box = await sandbox('allow', {
      network: 'allowlist',
      allow: parseAllowlist(`${mockHostPort()},127.0.0.1:${allowedPort}`),
      pidsLimit: 512,
    });
  });

  it('has no network of its own: only loopback, no route out', async () => {
    const info = await docker().getContainer(box.containerId).inspect();
    expect(info.HostConfig.NetworkMode).toBe('none');
    // The agents below run hardened: they need no capability at all.
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges');
    const nics = await execIn(box.containerId, ['ls', '/sys/class/net']);
    expect(nics.stdout.trim().split(/\s+/)).toEqual(['lo']);
  });

  it("keeps the container's own loopback direct (an app the agent starts, its tests)", async () => {
    await execIn(box.containerId, ['bash', '-c', 'echo own-app > /tmp/index.html']);
    await execDetachedIn(box, 'cd /tmp && exec python3 -m http.server 18765 --bind 127.0.0.1');
    let r = await curl(box, 'http://localhost:18765/index.html');
    for (let i = 0; i < 50 && r.exitCode !== 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      r = await curl(box, 'http://localhost:18765/index.html');
    }
    expect(r.stdout.trim()).toBe('own-app');
  });

  it.each([
    ['claude', 'claude-sonnet-4-5'],
    ['codex', 'gpt-5.5'],
  ] as [AgentName, string][])('%s reaches the allowlisted model through the egress proxy', async (agent, model) => {
    const before = mock.requests().length;
    const run = await runAgent(box, agent, model);
    expect(run.exitCode, run.stderr + run.stdout.slice(-2000)).toBe(0);
    expect(mock.requests().length).toBeGreaterThan(before);
    const reached = await execIn(box.containerId, ['cat', `${CONTAINER_WORKSPACE}/.agent-reached.txt`]);
    expect(reached.stdout.trim()).toBe('reached');
    await execIn(box.containerId, ['rm', '-f', `${CONTAINER_WORKSPACE}/.agent-reached.txt`]);
  });

  it('lets the proxy reach an allowlisted host:port, by CONNECT and by plain HTTP', async () => {
    const proxy = ['--noproxy', '', '--proxy', 'http://127.0.0.1:3128'];
    const tunnel = await curl(box, `http://127.0.0.1:${allowedPort}/`, [...proxy, '--proxytunnel']);
    expect(tunnel.stdout, tunnel.stderr).toBe('allowed-service');
    const plain = await curl(box, `http://127.0.0.1:${allowedPort}/`, proxy);
    expect(plain.stdout, plain.stderr).toBe('allowed-service');
  });

  it('refuses a loopback port of the host that is not on the allowlist, through the proxy or not', async () => {
    const proxy = 'http://127.0.0.1:3128';
    const viaProxy = await curl(box, `http://127.0.0.1:${otherPort}/`, ['--noproxy', '', '--proxy', proxy]);
    expect(viaProxy.stdout).not.toContain('secret-service');
    expect(viaProxy.stdout).toContain('is not on the allowlist');
    const tunnel = await curl(box, `http://127.0.0.1:${otherPort}/`, [
      '--noproxy',
      '',
      '--proxy',
      proxy,
      '--proxytunnel',
    ]);
    expect(tunnel.exitCode).not.toBe(0);
    expect(tunnel.stderr).toMatch(/403/);
    // Without the proxy, 127.0.0.1 is the container's own loopback: nothing listens there.
    const direct = await curl(box, `http://127.0.0.1:${otherPort}/`);
    expect(direct.exitCode).not.toBe(0);
    expect(direct.stdout).not.toContain('secret-service');
    const log = readFileSync(egressPaths(path.join(process.env.DKMV_SANDBOX_DIR!, box.sandboxId)).log, 'utf8');
    expect(log).toContain(`denied http 127.0.0.1:${otherPort}`);
    expect(log).toContain(`denied connect 127.0.0.1:${otherPort}`);
  });
});

describe('network: none', () => {
  it('reaches nothing, not even the mock model', async () => {
    const box = await sandbox('none', { network: 'none', allow: [], pidsLimit: 512 });
    const info = await docker().getContainer(box.containerId).inspect();
    expect(info.HostConfig.NetworkMode).toBe('none');
    const r = await curl(box, mock.url);
    expect(r.exitCode).not.toBe(0);
    const other = await curl(box, `http://127.0.0.1:${otherPort}/`);
    expect(other.exitCode).not.toBe(0);
    expect(other.stdout).not.toContain('secret-service');
  });
});

describe('a component run on a worker with DKMV_SANDBOX_NETWORK=allowlist', () => {
  it('completes: agent task, run gate, commit and push, with the sandbox on no network', async () => {
    const hello = await startMock(
      path.join(DKMV_HOME, 'components/examples/hello/model-script.yaml'),
      tempDir('egress-hello'),
    );
    const saved = process.env.DKMV_SANDBOX_NETWORK;
    process.env.DKMV_SANDBOX_NETWORK = 'allowlist';
    const worker = await startTestWorker();
    const { client, close } = await testClient();
    try {
      const input = runInput({
        component: 'hello',
        repo,
        branch: 'egress/hello',
        projectRoot: path.join(root, 'hello-project'),
        modelUrl: hello.url,
      });
      const handle = await client.workflow.start(componentWorkflow, {
        workflowId: input.runId,
        taskQueue: worker.target.taskQueue,
        args: [input],
      });
      // The sandbox while it lives: created on no network, labelled with its policy.
      let seen: string | undefined;
      for (let i = 0; i < 600 && !seen; i++) {
        const [c] = await docker().listContainers({ filters: { label: [`dkmv.run_id=${input.runId}`] } });
        seen = c?.Labels['dkmv.network'];
        if (!seen) await new Promise((r) => setTimeout(r, 100));
      }
      const view = await handle.result();
      expect(view.status).toBe('completed');
      expect(seen).toBe('allowlist');
      expect(hello.requests().length).toBeGreaterThan(0);
      expect(JSON.parse(fileOnBranch(repo, 'egress/hello', '.agent/greeting.json'))).toHaveProperty('greeting');
    } finally {
      await close();
      await worker.stop();
      await hello.close();
      if (saved === undefined) delete process.env.DKMV_SANDBOX_NETWORK;
      else process.env.DKMV_SANDBOX_NETWORK = saved;
    }
  });
});

describe('the egress proxy after a worker crash', () => {
  it('is started again by ensureEgress, which every detached run in the sandbox calls first', async () => {
    const box = await sandbox('restart', {
      network: 'allowlist',
      allow: parseAllowlist(`127.0.0.1:${allowedPort}`),
      pidsLimit: 512,
    });
    const sandboxRoot = path.join(process.env.DKMV_SANDBOX_DIR!, box.sandboxId);
    const proxy = ['--noproxy', '', '--proxy', 'http://127.0.0.1:3128', '--proxytunnel'];
    expect((await curl(box, `http://127.0.0.1:${allowedPort}/`, proxy)).stdout).toBe('allowed-service');
    // The proxy process dies (as with a host reboot or an OOM kill): egress stops...
    const { pid } = JSON.parse(readFileSync(egressPaths(sandboxRoot).state, 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    expect((await curl(box, `http://127.0.0.1:${allowedPort}/`, proxy)).exitCode).not.toBe(0);
    // ...until whichever worker runs something there next brings it back, with the same allowlist.
    await ensureEgress(sandboxRoot);
    expect((await curl(box, `http://127.0.0.1:${allowedPort}/`, proxy)).stdout).toBe('allowed-service');
    const denied = await curl(box, `http://127.0.0.1:${otherPort}/`, proxy);
    expect(denied.exitCode).not.toBe(0);
  });
});

describe('a bad policy in the worker environment', () => {
  it('stops `dkmv worker` before it connects: exit 2, the variable named, a fix, no stack', () => {
    const r = spawnSync(process.execPath, [path.join(DKMV_HOME, 'bin', 'dkmv.js'), 'worker'], {
      env: { ...process.env, DKMV_SANDBOX_NETWORK: 'allowlst', TEMPORAL_ADDRESS: '127.0.0.1:1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('DKMV_SANDBOX_NETWORK');
    expect(r.stderr).toContain("'allowlst'");
    expect(r.stderr).toMatch(/hint: set DKMV_SANDBOX_NETWORK to one of host, bridge, none, allowlist/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(sandboxPolicy({}).network).toBeUndefined(); // unset: what dkmv always did
  });
});
