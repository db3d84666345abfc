// `dkmv runs`, `dkmv show <run-id>`, `dkmv logs <run-id> [-f]`: listing and inspecting runs from
// Temporal visibility and the run folders. None of them needs a worker for what Temporal keeps;
// a run folder on another machine is read through the worker of its host (a short read-only
// workflow, cli/runs/remote-records.ts); nothing else is started.
// Each action imports what it needs when it runs (`dkmv runs` must not load the follower's
// spinner and prompts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { RunObservation } from '../run/observe.js';
import type { openReadOnly as openReadOnlyType } from '../runs/connect.js';
import { parseStatusFilter } from '../runs/status.js';

interface RunsOptions {
  kind?: string;
  children?: boolean;
  component?: string;
  status?: string;
  branch?: string;
  limit: string;
  json?: boolean;
}

function parseLimit(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new UserError(`--limit ${value}: expected a whole number greater than 0`, { hint: 'e.g. --limit 50' });
  return Number(value);
}

function parseKind(value: string | undefined): 'component' | 'harness' | undefined {
  if (value === undefined) return undefined;
  if (value === 'component' || value === 'harness') return value;
  throw new UserError(`--kind ${value}: expected component or harness`, { hint: 'e.g. --kind harness' });
}

function notFound(runId: string): UserError {
  return new UserError(`no run "${runId}": neither Temporal nor the run folders know it`, {
    hint: 'list runs with `dkmv runs` (run ids look like 250101-1200-<component>-<feature>-ab12)',
  });
}

export function register(program: Command): void {
  program
    .command('runs')
    .description('list recent runs (newest first) with kind, status, component, branch, cost and duration')
    .option('--kind <kind>', 'only runs of this kind: component or harness')
    .option('--children', "also list harness children (a harness's planner and generator runs)")
    .option('--component <name>', 'only runs of this component')
    .option(
      '--status <status>',
      'only runs in this status: running, awaiting_input, completed, failed, cancelled, timed_out',
    )
    .option('--branch <name>', 'only runs on this branch')
    .option('--limit <n>', 'at most this many runs', '20')
    .option('--json', 'print a JSON array (for scripts)')
    .addHelpText(
      'after',
      '\nRuns come from Temporal visibility (no worker needed) plus the local run folders.\n' +
        'Harness children are listed under their harness by `dkmv show <harness-run>` (or here with --children).\n' +
        'Examples:\n  dkmv runs --component dev --status completed\n  dkmv runs --kind harness\n  dkmv runs --status awaiting_input --json',
    )
    .action(async (opts: RunsOptions) => {
      const kind = parseKind(opts.kind);
      const filters = {
        limit: parseLimit(opts.limit),
        ...(kind ? { kind } : {}),
        ...(opts.children ? { children: true } : {}),
        ...(opts.component ? { component: opts.component } : {}),
        ...(opts.branch ? { branch: opts.branch } : {}),
        ...(opts.status !== undefined ? { status: parseStatusFilter(opts.status) } : {}),
      };
      const [{ openReadOnly }, { listRuns }, { runsTable }] = await Promise.all([
        import('../runs/connect.js'),
        import('../runs/list.js'),
        import('../runs/render.js'),
      ]);
      const ctx = await openReadOnly({ quiet: Boolean(opts.json) });
      try {
        const rows = await listRuns(ctx.cli?.client, ctx.config.values.runs_dir, filters);
        if (opts.json) {
          console.log(JSON.stringify(rows, null, 2));
          return;
        }
        if (!rows.length) {
          console.log(
            'no runs found' +
              (opts.kind || opts.component || opts.status || opts.branch ? ' (with these filters)' : ''),
          );
          return;
        }
        console.log(runsTable(rows));
      } finally {
        await ctx.close();
      }
    });

  program
    .command('show')
    .argument('<run-id>', 'the run id (as printed by `dkmv run` and `dkmv runs`)')
    .description('show a run: status, config, tasks (status, turns, cost, errors), outputs, Web UI link')
    .option('--json', 'print one JSON object (for scripts)')
    .option('--output <file>', 'print one saved output (a name listed under "outputs"), wherever its run folder is')
    .addHelpText(
      'after',
      '\nA run folder on another machine (a team worker) is read through the worker of its host;\n' +
        'saved outputs larger than 128 KiB are cut there (the whole file stays in the run folder).',
    )
    .action(async (runId: string, opts: { json?: boolean; output?: string }) => {
      const [{ openReadOnly }, { gatherRun }, { showText }, { lastPollFrom }] = await Promise.all([
        import('../runs/connect.js'),
        import('../runs/show.js'),
        import('../runs/render.js'),
        import('../runs/remote-records.js'),
      ]);
      const ctx = await openReadOnly({ quiet: Boolean(opts.json) });
      try {
        const data = await gatherRun({
          runId,
          outputDir: ctx.config.values.runs_dir,
          ...(ctx.cli ? { client: ctx.cli.client, lastPollAt: lastPollFrom(ctx.cli) } : {}),
          webUi: ctx.webUi,
          ...(opts.output !== undefined ? { output: opts.output } : {}),
        });
        if (!data) throw notFound(runId);
        if (data.output && !opts.json) {
          // The file itself, as `cat` would print it (so it can be piped).
          process.stdout.write(data.output.text);
          if (data.output.truncated)
            process.stderr.write(
              `note: only the first ${data.output.text.length} characters of ${data.output.bytes} bytes were sent by host ${data.remote_folder?.host ?? ''}; the whole file is ${data.remote_folder?.dir ?? ''}/${data.output.path} there\n`,
            );
          return;
        }
        if (data.folder_problem && !opts.json) process.stderr.write(`note: ${data.folder_problem}\n`);
        console.log(opts.json ? JSON.stringify(data, null, 2) : showText(data));
      } finally {
        await ctx.close();
      }
    });

  program
    .command('logs')
    .argument('<run-id>', 'the run id')
    .description("print a run's agent events from its run folder (stream.jsonl); -f follows the run live")
    .option('-f, --follow', 'follow the run until it ends or pauses (live progress and events)')
    .option('--raw', 'print the raw JSON lines instead of formatted events')
    .option('--json', 'with -f: JSON lines on stdout (progress with live turns and cost, log, awaiting_input, end)')
    .addHelpText(
      'after',
      '\nWith -f: exit 0 when the run completes, 1 when it fails or is cancelled,\n' +
        '3 when it waits for input and no terminal can answer (see `dkmv approve`); for a harness\n' +
        'also 4 when it shipped with remaining issues and 5 when it is unverified. Ctrl-C detaches.',
    )
    .action(async (runId: string, opts: { follow?: boolean; raw?: boolean; json?: boolean }) => {
      process.exitCode = await logs(runId, opts);
    });
}

