// Builds the browser sandbox image `dkmv-browser:<hash>` (images/browser/) on top of the sandbox
// image, for the harness's smoke and evaluator roles. Like the sandbox image, the tag is a content
// hash of every build input, so setup builds it only when something changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DKMV_HOME } from '../../core/project.js';
import { BROWSER_REPO, DEFAULT_BROWSER_IMAGE } from '../../core/sandbox/browser-image-name.js';
export { BROWSER_REPO, DEFAULT_BROWSER_IMAGE };
import { buildLogPath, runLogged } from './build-log.js';
import { ensureSandboxImage, imageExists, type ImageBuildOptions } from './image.js';

export const PLAYWRIGHT_CORE_VERSION = '1.61.1';
export const PLAYWRIGHT_CLI_VERSION = '0.1.14';
const CONTEXT_DIR = path.join(DKMV_HOME, 'images', 'browser');

export interface BrowserImageResult {
  tag: string;
  built: boolean;
  sandboxTag: string;
}

function imageId(ref: string): string {
  return spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { encoding: 'utf8' }).stdout.trim();
}

/** Hash of the build context (every file in images/browser), the base image's id and the pinned versions. */
function inputsHash(sandboxImageId: string): string {
  const h = createHash('sha256');
  for (const name of readdirSync(CONTEXT_DIR).sort()) {
    h.update(`${name}\0`);
    h.update(readFileSync(path.join(CONTEXT_DIR, name)));
  }
  h.update(`\0${sandboxImageId}\0${PLAYWRIGHT_CORE_VERSION}\0${PLAYWRIGHT_CLI_VERSION}`);
  return h.digest('hex').slice(0, 12);
}

/** Makes sure the sandbox image and the browser image on top of it exist; tags the latter `:latest`. */
export async function ensureBrowserImage(options: ImageBuildOptions = {}): Promise<BrowserImageResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sandbox = await ensureSandboxImage(options);
  const tag = `${BROWSER_REPO}:${inputsHash(imageId(sandbox.tag))}`;
  const built = !imageExists(tag) || options.noCache === true;
  if (built) {
    const args = ['build', '--network', 'host', '-t', tag];
    args.push('--build-arg', `SANDBOX_IMAGE=${sandbox.tag}`);
    args.push('--build-arg', `PLAYWRIGHT_CORE_VERSION=${PLAYWRIGHT_CORE_VERSION}`);
    args.push('--build-arg', `PLAYWRIGHT_CLI_VERSION=${PLAYWRIGHT_CLI_VERSION}`);
    if (options.noCache) args.push('--no-cache');
    args.push(CONTEXT_DIR);
    await runLogged({
      label: `building image ${tag} (Debian chromium, playwright-core ${PLAYWRIGHT_CORE_VERSION}, on ${sandbox.tag})`,
      cmd: 'docker',
      args,
      logFile: buildLogPath(tag),
      // The legacy builder, as for the sandbox image: it uses the local base image without a registry.
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      log,
    });
  } else {
    log(`image ${tag} present`);
  }
  if (options.tagLatest !== false) spawnSync('docker', ['tag', tag, DEFAULT_BROWSER_IMAGE]);
  return { tag, built, sandboxTag: sandbox.tag };
}
