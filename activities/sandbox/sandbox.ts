// Sandbox lifecycle: one container per component run, with the branch cloned into a host
// workspace that is bind-mounted into it. Recreating a sandbox (after a lost container) starts
// from a fresh clone of the pushed branch.
import os from 'node:os';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { dkmvFailure, FailureType } from '../../core/failures/index.js';
import { cloneBranch } from '../git/workspace.js';
import { removeTree } from '../process/remove-tree.js';
import { docker, removeContainer } from '../../core/sandbox/docker.js';
import { execIn } from './exec.js';
import { CONTAINER_CONTROL, CONTAINER_WORKSPACE, sandboxLayout, type SandboxLayout } from './layout.js';
import { parseMemory } from './memory.js';
import { handToSandbox, SANDBOX_UID } from './ownership.js';
import {
  CONTAINER_EGRESS_DIR,
  CONTAINER_PROXY_PORT,
  egressPaths,
  proxyEnv,
  relayCommand,
  startEgress,
  stopEgress,
} from './egress.js';
import { sandboxHostConfig, type Bind } from '../../core/sandbox/host-config.js';
import {
  effectiveNetwork,
  modelEndpoints,
  sandboxPolicy,
  type NetworkMode,
  type SandboxPolicy,
} from '../../core/sandbox/policy.js';
import type { SandboxHandle, SandboxRequest } from '../../core/engine/activity-types.js';

export interface CreateSandboxInput extends Omit<SandboxRequest, 'modelUrl'> {
  /**
   * The network when the worker sets no policy (DKMV_SANDBOX_NETWORK): 'host' reaches model
   * endpoints on the worker's 127.0.0.1 (mock models, local gateways).
   */
  networkMode: 'host' | 'bridge';
  /** The agent's model endpoint override: always on the allowlist in `allowlist` mode. */
  modelUrl?: string;
  githubToken?: string;
  /** Credential files, always mounted read-only (e.g. the Claude credentials file). */
  credentialMounts?: Bind[];
  /** The worker's containment policy (default: read from its environment). */
  policy?: SandboxPolicy;
}

export function sandboxIdOf(runId: string, generation: number): string {
  return generation === 0 ? runId : `${runId}-g${generation}`;
}

/** Container user: the worker's own uid when not root (files stay theirs), else the image's dkmv user. */
function containerUser(): string {
  const uid = process.getuid?.() ?? 1000;
  const gid = process.getgid?.() ?? 1000;
  return uid !== 0 ? `${uid}:${gid}` : `${SANDBOX_UID}:${SANDBOX_UID}`;
}

export function hostTaskQueue(base: string): string {
  return `${base}@${process.env.DKMV_HOST_ID || hostName()}`;
}

function hostName(): string {
  return process.env.HOSTNAME || os.hostname() || 'localhost';
}

export async function createSandbox(input: CreateSandboxInput, baseTaskQueue: string): Promise<SandboxHandle> {
  const sandboxId = sandboxIdOf(input.runId, input.generation);
  const layout = sandboxLayout(sandboxId);
  const containerName = `dkmv-${sandboxId}`;
  await removeContainer(containerName); // a retried attempt starts clean
  stopEgress(layout.root);
  await removeTree(layout.root);
  mkdirSync(layout.control, { recursive: true });
  mkdirSync(layout.workspace, { recursive: true });
  const policy = input.policy ?? sandboxPolicy();
  const network = effectiveNetwork(policy, input.networkMode);
  const allow = [...new Set([...policy.allow, ...modelEndpoints(input.modelUrl)])];
  if (network === 'allowlist') await startEgress(layout.root, allow);
  // The clone and the container start are independent: do them at the same time.
  const [cloned, started] = await Promise.allSettled([
    cloneInto(input, layout),
    startContainer(input, layout, containerName, sandboxId, { network, allow, pidsLimit: policy.pidsLimit }),
  ]);
  if (cloned.status === 'rejected' || started.status === 'rejected') {
    await removeContainer(containerName).catch(() => undefined);
    stopEgress(layout.root);
    await removeTree(layout.root);
    throw cloned.status === 'rejected' ? cloned.reason : (started as PromiseRejectedResult).reason;
  }
  const clone = cloned.value;
  const containerId = started.value;
  // The branch's git config as cloned, kept where the container cannot reach (see restoreGitConfig).
  copyFileSync(path.join(layout.workspace, '.git', 'config'), path.join(layout.root, 'git-config'));
  await handToSandbox(layout.workspace, layout.control);
  return {
    sandboxId,
    containerId,
    containerName,
    branchCreated: clone.branchCreated,
    head: clone.head,
    hostTaskQueue: hostTaskQueue(baseTaskQueue),
  };
}

