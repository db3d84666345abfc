// One dockerode client per worker process (DOCKER_HOST or the local socket).
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
