// Sandbox containers (label dkmv=1, dkmv.run_id=<run id>, named dkmv-<sandbox id>) and the host
// folders of sandboxes, for `attach`, `stop` and `clean`.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { listContainers } from './docker-engine.js';
import { sandboxesRoot } from '../../core/sandbox/paths.js';
import { UserError } from '../../core/errors.js';

export interface SandboxContainer {
  id: string;
  name: string;
  runId: string;
  sandboxId: string;
  running: boolean;
  state: string;
}

function toContainer(info: Docker.ContainerInfo): SandboxContainer {
  const labels = info.Labels ?? {};
  return {
    id: info.Id,
    name: (info.Names?.[0] ?? info.Id).replace(/^\//, ''),
    runId: labels['dkmv.run_id'] ?? '',
    sandboxId: labels['dkmv.sandbox'] ?? labels['dkmv.run_id'] ?? '',
    running: info.State === 'running',
    state: info.State,
  };
}

/** dkmv containers, all of them or those of one run. */
export async function listSandboxContainers(runId?: string): Promise<SandboxContainer[]> {
  const label = ['dkmv=1', ...(runId ? [`dkmv.run_id=${runId}`] : [])];
  let infos: Docker.ContainerInfo[];
  try {
    infos = await listContainers({ all: true, filters: { label } });
  } catch (err) {
    throw new UserError(`cannot talk to the Docker engine: ${(err as Error).message}`, {
      hint: 'is Docker running? (docker info)',
      exitCode: 1,
    });
  }
  return infos.map(toContainer);
}

export { removeContainer } from './docker-engine.js';

/** Sandbox folders on this host (one per sandbox id: `<run id>` or `<run id>-g<n>`). */
export function sandboxFolders(): { sandboxId: string; dir: string }[] {
  const root = sandboxesRoot();
  try {
    return readdirSync(root).map((sandboxId) => ({ sandboxId, dir: path.join(root, sandboxId) }));
  } catch {
    return [];
  }
}

/** The run a sandbox id belongs to. */
export function runIdOfSandbox(sandboxId: string): string {
  return sandboxId.replace(/-g\d+$/, '');
}

export function removeFolder(dir: string): string | undefined {
  try {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
