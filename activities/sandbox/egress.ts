// The host side of `network: allowlist`: one egress proxy process per sandbox (egress-proxy.cjs),
// started detached so it outlives a crashed worker, and restarted by whichever worker next runs
// something in that sandbox (ensureEgress). Its state file lives in the sandbox's host folder,
// outside every mount, so the agent cannot change its own allowlist.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, closeSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DKMV_HOME } from '../../core/project.js';
import { sandboxesRoot } from '../../core/sandbox/paths.js';

// Read from the source tree (DKMV_HOME): the compiled dist/ has only .js files.
const PROXY = path.join(DKMV_HOME, 'activities', 'sandbox', 'egress-proxy.cjs');
const RELAY = path.join(DKMV_HOME, 'activities', 'sandbox', 'egress-relay.cjs');

/** Inside the container: the socket folder (holding the relay script too) and the proxy port on its loopback. */
export const CONTAINER_EGRESS_DIR = '/home/dkmv/.dkmv-egress';
export const CONTAINER_PROXY_PORT = 3128;
const SOCKET_NAME = 'proxy.sock';
const RELAY_NAME = 'relay.cjs';

interface EgressState {
  pid: number;
  allow: string[];
}

/** Host paths of a sandbox's egress: the mounted socket folder and the private state file. */
export function egressPaths(sandboxRoot: string) {
  return {
    dir: path.join(sandboxRoot, 'egress'),
    socket: path.join(sandboxRoot, 'egress', SOCKET_NAME),
    state: path.join(sandboxRoot, 'egress.json'),
    log: path.join(sandboxRoot, 'egress.log'),
  };
}

/**
 * The container's environment in allowlist mode: every usual client reads one of these names.
 * Loopback skips the proxy: it is the container's own (an app the agent started, its tests), and
 * allowlisted services on the host's loopback are forwarded onto it (see loopbackForwards).
 */
export function proxyEnv(): string[] {
  const url = `http://127.0.0.1:${CONTAINER_PROXY_PORT}`;
  const noProxy = 'localhost,127.0.0.1,::1';
  return [
    ...['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy'].map((k) => `${k}=${url}`),
    `NO_PROXY=${noProxy}`,
    `no_proxy=${noProxy}`,
  ];
}

/** Allowlist entries on the host's IPv4 loopback, to appear on the same port inside the container. */
export function loopbackForwards(allow: string[]): { host: string; port: number }[] {
  return allow
    .map((entry) => /^(127\.\d+\.\d+\.\d+|localhost):(\d+)$/.exec(entry))
    .filter((m): m is RegExpExecArray => !!m && Number(m[2]) !== CONTAINER_PROXY_PORT)
    .map((m) => ({ host: m[1]!, port: Number(m[2]) }));
}

/** The container's main command in allowlist mode: the relay in the background, then sleep. */
export function relayCommand(allow: string[]): string[] {
  const socket = `${CONTAINER_EGRESS_DIR}/${SOCKET_NAME}`;
  const specs = [`proxy:${CONTAINER_PROXY_PORT}`, ...loopbackForwards(allow).map((f) => `forward:${f.port}:${f.host}`)];
  const relay = `${CONTAINER_EGRESS_DIR}/${RELAY_NAME}`;
  return ['sh', '-c', `node ${relay} ${socket} ${specs.join(' ')} & exec sleep infinity`];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readState(sandboxRoot: string): EgressState | undefined {
  try {
    return JSON.parse(readFileSync(egressPaths(sandboxRoot).state, 'utf8')) as EgressState;
  } catch {
    return undefined;
  }
}

/** Starts (or restarts) the proxy of a sandbox with this allowlist and waits for its socket. */
export async function startEgress(sandboxRoot: string, allow: string[]): Promise<void> {
  const paths = egressPaths(sandboxRoot);
  stopEgress(sandboxRoot);
  mkdirSync(paths.dir, { recursive: true });
  // The relay is mounted from the sandbox's folder, not the source tree: a worker in a container
  // (docker-compose.yml) shares only DKMV_SANDBOX_DIR with the Docker host.
  copyFileSync(RELAY, path.join(paths.dir, RELAY_NAME));
  const log = openSync(paths.log, 'a');
  // cwd = the socket folder and a relative socket name: unix socket paths are limited to 108 bytes.
  const child = spawn(process.execPath, [PROXY, SOCKET_NAME, JSON.stringify(allow)], {
    cwd: paths.dir,
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error('the sandbox egress proxy did not start');
  writeFileSync(paths.state, JSON.stringify({ pid: child.pid, allow } satisfies EgressState));
  const deadline = Date.now() + 10_000;
  while (!existsSync(paths.socket)) {
    if (Date.now() > deadline || !alive(child.pid)) {
      throw new Error(`the sandbox egress proxy did not start; see ${paths.log}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** After a worker crash or on another worker process: the proxy runs again if it had stopped. */
export async function ensureEgress(sandboxRoot: string): Promise<void> {
  const state = readState(sandboxRoot);
  if (!state || (alive(state.pid) && existsSync(egressPaths(sandboxRoot).socket))) return;
  await startEgress(sandboxRoot, state.allow);
}

/** The sandbox root of a path inside it (e.g. a control folder), or undefined. */
export function sandboxRootOf(hostPath: string): string | undefined {
  const rel = path.relative(sandboxesRoot(), hostPath);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return path.join(sandboxesRoot(), rel.split(path.sep)[0]!);
}

export function stopEgress(sandboxRoot: string): void {
  const paths = egressPaths(sandboxRoot);
  const state = readState(sandboxRoot);
  if (state && alive(state.pid)) {
    try {
      process.kill(state.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(paths.socket, { force: true });
}
