// Sandbox activities as the workflow calls them: create (on the shared queue; the answer names
// this worker's host queue) and destroy.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { dkmvFailure, FailureType } from '../../core/failures/index.js';
import { claudeAdapter } from '../../core/agents/index.js';
import type { SandboxHandle, SandboxRequest } from '../../core/engine/activity-types.js';

export type { SandboxRequest };
import { createSandbox as create, destroySandbox as destroy } from '../sandbox/sandbox.js';
import { workerCredentials } from './secrets.js';
import { hasUnpushed } from './unpushed.js';
import { sandboxLayout } from '../sandbox/layout.js';
import { removeContainer } from '../../core/sandbox/docker.js';

function networkMode(modelUrl: string): 'host' | 'bridge' {
  const forced = process.env.DKMV_SANDBOX_NETWORK;
  if (forced === 'host' || forced === 'bridge') return forced;
  return /^https?:\/\/(127\.|localhost|\[::1\])/.test(modelUrl) ? 'host' : 'bridge';
}

export async function createSandbox(request: SandboxRequest): Promise<SandboxHandle> {
  const creds = await workerCredentials();
  const extraBinds = claudeAdapter.mounts({ prompt: '' }, creds).map((m) => `${m.hostPath}:${m.containerPath}:ro`);
  try {
    return await create(
      {
        ...request,
        networkMode: networkMode(request.modelUrl),
        extraBinds,
        ...(creds.githubToken ? { githubToken: creds.githubToken } : {}),
      },
      Context.current().info.taskQueue,
    );
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    const message = (err as Error).message;
    if (/No such image|not found/i.test(message)) {
      throw dkmvFailure(
        FailureType.SandboxImageMissing,
        `sandbox image ${request.image} is missing on this worker: run \`dkmv build\``,
      );
    }
    throw err;
  }
}

/** Removes the sandbox; one holding an unpushed commit loses its container but keeps its folder. */
export async function destroySandbox(handle: SandboxHandle, keep: boolean): Promise<void> {
  if (!keep && hasUnpushed(sandboxLayout(handle.sandboxId).root)) {
    await removeContainer(handle.containerId);
    return;
  }
  await destroy(handle, keep);
}
