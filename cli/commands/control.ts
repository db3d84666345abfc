// `dkmv attach`, `dkmv stop`, `dkmv clean`, `dkmv approve`: acting on runs and their containers.
import { spawn } from 'node:child_process';
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import { decisionError, effectiveAction } from '../../core/engine/decision.js';
import type { Decision, DecisionAction } from '../../core/engine/run-types.js';
import { UserError } from '../../core/errors.js';
import { howToAnswer, promptDecision, sendDecision } from '../run/decide.js';
import { collect, parsePairs } from '../run/run-options.js';
import { EXIT, followRun } from '../run/follow.js';
import { observeRun, type RunObservation } from '../run/observe.js';
import type { SandboxContainer } from '../runs/containers.js';
import { runKnown } from '../runs/run-known.js';
import { runStatusOf } from '../runs/status.js';
import { DkmvRunKind, DkmvStatus } from '../../core/temporal/search-attributes.js';
import { sessionForRuns, sessionReadOnly, type CliSession } from '../temporal-client.js';
import type { TemporalClientLike } from '../temporal/client-like.js';
import { isUserError } from '../../core/errors.js';

async function observeOrFail(client: TemporalClientLike, runId: string): Promise<RunObservation> {
  try {
    return await observeRun(client, runId, { queryTimeoutMs: 3000 });
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError')
      throw new UserError(`no run "${runId}" on this Temporal server`, { hint: 'list runs with `dkmv runs`' });
    throw err;
  }
}

/** Dispatch on the run-kind search attribute (set at start), never on the run id. */
export function isHarnessRun(obs: RunObservation): boolean {
  return obs.description.typedSearchAttributes.get(DkmvRunKind) === 'harness';
}

/** The container helpers, loaded by the commands that touch containers (approve never does). */
const containerHelpers = () => import('../runs/containers.js');

/**
 * A run's containers; a harness has none of its own, its children's containers are named by their
 * run ids `<harness run>--plan--a1`, `<harness run>--gen--WU-01--r1a1`.
 */
async function runContainers(runId: string, harness: boolean): Promise<SandboxContainer[]> {
  const { listSandboxContainers } = await containerHelpers();
  if (!harness) return listSandboxContainers(runId);
  const all = await listSandboxContainers();
  return all.filter((c) => c.runId === runId || c.runId.startsWith(`${runId}--`));
}

function statusOf(obs: RunObservation): string {
  return obs.view?.status ?? runStatusOf(obs.temporalStatus, obs.description.typedSearchAttributes.get(DkmvStatus));
}

export function register(program: Command): void {
  program
    .command('attach')
    .argument('<run-id>', 'the run id')
    .argument('[command...]', 'run this command instead of an interactive bash (put it after --)')
    .description("open a shell in a run's sandbox container (docker exec -it … bash)")
    .addHelpText(
      'after',
      '\nThe container lives while the run runs; start a run with --keep-alive to keep it afterwards.\n' +
        'Examples:\n  dkmv attach 250101-1200-dev-auth-ab12\n  dkmv attach 250101-1200-dev-auth-ab12 -- git log --oneline -5',
    )
    .action(async (runId: string, command: string[]) => {
      process.exitCode = await attach(runId, command);
    });

  program
    .command('stop')
    .argument('<run-id>', 'the run id')
    .description('stop a run: cancel its workflow; the worker removes its container (status cancelled)')
    .option('--wait <seconds>', 'how long to wait for the run to close', '60')
    .option('--force', 'terminate the workflow and remove its containers here (when no worker answers)')
    .action(async (runId: string, opts: { wait: string; force?: boolean }) => {
      process.exitCode = await stop(runId, opts);
    });

  program
    .command('clean')
    .description('remove dkmv sandbox containers (label dkmv=1) and stale sandbox folders')
    .option('--run <run-id>', 'only this run (repeatable)', collect, [])
    .option('--all', 'also remove containers of runs that are still running (they will fail)')
    .option('--dry-run', 'only print what would be removed')
    .addHelpText(
      'after',
      '\nContainers of runs Temporal reports as running are kept unless --all is given.\n' +
        'A sandbox folder is stale when its container is gone and its run is not running.',
    )
    .action(async (opts: { run: string[]; all?: boolean; dryRun?: boolean }) => {
      await clean(opts);
    });

  program
    .command('approve')
    .argument('<run-id>', 'a run waiting at a pause point (status awaiting_input)')
    .description('answer a pause point: interactively in a terminal, or with --action/--answer')
    .addOption(
      new Option('--action <action>', 'what the run does next').choices(['continue', 'skip_remaining', 'abort']),
    )
    .option('--answer <id=value>', 'answer to a question (repeatable); implies --action continue', collect, [])
    .option('--follow', 'follow the run after answering')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  dkmv approve <run-id>                               # asks in the terminal\n' +
        '  dkmv approve <run-id> --answer auth_method=oauth    # answer and continue\n' +
        '  dkmv approve <run-id> --action skip_remaining       # finish now\n' +
        '  dkmv approve <run-id> --action abort                # stop the run (cancelled)\n' +
        "  dkmv approve <run-id> --answer action=ship          # DKMV's qa menu: fix | ship (as-is: skip the rest) | abort\n" +
        'Same as: temporal workflow signal --workflow-id <run-id> --name decide --input \'{"action":"continue"}\'',
    )
    .action(async (runId: string, opts: { action?: DecisionAction; answer: string[]; follow?: boolean }) => {
      process.exitCode = await approve(runId, opts);
    });
}

