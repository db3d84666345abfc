// Sandbox activities as the workflow calls them: create (on the shared queue; the answer names
// this worker's host queue) and destroy.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { dkmvFailure, FailureType } from '../../core/failures/index.js';
import { claudeAdapter } from '../../core/agents/index.js';
import type { SandboxHandle, SandboxRequest } from '../../core/engine/activity-types.js';

export type { SandboxRequest };
import { createSandbox as create, destroySandbox as destroy } from '../sandbox/sandbox.js';
import { workerCredentials } from './secrets.js';
import { isLoopbackUrl } from '../../core/sandbox/policy.js';
import { hasUnpushed } from './unpushed.js';
import { sandboxLayout } from '../sandbox/layout.js';
import { removeContainer } from '../../core/sandbox/docker.js';

/** Without a worker policy (DKMV_SANDBOX_NETWORK), a loopback model URL needs host networking. */
function networkMode(modelUrl: string): 'host' | 'bridge' {
  return isLoopbackUrl(modelUrl) ? 'host' : 'bridge';
}

export async function createSandbox(request: SandboxRequest): Promise<SandboxHandle> {
  const creds = await workerCredentials();
  const credentialMounts = claudeAdapter
    .mounts({ prompt: '' }, creds)
    .map((m) => ({ host: m.hostPath, container: m.containerPath }));
  try {
    return await create(
      {
        ...request,
        networkMode: networkMode(request.modelUrl),
        credentialMounts,
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
