// The two Docker Engine calls the CLI makes on sandbox containers (list them, remove one), over
// docker-modem: dockerode's own transport, with its DOCKER_HOST / socket / TLS handling, without
// dockerode itself, whose require loads its BuildKit session code (@grpc/grpc-js, protobufjs:
// ≈ 0.5 s) — a cost `dkmv stop`, `attach` and `clean` should not pay to list a few containers.
import type Docker from 'dockerode';
import Modem from 'docker-modem';

let modem: Modem | undefined;

function dial<T>(options: Modem.DialOptions): Promise<T> {
  modem ??= new Modem();
  return new Promise((resolve, reject) =>
    modem!.dial(options, (err, data) => (err ? reject(err) : resolve(data as T))),
  );
}

/** GET /containers/json, as dockerode's listContainers sends it. */
export function listContainers(options: { all?: boolean; filters?: Record<string, string[]> }) {
  return dial<Docker.ContainerInfo[]>({
    path: '/containers/json?',
    method: 'GET',
    options,
    statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
  });
}

/** Removes a container (forced); false when there is no such container. */
export async function removeContainer(nameOrId: string): Promise<boolean> {
  try {
    await dial({
      path: `/containers/${encodeURIComponent(nameOrId)}?`,
      method: 'DELETE',
      options: { force: true },
      statusCodes: { 204: true, 400: 'bad parameter', 404: 'no such container', 409: 'conflict', 500: 'server error' },
    });
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}
