// Sandbox lifecycle: one container per component run, with the branch cloned into a host
// workspace that is bind-mounted into it. Recreating a sandbox (after a lost container) starts
// from a fresh clone of the pushed branch.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { dkmvFailure, FailureType } from '../../core/failures/index.js';
import { cloneBranch } from '../git/workspace.js';
import { docker, removeContainer } from '../../core/sandbox/docker.js';
import { CONTAINER_CONTROL, CONTAINER_WORKSPACE, sandboxLayout, type SandboxLayout } from './layout.js';
import { parseMemory } from './memory.js';
import { handToSandbox, SANDBOX_UID } from './ownership.js';
import type { SandboxHandle, SandboxRequest } from '../../core/engine/activity-types.js';

export interface CreateSandboxInput extends Omit<SandboxRequest, 'modelUrl'> {
  /** 'host' reaches model endpoints on the worker's 127.0.0.1 (mock models, local gateways). */
  networkMode: 'host' | 'bridge';
  githubToken?: string;
  /** Read-only bind mounts (`host:container:ro`), e.g. the Claude credentials file. */
  extraBinds?: string[];
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
  return process.env.HOSTNAME || spawnSync('hostname', { encoding: 'utf8' }).stdout.trim() || 'localhost';
}

export async function createSandbox(input: CreateSandboxInput, baseTaskQueue: string): Promise<SandboxHandle> {
  const sandboxId = sandboxIdOf(input.runId, input.generation);
  const layout = sandboxLayout(sandboxId);
  const containerName = `dkmv-${sandboxId}`;
  await removeContainer(containerName); // a retried attempt starts clean
  rmSync(layout.root, { recursive: true, force: true });
  mkdirSync(layout.control, { recursive: true });
  mkdirSync(layout.workspace, { recursive: true });
  // The clone and the container start are independent: do them at the same time.
  const [cloned, started] = await Promise.allSettled([
    cloneInto(input, layout),
    startContainer(input, layout, containerName, sandboxId),
  ]);
  if (cloned.status === 'rejected' || started.status === 'rejected') {
    await removeContainer(containerName).catch(() => undefined);
    rmSync(layout.root, { recursive: true, force: true });
    throw cloned.status === 'rejected' ? cloned.reason : (started as PromiseRejectedResult).reason;
  }
  const clone = cloned.value;
  const containerId = started.value;
  // The branch's git config as cloned, kept where the container cannot reach (see restoreGitConfig).
  copyFileSync(path.join(layout.workspace, '.git', 'config'), path.join(layout.root, 'git-config'));
  handToSandbox(layout.workspace, layout.control);
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
): Promise<string> {
  const container = await docker().createContainer({
    name: containerName,
    Image: input.image,
    Cmd: ['sleep', 'infinity'],
    User: containerUser(),
    WorkingDir: CONTAINER_WORKSPACE,
    Labels: { dkmv: '1', 'dkmv.run_id': input.runId, 'dkmv.component': input.component, 'dkmv.sandbox': sandboxId },
    HostConfig: {
      Binds: [
        `${layout.workspace}:${CONTAINER_WORKSPACE}`,
        `${layout.control}:${CONTAINER_CONTROL}`,
        ...(input.extraBinds ?? []),
      ],
      Memory: parseMemory(input.memory),
      NetworkMode: input.networkMode,
      Init: true,
    },
  });
  await container.start();
  return container.id;
}

/** Removes the container and its host folder (kept when `keep` is set, for `dkmv attach`). */
export async function destroySandbox(
  ref: Pick<SandboxHandle, 'sandboxId' | 'containerId'>,
  keep = false,
): Promise<void> {
  if (keep) return;
  await removeContainer(ref.containerId);
  rmSync(sandboxLayout(ref.sandboxId).root, { recursive: true, force: true });
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
