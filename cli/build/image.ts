// Builds the sandbox image `dkmv-sandbox:<hash>` from images/sandbox/Dockerfile.
// The tag is a content hash of every build input, so a build happens only when an input changed.
// Used by `scripts/setup` (through scripts/ensure-image.ts) and by `dkmv build`; workers only run it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  copyFileSync,
  mkdirSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DKMV_HOME } from '../../core/project.js';
import { UserError } from '../../core/errors.js';
import { buildLogPath, runLogged } from './build-log.js';

export const SANDBOX_REPO = 'dkmv-sandbox';
export const DEFAULT_CLAUDE_VERSION = '2.1.330';
export const DEFAULT_CODEX_VERSION = '0.169.0';
const PUBLIC_BASE_IMAGE = 'debian:bookworm-slim';
const OFFLINE_BASE_IMAGE = 'dkmv-base:bookworm';
const HOST_EXTRA_CA_DIR = '/usr/local/share/ca-certificates';

export interface ImageBuildOptions {
  claudeVersion?: string;
  codexVersion?: string;
  /** Base image; default: debian:bookworm-slim, or an offline debootstrap base where no registry answers. */
  baseImage?: string;
  /** Extra CA certificate files (PEM). Default: DKMV_EXTRA_CA_CERTS (':'-separated) or the host's extra CAs. */
  caCertFiles?: string[];
  noCache?: boolean;
  /** Also tag the image `:latest` (what runs use by default). Default true; false tries an image out. */
  tagLatest?: boolean;
  /** Progress lines: one per image ("building image X … done in 42 s", "image X present"). */
  log?: (line: string) => void;
}

export interface ImageBuildResult {
  tag: string;
  built: boolean;
}

function docker(args: string[]): { status: number; stdout: string; stderr: string } {
  const res = spawnSync('docker', args, { encoding: 'utf8' });
  if (res.error) {
    throw new UserError('cannot run the docker client', { hint: 'install Docker (or run `npm run setup`)' });
  }
  return { status: res.status ?? 1, stdout: res.stdout, stderr: res.stderr };
}

export function imageExists(ref: string): boolean {
  return docker(['image', 'inspect', '--format', '{{.Id}}', ref]).status === 0;
}

function imageId(ref: string): string {
  return docker(['image', 'inspect', '--format', '{{.Id}}', ref]).stdout.trim();
}