// ---- attach ----

async function attach(runId: string, command: string[]): Promise<number> {
  const { listSandboxContainers } = await containerHelpers();
  const containers = await listSandboxContainers(runId);
  const running = containers.filter((c) => c.running);
  if (!running.length) {
    const hint = `the container exists while the run runs; start the run with --keep-alive to keep it afterwards (dkmv run … --keep-alive)`;
    if (containers.length)
      throw new UserError(`the container of run ${runId} (${containers[0]!.name}) is ${containers[0]!.state}`, {
        hint,
      });
    const known = await runKnown(runId);
    if (known === false)
      throw new UserError(
        `no run "${runId}": neither Temporal nor the run folders know it, and no container has its id`,
        {
          hint: 'list runs with `dkmv runs` (run ids look like 250101-1200-<component>-<feature>-ab12)',
        },
      );
    if (known === undefined)
      throw new UserError(
        `no container for run "${runId}", and no run folder of that id here (Temporal is not reachable to ask)`,
        {
          hint: 'check the run id with `dkmv runs`; a running run has a container while it runs (--keep-alive keeps it afterwards)',
        },
      );
    throw new UserError(
      `run ${runId} has no container (it ended and its container was removed, or it has not started)`,
      {
        hint,
      },
    );
  }
  const target = running.sort((a, b) => b.sandboxId.localeCompare(a.sandboxId))[0]!;
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const args = ['exec', tty ? '-it' : '-i', target.name, ...(command.length ? command : ['bash'])];
  if (!command.length && tty)
    process.stderr.write(pc.dim(`attaching to ${target.name} (exit to leave; the run goes on)\n`));
  return await new Promise<number>((resolve, reject) => {
    const child = spawn('docker', args, { stdio: 'inherit' });
    child.on('error', (err) => reject(new UserError(`cannot run docker: ${err.message}`, { exitCode: 1 })));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

// ---- stop ----

async function stop(runId: string, opts: { wait: string; force?: boolean }): Promise<number> {
  if (!/^\d+$/.test(opts.wait))
    throw new UserError(`--wait ${opts.wait}: expected a number of seconds`, { hint: 'e.g. --wait 30' });
  const cli = await sessionReadOnly();
  try {
    const handle = cli.client.workflow.getHandle(runId);
    const before = await observeOrFail(cli.client, runId);
    // A harness's children close with it (parent close policy: terminate); on cancel each child
    // cancels too and its worker removes its container.
    const harness = isHarnessRun(before);
    if (before.temporalStatus !== 'RUNNING') {
      console.log(`run ${runId} is not running (${statusOf(before)}); nothing to stop`);
      await reportContainers(runId, harness);
      return EXIT.ok;
    }
    if (opts.force) {
      await handle.terminate('stopped with dkmv stop --force');
      const { removeContainer } = await containerHelpers();
      for (const c of await runContainers(runId, harness)) await removeContainer(c.id);
      console.log(
        `run ${runId} terminated (status cancelled)${harness ? ' with its children' : ''}; its containers were removed`,
      );
      return EXIT.ok;
    }
    await handle.cancel();
    process.stderr.write(`cancelling ${harness ? 'harness ' : ''}${runId}${harness ? ' and its children' : ''}…\n`);
    const deadline = Date.now() + Number(opts.wait) * 1000;
    for (;;) {
      const obs = await observeRun(cli.client, runId, { queryTimeoutMs: 1000 });
      if (obs.temporalStatus !== 'RUNNING') {
        console.log(`run ${runId} stopped: ${statusOf(obs)}`);
        await reportContainers(runId, harness);
        return EXIT.ok;
      }
      if (Date.now() >= deadline) {
        console.log(
          `cancellation of ${runId} requested; the worker has not processed it yet (is a worker running?).\n` +
            `  check with: dkmv show ${runId}    force it with: dkmv stop ${runId} --force`,
        );
        return EXIT.ok;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await cli.close();
  }
}

async function reportContainers(runId: string, harness = false): Promise<void> {
  const left = await runContainers(runId, harness).catch(() => []);
  if (left.length)
    console.log(
      `container kept: ${left.map((c) => c.name).join(', ')} (dkmv attach ${runId}; remove with dkmv clean --run ${runId})`,
    );
}

// ---- clean ----

async function liveRuns(runIds: string[]): Promise<{ live: Set<string>; checked: boolean }> {
  const live = new Set<string>();
  let cli: CliSession;
  try {
    cli = await sessionReadOnly();
  } catch (err) {
    if (!isUserError(err)) throw err;
    process.stderr.write(`${pc.yellow('note:')} ${err.message}; cannot tell which runs are live\n`);
    return { live, checked: false };
  }
  try {
    for (const runId of new Set(runIds)) {
      try {
        const desc = await cli.client.workflow.getHandle(runId).describe();
        if (desc.status.name === 'RUNNING') live.add(runId);
      } catch {
        // unknown to this server: not live here
      }
    }
  } finally {
    await cli.close();
  }
  return { live, checked: true };
}

async function clean(opts: { run: string[]; all?: boolean; dryRun?: boolean }): Promise<void> {
  const { listSandboxContainers, removeContainer, removeFolder, runIdOfSandbox, sandboxFolders } =
    await containerHelpers();
  const only = new Set(opts.run);
  const wanted = (runId: string) => only.size === 0 || only.has(runId);
  const containers = (await listSandboxContainers()).filter((c) => wanted(c.runId));
  const folders = sandboxFolders().filter((f) => wanted(runIdOfSandbox(f.sandboxId)));
  const { live } = opts.all
    ? { live: new Set<string>() }
    : await liveRuns([...containers.map((c) => c.runId), ...folders.map((f) => runIdOfSandbox(f.sandboxId))]);

  const verb = opts.dryRun ? 'would remove' : 'removed';
  let removed = 0;
  const kept: string[] = [];
  for (const c of containers) {
    if (live.has(c.runId)) {
      kept.push(c.name);
      continue;
    }
    if (!opts.dryRun) await removeContainer(c.id);
    console.log(`${verb} container ${c.name}`);
    removed++;
  }
  const remaining = new Set(
    opts.dryRun
      ? containers.filter((c) => live.has(c.runId)).map((c) => c.name)
      : (await listSandboxContainers()).map((c) => c.name),
  );
  let removedFolders = 0;
  const problems: string[] = [];
  for (const f of folders) {
    if (remaining.has(`dkmv-${f.sandboxId}`) || live.has(runIdOfSandbox(f.sandboxId))) continue;
    const problem = opts.dryRun ? undefined : removeFolder(f.dir);
    if (problem) problems.push(`${f.dir}: ${problem}`);
    else {
      console.log(`${verb} sandbox folder ${f.dir}`);
      removedFolders++;
    }
  }
  console.log(
    `${opts.dryRun ? 'dry run: ' : ''}${removed} container(s) and ${removedFolders} sandbox folder(s) ${verb}` +
      (kept.length ? `; kept ${kept.length} container(s) of running runs (use --all to remove them too)` : ''),
  );
  if (problems.length)
    throw new UserError(`could not remove ${problems.length} folder(s):\n  ${problems.join('\n  ')}`, {
      hint: 'they may belong to root (a worker running as root); remove them with sudo',
      exitCode: 1,
    });
}

// ---- approve ----

async function approve(
  runId: string,
  opts: { action?: DecisionAction; answer: string[]; follow?: boolean },
): Promise<number> {
  const answers = parsePairs('--answer', opts.answer, 'ID=VALUE', 'auth_method=oauth');
  const cli = await sessionForRuns();
  try {
    const obs = await observeOrFail(cli.client, runId);
    const view = obs.view;
    if (obs.temporalStatus !== 'RUNNING' || view?.status !== 'awaiting_input' || !view.pending) {
      throw new UserError(`run ${runId} is not waiting for a decision (status: ${statusOf(obs)})`, {
        hint: `see it with: dkmv show ${runId}`,
      });
    }
    const questions = view.pending.questions;
    let decision: Decision;
    if (opts.action || opts.answer.length) {
      decision = { action: opts.action ?? 'continue', ...(opts.answer.length ? { answers } : {}) };
      const problem = decisionError(decision, questions);
      if (problem) throw new UserError(problem, { hint: `the questions: dkmv show ${runId}` });
    } else if (process.stdin.isTTY && process.stderr.isTTY) {
      process.stderr.write(`${pc.yellow(`run ${runId} waits for your decision after task ${view.pending.taskId}`)}\n`);
      decision = await promptDecision(view);
    } else {
      process.stderr.write(`${howToAnswer(runId, questions)}\n`);
      throw new UserError('no --action or --answer given, and no terminal to ask in', {
        hint: `e.g. dkmv approve ${runId} --action continue`,
      });
    }
    await sendDecision(cli.client, runId, decision);
    const given = Object.entries(decision.answers ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const action = effectiveAction(decision, questions);
    console.log(`decision sent: ${action}${given ? ` (${given})` : ''}`);
    if (!opts.follow) {
      if (action !== 'abort') console.log(pc.dim(`follow the run with: dkmv logs ${runId} -f`));
      return EXIT.ok;
    }
    if (isHarnessRun(obs)) {
      const { followHarness } = await import('./harness-follow.js');
      return (await followHarness(await cli.sdk(), runId, {})).code;
    }
    // Following streams the history live: the SDK client (gRPC), opened only now.
    return await followRun(await cli.sdk(), runId, {
      interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
      webUiUrl: cli.webUiUrl,
      namespace: cli.target.namespace,
    });
  } finally {
    await cli.close();
  }
}