async function cloneInto(input: CreateSandboxInput, layout: SandboxLayout) {
  try {
    return await cloneBranch(input.repo, input.branch, layout.workspace, input.githubToken);
  } catch (err) {
    throw dkmvFailure(FailureType.CloneFailed, `cannot clone ${input.repo}: ${(err as Error).message}`);
  }
}

async function startContainer(
  input: CreateSandboxInput,
  layout: SandboxLayout,
  containerName: string,
  sandboxId: string,
  net: { network: NetworkMode; allow: string[]; pidsLimit: number },
): Promise<string> {
  const allowlist = net.network === 'allowlist';
  const readOnlyBinds: Bind[] = [...(input.credentialMounts ?? [])];
  // allowlist = no network at all, plus the folder with the host proxy's socket and the relay to it.
  if (allowlist) readOnlyBinds.push({ host: egressPaths(layout.root).dir, container: CONTAINER_EGRESS_DIR });
  const container = await docker().createContainer({
    name: containerName,
    Image: input.image,
    Cmd: allowlist ? relayCommand(net.allow) : ['sleep', 'infinity'],
    User: containerUser(),
    WorkingDir: CONTAINER_WORKSPACE,
    ...(allowlist ? { Env: proxyEnv() } : {}),
    Labels: {
      dkmv: '1',
      'dkmv.run_id': input.runId,
      'dkmv.component': input.component,
      'dkmv.sandbox': sandboxId,
      'dkmv.network': net.network,
    },
    HostConfig: sandboxHostConfig({
      binds: [
        { host: layout.workspace, container: CONTAINER_WORKSPACE },
        { host: layout.control, container: CONTAINER_CONTROL },
      ],
      readOnlyBinds,
      memoryBytes: parseMemory(input.memory),
      pidsLimit: net.pidsLimit,
      networkMode: net.network === 'allowlist' ? 'none' : net.network,
    }),
  });
  await container.start();
  if (allowlist) await waitForRelay(container.id);
  return container.id;
}

/** The agent must not start before the relay listens (its first request would fail). */
async function waitForRelay(containerId: string): Promise<void> {
  const probe = `exec 3<>/dev/tcp/127.0.0.1/${CONTAINER_PROXY_PORT}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await execIn(containerId, ['bash', '-c', probe]);
    if (r.exitCode === 0) return;
    if (Date.now() > deadline) throw new Error(`the sandbox's egress relay did not start: ${r.stderr.trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Removes the container and its host folder (kept when `keep` is set, for `dkmv attach`). */
export async function destroySandbox(
  ref: Pick<SandboxHandle, 'sandboxId' | 'containerId'>,
  keep = false,
): Promise<void> {
  if (keep) return;
  await removeContainer(ref.containerId);
  stopEgress(sandboxLayout(ref.sandboxId).root);
  await removeTree(sandboxLayout(ref.sandboxId).root);
}

/**
 * The agent can write the workspace's `.git/` (hooks, config with filters, fsmonitor, credential
 * helpers). Before host-side git touches it, the config goes back to what was cloned; hooks and
 * fsmonitor are switched off in gitEnv. Nothing the agent wrote into .git then runs on the host.
 */
export function restoreGitConfig(sandboxId: string): void {
  const layout = sandboxLayout(sandboxId);
  copyFileSync(path.join(layout.root, 'git-config'), path.join(layout.workspace, '.git', 'config'));
}
