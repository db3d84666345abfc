// `dkmv run <component>`: start a component run and follow it.
import type { Command } from 'commander';
import { prepareRun, startRun } from '../run/start-run.js';
import { addRunFlags, type RunFlags } from '../run/run-options.js';
import { followRun, EXIT } from '../run/follow.js';
import { sessionForRuns } from '../temporal-client.js';
import { runUrl } from '../stack/local-stack.js';

/** Starts the run and follows it (or prints its id with --no-wait); returns the exit code. */
export async function runComponent(
  componentRef: string,
  flags: RunFlags & { json?: boolean },
  extraVars: Record<string, string> = {},
): Promise<number> {
  const prepared = await prepareRun(componentRef, flags, extraVars);
  const httpUrl = prepared.config.values.temporal_http_url;
  const cli = await sessionForRuns(httpUrl ? { httpUrl } : {});
  try {
    await startRun(cli.client, prepared, cli.target.taskQueue);
    const { runId, runDir } = prepared.input;
    if (!flags.wait) {
      console.log(runId);
      return EXIT.ok;
    }
    process.stderr.write(`run ${runId} started (Web UI: ${runUrl(cli.webUiUrl, cli.target.namespace, runId)})\n`);
    // Following streams the history live: the SDK client (gRPC), opened only now.
    return await followRun(await cli.sdk(), runId, {
      runDir,
      json: Boolean(flags.json),
      verbose: Boolean(flags.verbose),
      interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
      webUiUrl: cli.webUiUrl,
      namespace: cli.target.namespace,
      alert: !flags.quiet,
    });
  } finally {
    await cli.close();
  }
}

export function register(program: Command): void {
  addRunFlags(
    program
      .command('run')
      .argument('<component>', 'component: a path, a registered name or a built-in')
      .description('run a component on a branch, in a sandbox container, as a durable Temporal workflow'),
  )
    .option('--json', 'follow with JSON lines on stdout: progress (live turns, cost), log, awaiting_input, end')
    .action(async (component: string, flags: RunFlags & { json?: boolean }) => {
      process.exitCode = await runComponent(component, flags);
    });
}
