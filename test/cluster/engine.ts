// A second Docker engine on this machine, standing in for a second Docker host: its own socket, data
// root, exec root (and so its own containerd), no bridge network or iptables rules of its own.
// The data root is kept between runs, so the sandbox image is copied into it only once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

export interface DockerEngine {
  socket: string;
  host: string;
  stop(): Promise<void>;
}

function dockerOn(host: string, args: string[], input?: Buffer) {
  return spawnSync('docker', ['-H', host, ...args], { encoding: 'utf8', input, maxBuffer: 16 * 1024 * 1024 });
}

export async function startEngine(name: string, logDir: string): Promise<DockerEngine> {
  const socket = `/run/${name}.sock`;
  const host = `unix://${socket}`;
  const dataRoot = `/var/lib/${name}`;
  const execRoot = `/run/${name}`;
  mkdirSync(dataRoot, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const log = openSync(path.join(logDir, `${name}.log`), 'a');
  const child: ChildProcess = spawn(
    'dockerd',
    [
      `--host=${host}`,
      `--data-root=${dataRoot}`,
      `--exec-root=${execRoot}`,
      `--pidfile=/run/${name}.pid`,
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
    ],
    { stdio: ['ignore', log, log] },
  );
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null)
      throw new Error(`dockerd ${name} exited (${child.exitCode}); see ${logDir}/${name}.log`);
    if (existsSync(socket) && dockerOn(host, ['info', '--format', '{{.ServerVersion}}']).status === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    socket,
    host,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Copies an image from the default engine into `engine` unless it already has the same image id. */
export function copyImage(image: string, engine: DockerEngine): void {
  const id = spawnSync('docker', ['image', 'inspect', '-f', '{{.Id}}', image], { encoding: 'utf8' }).stdout.trim();
  if (!id) throw new Error(`image ${image} is missing on the default engine (run npm run setup -- --cluster)`);
  const there = dockerOn(engine.host, ['image', 'inspect', '-f', '{{.Id}}', image]).stdout.trim();
  if (there === id) return;
  const res = spawnSync('bash', ['-c', `docker save ${image} | docker -H ${engine.host} load -q`], {
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`copying ${image} to ${engine.host} failed: ${res.stderr}`);
}
