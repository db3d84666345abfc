// Where dkmv keeps per-user caches: `$XDG_CACHE_HOME/dkmv` (else `~/.cache/dkmv`): the tools
// setup installs (`bin/`) and the worker's workflow bundles (`bundles/`).
import os from 'node:os';
import path from 'node:path';

export function dkmvCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'dkmv');
}

/** The tools scripts/setup installs (the Temporal CLI, Docker Compose). */
export function toolsCacheBin(): string {
  return path.join(dkmvCacheDir(), 'bin');
}