/** Where no registry answers, make a Debian base from Debian's own packages (debootstrap + docker import). */
async function ensureOfflineBase(log: (line: string) => void): Promise<string> {
  if (imageExists(OFFLINE_BASE_IMAGE)) return OFFLINE_BASE_IMAGE;
  if (!existsSync('/usr/sbin/debootstrap')) {
    if (process.getuid?.() !== 0) {
      throw new UserError('no base image: Docker Hub is unreachable and debootstrap is not installed', {
        hint: 'install debootstrap (apt-get install debootstrap), or pass --base-image / BASE_IMAGE with an image you have',
      });
    }
    await runLogged({
      label: 'installing debootstrap (to build a Debian base image offline)',
      cmd: 'apt-get',
      args: ['install', '-y', '-q', 'debootstrap'],
      logFile: buildLogPath('apt-debootstrap'),
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      log,
    });
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-base-'));
  try {
    const script = [
      'set -euo pipefail',
      `debootstrap --variant=minbase bookworm "$1" http://deb.debian.org/debian`,
      `tar -C "$1" -c . | docker import - ${OFFLINE_BASE_IMAGE}`,
    ].join('\n');
    await runLogged({
      label: `building image ${OFFLINE_BASE_IMAGE} (Debian base, debootstrap; no registry answers)`,
      cmd: 'bash',
      args: ['-c', script, 'debootstrap', root],
      logFile: buildLogPath(OFFLINE_BASE_IMAGE),
      log,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return OFFLINE_BASE_IMAGE;
}

async function resolveBaseImage(requested: string | undefined, log: (line: string) => void): Promise<string> {
  if (requested) {
    if (!imageExists(requested) && docker(['pull', requested]).status !== 0) {
      throw new UserError(`base image ${requested} is neither present nor pullable`);
    }
    return requested;
  }
  if (imageExists(PUBLIC_BASE_IMAGE)) return PUBLIC_BASE_IMAGE;
  if (imageExists(OFFLINE_BASE_IMAGE)) return OFFLINE_BASE_IMAGE;
  if (docker(['pull', PUBLIC_BASE_IMAGE]).status === 0) return PUBLIC_BASE_IMAGE;
  return ensureOfflineBase(log);
}

function defaultCaFiles(): string[] {
  const fromEnv = process.env.DKMV_EXTRA_CA_CERTS;
  if (fromEnv) return fromEnv.split(':').filter(Boolean);
  if (!existsSync(HOST_EXTRA_CA_DIR)) return [];
  return listCrtFiles(HOST_EXTRA_CA_DIR);
}

function listCrtFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listCrtFiles(full));
    else if (entry.name.endsWith('.crt')) out.push(full);
  }
  return out.sort();
}

interface BuildInputs {
  dockerfile: string;
  claudeVersion: string;
  codexVersion: string;
  caFiles: string[];
}

function inputsHash(inputs: BuildInputs, baseImageId: string): string {
  const h = createHash('sha256');
  h.update(inputs.dockerfile);
  h.update(`\0${inputs.claudeVersion}\0${inputs.codexVersion}\0${baseImageId}`);
  for (const file of inputs.caFiles) h.update(readFileSync(file));
  return h.digest('hex').slice(0, 12);
}

/** Builds the sandbox image unless an image with the same input hash exists; tags it `:latest` too. */
export async function ensureSandboxImage(options: ImageBuildOptions = {}): Promise<ImageBuildResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const inputs: BuildInputs = {
    dockerfile: readFileSync(path.join(DKMV_HOME, 'images/sandbox/Dockerfile'), 'utf8'),
    claudeVersion: options.claudeVersion ?? DEFAULT_CLAUDE_VERSION,
    codexVersion: options.codexVersion ?? DEFAULT_CODEX_VERSION,
    caFiles: options.caCertFiles ?? defaultCaFiles(),
  };
  for (const file of inputs.caFiles) {
    if (!existsSync(file))
      throw new UserError(`CA certificate file not found: ${file}`, { hint: 'check DKMV_EXTRA_CA_CERTS' });
  }
  const baseImage = await resolveBaseImage(options.baseImage ?? process.env.BASE_IMAGE, log);
  const tag = `${SANDBOX_REPO}:${inputsHash(inputs, imageId(baseImage))}`;
  const built = !imageExists(tag) || options.noCache === true;
  if (built) {
    await dockerBuild(tag, baseImage, inputs, options.noCache ?? false, log);
  } else {
    log(`image ${tag} present`);
  }
  if (options.tagLatest !== false) docker(['tag', tag, `${SANDBOX_REPO}:latest`]);
  return { tag, built };
}

async function dockerBuild(
  tag: string,
  baseImage: string,
  inputs: BuildInputs,
  noCache: boolean,
  log: (line: string) => void,
): Promise<void> {
  const context = mkdtempSync(path.join(os.tmpdir(), 'dkmv-image-'));
  try {
    writeFileSync(path.join(context, 'Dockerfile'), inputs.dockerfile);
    mkdirSync(path.join(context, 'extra-ca'));
    inputs.caFiles.forEach((file, i) => copyFileSync(file, path.join(context, 'extra-ca', `extra-${i}.crt`)));
    const args = ['build', '--network', 'host', '-t', tag];
    args.push('--build-arg', `BASE_IMAGE=${baseImage}`);
    args.push('--build-arg', `CLAUDE_CODE_VERSION=${inputs.claudeVersion}`);
    args.push('--build-arg', `CODEX_VERSION=${inputs.codexVersion}`);
    if (noCache) args.push('--no-cache');
    args.push(context);
    await runLogged({
      label: `building image ${tag} (Claude Code ${inputs.claudeVersion}, Codex ${inputs.codexVersion}, on ${baseImage})`,
      cmd: 'docker',
      args,
      logFile: buildLogPath(tag),
      // The legacy builder: it uses the local (possibly offline-made) base image without a registry.
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      log,
    });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
