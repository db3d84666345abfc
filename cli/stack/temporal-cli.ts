// Finds the Temporal CLI (which embeds the dev server and Web UI). scripts/setup installs it;
// the search order here matches the one there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { toolsCacheBin } from '../../core/cache-dir.js';
import { DKMV_HOME } from '../../core/project.js';
import { UserError } from '../../core/errors.js';

function candidates(): string[] {
  const list: string[] = [];
  if (process.env.DKMV_TEMPORAL_CLI) list.push(process.env.DKMV_TEMPORAL_CLI);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir) list.push(path.join(dir, 'temporal'));
  }
  list.push(path.join(DKMV_HOME, '.tools', 'bin', 'temporal'));
  list.push(path.join(toolsCacheBin(), 'temporal'));
  return list;
}

/** A usable CLI bundles server >= 1.29 (CLI >= 1.5.1; `go install` builds report version 0.0.0-DEV). */
export function isUsableTemporalCli(file: string): boolean {
  if (!existsSync(file)) return false;
  const res = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  const match = /Server (\d+)\.(\d+)/.exec(res.stdout ?? '');
  return res.status === 0 && match !== null && (Number(match[1]) > 1 || Number(match[2]) >= 29);
}

export function findTemporalCli(): string | undefined {
  return candidates().find(isUsableTemporalCli);
}

export function requireTemporalCli(): string {
  const found = findTemporalCli();
  if (!found) {
    throw new UserError('the Temporal CLI (>= 1.5.1) is not installed', {
      hint: 'run `npm run setup`, or put `temporal` on PATH, or set DKMV_TEMPORAL_CLI',
    });
  }
  return found;
}
