// The one place a sandbox container's Docker HostConfig is built, so every container dkmv creates
// (component sandboxes, harness smoke and evaluator sandboxes) gets the same containment: no Linux
// capabilities, no privilege gain through setuid binaries, a pids limit, a memory limit, credentials
// mounted read-only, and never the Docker socket.
import path from 'node:path';
import type Docker from 'dockerode';

export interface Bind {
  host: string;
  container: string;
}

export interface SandboxHostConfigInput {
  /** Read-write mounts (the workspace and the control folder). */
  binds: Bind[];
  /** Always mounted read-only: credential files, helper scripts, the egress socket folder. */
  readOnlyBinds: Bind[];
  memoryBytes: number;
  pidsLimit: number;
  /** Docker's network mode; `allowlist` sandboxes are `none` plus the egress socket. */
  networkMode: 'host' | 'bridge' | 'none';
}

/** Capabilities the agent CLIs need: none (they run as a normal user; measured in test/e2e/sandbox-hardening). */
export const SANDBOX_CAPABILITIES: string[] = [];

const DOCKER_SOCKET = /(^|\/)docker\.sock$|^\/var\/run\/?$|^\/run\/?$|^\/var\/run\/docker(\/|$)|^\/run\/docker(\/|$)/;

/** A mount that would hand the container the Docker engine (root on the host) is a bug, not a setting. */
export function assertNoDockerSocket(bind: Bind): void {
  for (const p of [bind.host, bind.container]) {
    if (DOCKER_SOCKET.test(path.posix.normalize(p))) {
      throw new Error(`refusing to mount ${p} into a sandbox: it would give the agent the Docker engine`);
    }
  }
}

export function sandboxHostConfig(input: SandboxHostConfigInput): Docker.HostConfig {
  const all = [...input.binds, ...input.readOnlyBinds];
  all.forEach(assertNoDockerSocket);
  return {
    Binds: [
      ...input.binds.map((b) => `${b.host}:${b.container}`),
      ...input.readOnlyBinds.map((b) => `${b.host}:${b.container}:ro`),
    ],
    Memory: input.memoryBytes,
    PidsLimit: input.pidsLimit,
    CapDrop: ['ALL'],
    CapAdd: SANDBOX_CAPABILITIES,
    SecurityOpt: ['no-new-privileges'],
    NetworkMode: input.networkMode,
    // tini as PID 1 reaps the agent's orphaned children.
    Init: true,
  };
}
