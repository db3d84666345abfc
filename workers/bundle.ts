// Bundles workflow code once per source version and caches it, so a worker starts in about a
// second instead of running webpack each time. A worker started from the compiled CLI (dist/)
// bundles the compiled workflow code next to it; one started from TypeScript (tests) bundles the
// sources.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DKMV_HOME } from '../core/project.js';
import { dkmvCacheDir } from '../core/cache-dir.js';

/** dist/ when this file is the compiled one, else the source tree. */
const CODE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXT = import.meta.url.endsWith('.js') ? '.js' : '.ts';
export const WORKFLOWS_PATH = path.join(CODE_ROOT, 'workflows', `index${EXT}`);

/** Webpack cannot map NodeNext's `./x.js` imports to `./x.ts` sources unless told to. */
function webpackConfigHook(
  config: Parameters<NonNullable<Parameters<typeof bundleWorkflowCode>[0]['webpackConfigHook']>>[0],
) {
  config.resolve = config.resolve ?? {};
  config.resolve.extensionAlias = { '.js': ['.ts', '.js'] };
  return config;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...sourceFiles(full));
    else if (entry.name.endsWith(EXT)) out.push(full);
  }
  return out.sort();
}

/** Hash of everything workflow code can import (workflows/, core/) and the SDK version. */
function sourceHash(): string {
  const h = createHash('sha256');
  for (const dir of ['workflows', 'core']) {
    for (const file of sourceFiles(path.join(CODE_ROOT, dir))) {
      h.update(path.relative(CODE_ROOT, file));
      h.update(readFileSync(file));
    }
  }
  h.update(readFileSync(path.join(DKMV_HOME, 'node_modules/@temporalio/workflow/package.json')));
  return h.digest('hex').slice(0, 16);
}

export async function workflowBundle(): Promise<{ code: string }> {
  const cacheDir = path.join(dkmvCacheDir(), 'bundles');
  const file = path.join(cacheDir, `workflows-${sourceHash()}.js`);
  if (existsSync(file)) return { code: readFileSync(file, 'utf8') };
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    webpackConfigHook,
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bundle.code);
  renameSync(tmp, file);
  return { code: bundle.code };
}
