// One dockerode client per process (DOCKER_HOST or the local socket), shared by the sandbox
// activities and the CLI's `attach`/`stop`/`clean`, and the one way to remove a container.
import Docker from 'dockerode';

let client: Docker | undefined;

export function docker(): Docker {
  client ??= new Docker();
  return client;
}

/** True when dockerode's error means "no such container". */
export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { statusCode?: number }).statusCode === 404;
}

/** Force-removes a container; false when it was already gone. */
export async function removeContainer(nameOrId: string): Promise<boolean> {
  try {
    await docker().getContainer(nameOrId).remove({ force: true });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