type ReadOnlyContext = Awaited<ReturnType<typeof openReadOnlyType>>;

/** Dispatch on the run-kind search attribute (or the run folder's config.json), never on the id. */
async function isHarness(known: RunObservation | undefined, runDir: string | undefined): Promise<boolean> {
  const [{ DkmvRunKind }, { readRunFolder }] = await Promise.all([
    import('../../core/temporal/search-attributes.js'),
    import('../runs/run-folder.js'),
  ]);
  const kind = known?.description.typedSearchAttributes.get(DkmvRunKind);
  if (kind) return kind === 'harness';
  return Boolean(runDir && readRunFolder(runDir)?.config?.kind === 'harness');
}

/**
 * A harness has no agent stream of its own: its progress (phase, plan attempts, units) and the ids
 * of its children, whose agent events `dkmv logs <child>` prints. With -f: the live tree.
 */
async function harnessLogs(
  runId: string,
  opts: { follow?: boolean; json?: boolean },
  ctx: ReadOnlyContext,
): Promise<number> {
  const [{ gatherRun }, { harnessLines }, { EXIT }] = await Promise.all([
    import('../runs/show.js'),
    import('../runs/render.js'),
    import('../run/follow.js'),
  ]);
  if (opts.follow && ctx.cli) {
    const { followHarness } = await import('./harness-follow.js');
    return (await followHarness(await ctx.cli.sdk(), runId, { json: Boolean(opts.json) })).code;
  }
  const data = await gatherRun({
    runId,
    outputDir: ctx.config.values.runs_dir,
    ...(ctx.cli ? { client: ctx.cli.client } : {}),
  });
  if (!data?.harness) {
    process.stderr.write(`no progress recorded yet for harness ${runId}\n`);
    return EXIT.ok;
  }
  if (opts.json) {
    console.log(JSON.stringify(data.harness, null, 2));
    return EXIT.ok;
  }
  console.log(`harness ${runId}  ${data.status}`);
  for (const line of harnessLines(data.harness)) console.log(line);
  if (data.harness.children.length)
    console.log(
      `\nagent events of a child: dkmv logs <child run> (e.g. dkmv logs ${data.harness.children[0]!.workflow_id})`,
    );
  return EXIT.ok;
}

