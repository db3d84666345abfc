// `dkmv status`: the user's local stack (server, its worker), every worker polling the task queue,
// and the runs in flight.
import pc from 'picocolors';
import { temporalTargetFromEnv } from '../../core/temporal/connection-options.js';
import { temporalAnswers } from '../temporal/connection.js';
import { pollers, runsInFlight, type Poller, type RunInFlight } from './in-flight.js';
import { webUiUrl } from './local-stack.js';
import { stackPaths } from './paths.js';
import { liveProcess } from './pid-file.js';

export interface StackStatus {
  /** The local stack's folder (pid files, logs, SQLite history). */
  dir: string;
  address: string;
  /** True when TEMPORAL_ADDRESS points elsewhere: the local stack is then not used. */
  external: boolean;
  server: { answers: boolean; pid?: number; db: string; log: string };
  uiUrl: string;
  /** The worker `dkmv up` started. */
  worker: { pid?: number; log: string };
  taskQueue: string;
  /** Every worker polling the task queue (the stack's, and foreground `dkmv worker`s). */
  pollers: Poller[];
  runs: RunInFlight[];
}

export async function stackStatus(): Promise<StackStatus> {
  const target = temporalTargetFromEnv();
  const paths = stackPaths();
  const answers = await temporalAnswers(target);
  const serverPid = liveProcess(paths.serverPid, 'temporal');
  const workerPid = liveProcess(paths.workerPid, 'worker');
  return {
    dir: paths.dir,
    address: target.address,
    external: target.explicitAddress,
    server: { answers, ...(serverPid ? { pid: serverPid } : {}), db: paths.serverDb, log: paths.serverLog },
    uiUrl: webUiUrl(target),
    worker: { ...(workerPid ? { pid: workerPid } : {}), log: paths.workerLog },
    taskQueue: target.taskQueue,
    pollers: answers ? await pollers(target) : [],
    runs: answers ? await runsInFlight(target) : [],
  };
}

export function statusText(s: StackStatus): string {
  const lines: string[] = [];
  const up = (yes: boolean) => (yes ? pc.green('running') : pc.dim('stopped'));
  if (s.external) {
    lines.push(`Temporal      ${up(s.server.answers)} · ${s.address} (TEMPORAL_ADDRESS; the local stack is not used)`);
  } else {
    lines.push(`local stack   ${s.dir}`);
    const pid = s.server.pid ? ` · pid ${s.server.pid}` : s.server.answers ? ' · not started by dkmv' : '';
    lines.push(`  server      ${up(s.server.answers)} · ${s.address}${pid}`);
    if (s.server.answers) lines.push(`  Web UI      ${s.uiUrl}`);
    lines.push(
      `  worker      ${up(s.worker.pid !== undefined)}${s.worker.pid ? ` · pid ${s.worker.pid}` : ''} · log ${s.worker.log}`,
    );
  }
  if (s.server.answers) {
    const who = s.pollers.length ? s.pollers.map((p) => p.identity).join(', ') : pc.yellow('none (runs wait for one)');
    lines.push(`  workers on '${s.taskQueue}': ${who}`);
    lines.push(s.runs.length ? `runs in flight (${s.runs.length}):` : 'runs in flight: none');
    for (const r of s.runs) lines.push(`  ${r.id}  ${r.what}  ${r.status}  since ${r.startedAt.slice(0, 19)}Z`);
  } else if (!s.external) {
    lines.push('start it with `dkmv up` (commands that need it also start it)');
  }
  return lines.join('\n');
}
