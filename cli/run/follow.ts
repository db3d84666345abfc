// Following a run until it ends or pauses: live progress, --verbose events, pause prompts in a
// TTY, and the exit code (0 completed, 1 failed/cancelled/timed out, 3 left waiting for input).
// The follower sleeps on a long poll of the run's history (each step, pause and the end wake it
// at once); while a task runs it also reads the task's heartbeats for live turns and cost.
import type { Client } from '@temporalio/client';
import pc from 'picocolors';
import type { RunStatusView } from '../../core/engine/run-types.js';
import { HistoryWatch } from './history-watch.js';
import { observeRun, refreshLive, type RunObservation } from './observe.js';
import { createRenderer, JsonRenderer, type ProgressRenderer } from './progress.js';
import { VerboseStream } from './verbose-stream.js';
import { runUrl } from '../stack/local-stack.js';

export interface FollowOptions {
  runDir?: string;
  verbose?: boolean;
  interactive: boolean;
  webUiUrl?: string;
  namespace?: string;
  /** JSON lines on stdout instead of the progress line and summary (`--json`). */
  json?: boolean;
  /** How often the running task's heartbeat is read for live turns and cost. */
  pollMs?: number;
  /** Ring the bell and notify the desktop when the run pauses (`dkmv run` without --quiet). */
  alert?: boolean;
}

/** A harness run adds 4 (shipped with remaining issues) and 5 (unverified): core/harness/outcome.ts. */
export const EXIT = { ok: 0, failed: 1, usage: 2, waiting: 3 } as const;

function exitCodeOf(view: RunStatusView | undefined): number {
  return view?.status === 'completed' ? EXIT.ok : EXIT.failed;
}

function webLink(runId: string, options: FollowOptions): string | undefined {
  return options.webUiUrl ? runUrl(options.webUiUrl, options.namespace ?? 'default', runId) : undefined;
}

/** The closing `end` event of `--json`: the run's status, cost and tasks. */
function endEvent(renderer: JsonRenderer, view: RunStatusView | undefined, options: FollowOptions, runId: string) {
  renderer.event('end', {
    status: view?.status ?? 'unknown',
    cost_usd: view?.costUsd ?? null,
    tasks: (view?.tasks ?? []).map((t) => ({
      name: t.name,
      status: t.status,
      turns: t.turns,
      cost_usd: t.costUsd,
      error: t.error ?? null,
    })),
    error: view?.error ?? null,
    run_dir: options.runDir ?? null,
    web_ui: webLink(runId, options) ?? null,
  });
}

export function printSummary(view: RunStatusView | undefined, runId: string, options: FollowOptions): void {
  const link = webLink(runId, options);
  if (!view) {
    console.log(`run ${runId}: status unknown`);
    return;
  }
  const color = view.status === 'completed' ? pc.green : view.status === 'awaiting_input' ? pc.yellow : pc.red;
  console.log(`${color(view.status)}  ${runId}  cost $${view.costUsd.toFixed(4)}`);
  for (const t of view.tasks) {
    const err = t.error ? pc.red(`  ${t.error.split('\n')[0]}`) : '';
    console.log(
      `  ${t.status.padEnd(12)} ${t.name.padEnd(24)} turns ${String(t.turns).padStart(3)}  $${t.costUsd.toFixed(4)}${err}`,
    );
  }
  if (view.error && view.status !== 'completed') console.log(pc.red(`error: ${view.error}`));
  if (options.runDir) console.log(`run folder: ${options.runDir}`);
  if (link) console.log(`Web UI: ${link}`);
}

export async function followRun(client: Client, runId: string, options: FollowOptions): Promise<number> {
  const mode = options.json ? 'json' : options.interactive ? 'tty' : 'plain';
  const renderer = await createRenderer(mode, runId);
  const verbose = options.verbose && options.runDir ? new VerboseStream(options.runDir) : undefined;
  const detach = new AbortController();
  const onSigint = () => detach.abort();
  process.once('SIGINT', onSigint);
  const watch = new HistoryWatch(client, runId, detach.signal);
  const detached = new Promise<void>((resolve) => detach.signal.addEventListener('abort', () => resolve()));
  try {
    let obs: RunObservation = await observeRun(client, runId);
    let changed = watch.next();
    for (;;) {
      if (detach.signal.aborted) {
        renderer.stop();
        console.error(
          `\ndetached; the run goes on. Follow it again: dkmv logs ${runId} -f   (status: dkmv show ${runId})`,
        );
        return EXIT.ok;
      }
      flushVerbose(verbose, renderer);
      renderer.update(obs);
      const view = obs.view;
      if (obs.temporalStatus !== 'RUNNING') {
        flushVerbose(verbose, renderer);
        renderer.stop();
        if (renderer instanceof JsonRenderer) endEvent(renderer, view, options, runId);
        else printSummary(view, runId, options);
        return exitCodeOf(view);
      }
      if (view?.status === 'awaiting_input' && view.pending) {
        renderer.stop();
        detach.abort(); // ends the history long poll; the prompt (or a re-follow) takes over
        return await atPause(client, runId, view, options, renderer);
      }
      // Sleep until the history grows; while a task runs, also wake to read its heartbeat.
      let historyGrew = false;
      const tick = obs.live || obs.stuck || verbose ? delay(options.pollMs ?? 1000) : undefined;
      await Promise.race([changed.then(() => (historyGrew = true)), detached, ...(tick ? [tick] : [])]);
      if (detach.signal.aborted) continue;
      if (historyGrew) {
        changed = watch.next();
        obs = await observeRun(client, runId);
      } else {
        obs = await refreshLive(client, runId, obs);
        if (obs.temporalStatus !== 'RUNNING') obs = await observeRun(client, runId);
      }
    }
  } finally {
    detach.abort();
    process.removeListener('SIGINT', onSigint);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

function flushVerbose(verbose: VerboseStream | undefined, renderer: ProgressRenderer): void {
  for (const line of verbose?.poll() ?? []) renderer.line(line);
}

/** The run waits for a decision: ask in a terminal, else say how to answer and exit 3. */
async function atPause(
  client: Client,
  runId: string,
  view: RunStatusView,
  options: FollowOptions,
  renderer: ProgressRenderer,
): Promise<number> {
  const pending = view.pending;
  if (!pending) return EXIT.waiting;
  // Loaded only at a pause: the prompts library is not needed otherwise.
  const { howToAnswer, promptDecision, sendDecision } = await import('./decide.js');
  if (options.alert) (await import('./pause-alert.js')).alertPause(runId, pending.questions);
  if (!options.interactive || options.json) {
    if (renderer instanceof JsonRenderer)
      renderer.event('awaiting_input', { task: pending.taskId, questions: pending.questions });
    else console.log(howToAnswer(runId, pending.questions));
    return EXIT.waiting;
  }
  await sendDecision(client, runId, await promptDecision(view));
  return await followRun(client, runId, options);
}