/** Prints agent events (stream.jsonl lines), formatted unless `raw`. */
function printEvents(text: string, raw: boolean, formatEvent: (line: string) => string[]): void {
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (raw) console.log(line);
    else for (const out of formatEvent(line)) console.log(out);
  }
}

async function logs(runId: string, opts: { follow?: boolean; raw?: boolean; json?: boolean }): Promise<number> {
  const [
    { openReadOnly },
    { locateRunFolder },
    { lastPollFrom },
    { RECORD_LIMITS },
    { observeRun },
    { followRun, printSummary, EXIT },
    { formatEvent },
  ] = await Promise.all([
    import('../runs/connect.js'),
    import('../runs/locate.js'),
    import('../runs/remote-records.js'),
    import('../../core/runs/remote-records.js'),
    import('../run/observe.js'),
    import('../run/follow.js'),
    import('../run/verbose-stream.js'),
  ]);
  const ctx = await openReadOnly({ quiet: true });
  try {
    const known = ctx.cli
      ? await observeRun(ctx.cli.client, runId, { queryTimeoutMs: 2000 }).catch(() => undefined)
      : undefined;
    if (known && (await isHarness(known, undefined))) return await harnessLogs(runId, opts, ctx);
    const located = await locateRunFolder({
      runId,
      outputDir: ctx.config.values.runs_dir,
      ...(known && ctx.cli ? { client: ctx.cli.client, lastPollAt: lastPollFrom(ctx.cli) } : {}),
      want: { logTailBytes: RECORD_LIMITS.logTailBytes },
    });
    const { remote, problem } = located;
    // A folder here with only the CLI's config.json is not where the agent events are.
    const runDir = remote ? undefined : located.local;
    if (!runDir && !remote && !known) throw notFound(runId);
    if (await isHarness(known, runDir)) return await harnessLogs(runId, opts, ctx);
    const stream = runDir ? path.join(runDir, 'stream.jsonl') : undefined;
    let events: string | undefined;
    if (stream) {
      try {
        events = readFileSync(stream, 'utf8');
      } catch {
        events = undefined;
      }
    } else if (remote?.log) {
      events = remote.log.text;
      if (remote.log.truncated)
        process.stderr.write(
          `note: the last ${Buffer.byteLength(events)} of ${remote.log.bytes} bytes of agent events (host ${remote.host} sends at most ${RECORD_LIMITS.logTailBytes}); the whole file is ${remote.dir}/stream.jsonl there\n`,
        );
    }
    if (problem) process.stderr.write(`${opts.follow ? 'note' : 'error'}: ${problem}\n`);
    const follow = opts.follow && known && ctx.cli;
    if (follow && !opts.raw && ctx.cli) {
      if (!runDir) {
        // The folder is elsewhere: its events so far, then live progress from Temporal.
        if (events && !opts.json) printEvents(events, false, formatEvent);
        process.stderr.write(
          `note: the run folder is ${remote ? `on host ${remote.host} (${remote.dir})` : 'not on this machine'}; following progress only\n`,
        );
      }
      return await followRun(await ctx.cli.sdk(), runId, {
        ...(runDir ? { runDir } : {}),
        verbose: Boolean(runDir),
        json: Boolean(opts.json),
        interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
        webUiUrl: ctx.cli.webUiUrl,
        namespace: ctx.cli.target.namespace,
      });
    }
    if (events !== undefined) printEvents(events, Boolean(opts.raw), formatEvent);
    else if (!problem)
      process.stderr.write(
        `no agent events yet in ${runDir ?? (remote ? `${remote.dir} on host ${remote.host}` : `the run folder of ${runId}`)}\n`,
      );
    if (opts.follow && !known) process.stderr.write('note: Temporal does not know this run; nothing to follow\n');
    if (!opts.raw && known && known.temporalStatus !== 'RUNNING')
      printSummary(known.view, runId, {
        interactive: false,
        webUiUrl: ctx.cli?.webUiUrl ?? '',
        ...(runDir ? { runDir } : {}),
      });
    if (remote && !opts.raw) console.log(`run folder: ${remote.dir} on host ${remote.host}`);
    return problem && events === undefined ? EXIT.failed : EXIT.ok;
  } finally {
    await ctx.close();
  }
}
