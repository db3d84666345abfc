// A worker's identity on the server says which dkmv it runs: `dkmv-worker@<host>:<pid> v<version>
// (<install folder>)`. One stack per user means one worker per user, running the code of whichever
// install started it: `dkmv status` shows this, and commands that start work warn when it differs.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DKMV_HOME } from './project.js';

export interface WorkerBuild {
  version: string;
  /** The install (or checkout) folder the worker runs from. */
  home: string;
}

export function thisBuild(): WorkerBuild {
  let version = '0.0.0';
  try {
    version = (JSON.parse(readFileSync(path.join(DKMV_HOME, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // an unreadable package.json: the version stays unknown
  }
  return { version, home: DKMV_HOME };
}

export function workerIdentity(build: WorkerBuild = thisBuild(), pid = process.pid): string {
  return `dkmv-worker@${os.hostname()}:${pid} v${build.version} (${build.home})`;
}

/** The build named in an identity; undefined for workers that do not say (older dkmv, other tools). */
export function buildOf(identity: string): WorkerBuild | undefined {
  const m = / v(\S+) \((.+)\)$/.exec(identity);
  return m ? { version: m[1]!, home: m[2]! } : undefined;
}

/** The host named in an identity (`dkmv-worker@<host>:<pid> …`). */
function hostOf(identity: string): string | undefined {
  return /^dkmv-worker@([^:\s]+):/.exec(identity)?.[1];
}

/**
 * A warning when every worker that says its build runs another one than this CLI. The install folder
 * only counts for a worker on this machine: one on another host (a team cluster, a container) runs
 * from its own folder by design, so there only the version can differ.
 */
export function buildMismatch(
  identities: string[],
  mine: WorkerBuild = thisBuild(),
  host: string = os.hostname(),
): string | undefined {
  const same = (identity: string, b: WorkerBuild) =>
    b.version === mine.version && (b.home === mine.home || hostOf(identity) !== host);
  const builds = identities.flatMap((id) => {
    const b = buildOf(id);
    return b ? [{ id, b }] : [];
  });
  if (!builds.length || builds.some(({ id, b }) => same(id, b))) return undefined;
  const other = builds[0]!.b;
  return (
    `the worker runs dkmv v${other.version} from ${other.home}; this CLI is v${mine.version} from ${mine.home}. ` +
    "Runs use the worker's code: restart it once no run is in flight (`dkmv down && dkmv up`, or restart `dkmv worker`)"
  );
}
