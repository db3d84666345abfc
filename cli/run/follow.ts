// Following a run until it ends or pauses: live progress, --verbose events, pause prompts in a
// TTY, and the exit code (0 completed, 1 failed/cancelled/timed out, 3 left waiting for input).
import type { Client } from '@temporalio/client';
import pc from 'picocolors';
import type { RunStatusView } from '../../core/engine/run-types.js';
import { observeRun, type RunObservation } from './observe.js';
import { createRenderer } from './progress.js';
import { howToAnswer, promptDecision, sendDecision } from './decide.js';
import { VerboseStream } from './verbose-stream.js';
import { runUrl } from '../stack/local-stack.js';

export interface FollowOptions {
  runDir?: string;
  verbose?: boolean;
  interactive: boolean;
  webUiUrl?: string;
  namespace?: string;
  pollMs?: number;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, waiting: 3 } as const;

function exitCodeOf(view: RunStatusView | undefined): number {
  return view?.status === 'completed' ? EXIT.ok : EXIT.failed;
}

export function printSummary(view: RunStatusView | undefined, runId: string, options: FollowOptions): void {
  const link = options.webUiUrl ? runUrl(options.webUiUrl, options.namespace ?? 'default', runId) : undefined;
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
  const renderer = createRenderer(options.interactive);
  const verbose = options.verbose && options.runDir ? new VerboseStream(options.runDir) : undefined;
  let detached = false;
  const onSigint = () => {
    detached = true;
  };
  process.once('SIGINT', onSigint);
  try {
    for (;;) {
      if (detached) {
        renderer.stop();
        console.error(
          `\ndetached; the run goes on. Follow it again: dkmv logs ${runId} -f   (status: dkmv show ${runId})`,
        );
        return EXIT.ok;
      }
      const obs: RunObservation = await observeRun(client, runId);
      for (const line of verbose?.poll() ?? []) renderer.line(line);
      renderer.update(obs);
      const view = obs.view;
      if (obs.temporalStatus !== 'RUNNING') {
        for (const line of verbose?.poll() ?? []) renderer.line(line);
        renderer.stop();
        printSummary(view, runId, options);
        return exitCodeOf(view);
      }
      if (view?.status === 'awaiting_input' && view.pending) {
        renderer.stop();
        if (!options.interactive) {
          console.log(howToAnswer(runId, view.pending.questions));
          return EXIT.waiting;
        }
        await sendDecision(client, runId, await promptDecision(view));
        return await followRun(client, runId, options);
      }
      await new Promise((r) => setTimeout(r, options.pollMs ?? 1000));
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
