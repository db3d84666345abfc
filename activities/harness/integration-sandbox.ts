// The sandbox of the harness's agent-less steps (CHECK, SMOKE, the lockfiles before SHIP): the
// integration branch's head cloned into a container on the host network (an app under test listens
// on the host's loopback, on a port no other sandbox uses), with the worker's GitHub token for the
// clone; and a bash command run in it under a time limit, its output merged.
import type { SandboxHandle } from '../../core/engine/activity-types.js';
import { workerCredentials } from '../engine/secrets.js';
import { execIn, type ExecResult } from '../sandbox/exec.js';
import { CONTAINER_WORKSPACE } from '../sandbox/layout.js';
import { createSandbox } from '../sandbox/sandbox.js';
import { shq } from './sandbox-output.js';

export interface IntegrationSandboxInput {
  /** Names the sandbox (e.g. `<run>-check-r2`): a retry re-uses the name and removes what was left. */
  runId: string;
  component: string;
  repo: string;
  /** The integration branch: its head is cloned. */
  branch: string;
  image: string;
  memory?: string;
}

export async function openIntegrationSandbox(input: IntegrationSandboxInput): Promise<SandboxHandle> {
  const creds = await workerCredentials();
  return createSandbox(
    {
      runId: input.runId,
      component: input.component,
      repo: input.repo,
      branch: input.branch,
      image: input.image,
      memory: input.memory ?? '4g',
      generation: 0,
      networkMode: 'host',
      ...(creds.githubToken ? { githubToken: creds.githubToken } : {}),
    },
    'dkmv',
  );
}

/** `command` in the workspace under `timeout` (exit 124 when it ran out), stderr merged into stdout. */
export function runTimed(
  containerId: string,
  command: string,
  timeoutS: number,
  env: Record<string, string>,
): Promise<ExecResult> {
  return execIn(containerId, ['bash', '-c', `timeout ${timeoutS} bash -c ${shq(command)} 2>&1`], {
    env,
    workdir: CONTAINER_WORKSPACE,
  });
}
