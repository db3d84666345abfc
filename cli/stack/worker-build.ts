// Which dkmv the local stack's worker runs, and what `dkmv up` does when it is another version or
// install than this CLI: restart it when no run is in flight, else keep it and name the runs that
// hold it (stopping it would move them onto another version's code mid-run).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildOf, type WorkerBuild } from '../../core/worker-identity.js';
import type { Poller, RunInFlight } from './in-flight.js';

/** What is known of a running worker's build; the version is unknown when only its command line says. */
export type RunningBuild = { home: string; version?: string };

export type WorkerPlan =
  { action: 'keep' } | { action: 'restart'; why: string } | { action: 'held'; why: string; runs: RunInFlight[] };

/** The install folder of a `node <home>/bin/dkmv.js worker` process, from /proc. */
function homeFromCommandLine(pid: number): string | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const script = args.find((a) => a.endsWith(path.join('bin', 'dkmv.js')));
    return script ? path.dirname(path.dirname(script)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The build of worker `pid`: from its poller identity (it says the version it started with, also
 * after an in-place upgrade of its folder), else the folder on its command line.
 */
export function runningBuild(pid: number, polling: Poller[]): RunningBuild | undefined {
  const own = polling.find((p) => p.identity.includes(`:${pid} `) || p.identity.endsWith(`:${pid}`));
  const said = own ? buildOf(own.identity) : undefined;
  if (said) return said;
  const home = homeFromCommandLine(pid);
  return home ? { home } : undefined;
}

function describe(b: RunningBuild): string {
  return `${b.version ? `dkmv v${b.version}` : 'dkmv'} from ${b.home}`;
}

/** Keep a worker of this build; restart one of another when nothing is in flight; else say which runs hold it. */
export function workerPlan(running: RunningBuild | undefined, mine: WorkerBuild, busy: RunInFlight[]): WorkerPlan {
  if (!running) return { action: 'keep' };
  const same = running.home === mine.home && (running.version === undefined || running.version === mine.version);
  if (same) return { action: 'keep' };
  const what = `the stack's worker runs ${describe(running)}; this CLI is dkmv v${mine.version} from ${mine.home}`;
  if (!busy.length) return { action: 'restart', why: `${what}: restarting it` };
  const n = busy.length;
  return {
    action: 'held',
    runs: busy,
    why:
      `${what}, but ${n} run${n === 1 ? ' is' : 's are'} in flight on it, so it keeps running: ` +
      `${busy.map((r) => r.id).join(', ')}. Run \`dkmv up\` again once ${n === 1 ? 'it ends' : 'they end'} ` +
      '(or `dkmv stop <run-id>`)',
  };
}
