// `dkmv test <component>`: run a component end to end — real agent CLI, real sandbox container, real
// Temporal workflow — against a mock model serving a model script, on a throwaway repository.
// Pause points are answered automatically; every task's status and outputs are reported; the exit
// code is non-zero on any failure. Nothing here needs an API key or spends money.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import { resolveComponent } from '../../core/component/index.js';
import type { DecisionAction, RunStatusView } from '../../core/engine/run-types.js';
import { UserError } from '../../core/errors.js';
import { startMockModel, type MockModel, type MockRequestLog } from '../../core/mock-model/server.js';
import { loadModelScript } from '../../core/model-script/parse.js';
import { prepareRun, startRun } from '../run/start-run.js';
import { collect, type RunFlags } from '../run/run-options.js';
import { clientForRuns } from '../temporal-client.js';
import { driveRun, noWorkerTimeoutMs, parseAnswers, type DriveResult } from '../test-run/driver.js';
import { cancelOnSignals } from '../test-run/cancel-on-signal.js';
import { checkAnswers } from '../test-run/scripted-questions.js';
import { commitsOn, makeThrowawayRepo } from '../test-run/repo.js';
import { runUrl } from '../stack/local-stack.js';
import { testHarness } from './harness-test.js';

export interface TestFlags {
  script?: string;
  var: string[];
  repo?: string;
  seed?: string;
  branch?: string;
  featureName?: string;
  answer: string[];
  action: DecisionAction;
  agent?: string;
  model?: string;
  context: string[];
  maxBudgetUsd?: string;
  startTask?: string;
  auto?: boolean;
  keep?: boolean;
  verbose?: boolean;
}

/** The component's own model script: `model-script.yaml`, else the only file in `model-scripts/`. */
export function defaultScript(componentDir: string): string {
  const own = path.join(componentDir, 'model-script.yaml');
  if (existsSync(own)) return own;
  const folder = path.join(componentDir, 'model-scripts');
  const scripts = existsSync(folder) ? readdirSync(folder).filter((f) => /\.ya?ml$/i.test(f)) : [];
  if (scripts.length === 1) return path.join(folder, scripts[0]!);
  throw new UserError(`no model script given and ${path.basename(componentDir)} has no model-script.yaml`, {
    hint: scripts.length
      ? `pick one with --script: ${scripts.map((s) => path.join(folder, s)).join(', ')}`
      : 'write one (see docs/components.md, "Testing with model scripts") and pass it with --script FILE',
  });
}

function readMockLog(file: string): MockRequestLog[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as MockRequestLog);
  } catch {
    return [];
  }
}

/** Runs the test; returns the exit code (0 only when the run completed with no failed task). */
export async function testComponent(ref: string, flags: TestFlags): Promise<number> {
  const component = resolveComponent(ref);
  const scriptPath = path.resolve(flags.script ?? defaultScript(component.dir));
  const script = await loadModelScript(scriptPath); // a bad script is reported before anything starts
  // The script's test setup (vars, seed, answers) makes `dkmv test <component>` work with no flags;
  // every flag given wins over it.
  const setup = script.test;
  noWorkerTimeoutMs(); // a bad DKMV_TEST_WORKER_WAIT is reported now
  const answers = { ...setup?.answers, ...parseAnswers(flags.answer) };
  checkAnswers(script, answers); // an answer that is not an option is refused before the run starts
  const vars = [...Object.entries(setup?.vars ?? {}).map(([k, v]) => `${k}=${v}`), ...flags.var];
  const seed = flags.seed ? path.resolve(flags.seed) : setup?.seed;
  const featureName = flags.featureName ?? setup?.featureName;
  const tmp = mkdtempSync(path.join(os.tmpdir(), `dkmv-test-${component.name}-`));
  const log = (line: string): void => console.log(line);
  let mock: MockModel | undefined;
  let ok = false;
  let started = false;
  try {
    const repo = flags.repo ?? makeThrowawayRepo(tmp, seed);
    const branch = flags.branch ?? `dkmv-test/${component.name}`;
    const mockLog = path.join(tmp, 'mock-requests.jsonl');
    mock = await startMockModel({ script, logFile: mockLog });
    // Run folders go to the temp folder's runs/ unless DKMV_OUTPUT_DIR says where.
    if (process.env.DKMV_OUTPUT_DIR === undefined) {
      mkdirSync(path.join(tmp, 'runs'));
      process.env.DKMV_OUTPUT_DIR = tmp;
    }
    const runFlags: RunFlags = {
      branch,
      repo,
      var: vars,
      context: flags.context,
      modelUrl: mock.url,
      wait: true,
      ...(featureName ? { featureName } : {}),
      ...(flags.agent ? { agent: flags.agent } : {}),
      ...(flags.model ? { model: flags.model } : {}),
      ...(flags.maxBudgetUsd ? { maxBudgetUsd: flags.maxBudgetUsd } : {}),
      ...(flags.startTask ? { startTask: flags.startTask } : {}),
      ...(flags.auto ? { auto: true } : {}),
    };
    const prepared = await prepareRun(component.dir, runFlags);
    const { runId, runDir } = prepared.input;
    log(`${pc.bold(`dkmv test ${component.name}`)}  (${prepared.input.plan.tasks.length} task slot(s))`);
    log(`  script  ${scriptPath}  (${script.sessions.length} session(s), mock model ${mock.url})`);
    log(`  repo    ${repo}  branch ${branch}`);
    if (setup) {
      const parts = [
        Object.keys(setup.vars).length ? `vars ${Object.keys(setup.vars).join(', ')}` : '',
        setup.seed && !flags.repo && !flags.seed ? `seed ${setup.seed}` : '',
        Object.keys(setup.answers).length ? `answers ${Object.keys(setup.answers).join(', ')}` : '',
      ].filter(Boolean);
      if (parts.length) log(`  setup   from the script: ${parts.join('; ')}`);
    }
    log(`  agent   ${prepared.input.plan.params.agent}  model ${prepared.input.plan.params.model}`);
    const cli = await clientForRuns({ requireWorker: true }); // `dkmv test` waits for its result: no worker, no wait
    let result: DriveResult;
    try {
      await startRun(cli.client, prepared, cli.target.taskQueue);
      started = true;
      log(`  run     ${runId}`);
      // Ctrl-C or SIGTERM cancels the run (its container goes with it) and still reports and cleans up.
      const release = cancelOnSignals(cli.client, runId, (line) => log(pc.yellow(line)));
      try {
        result = await driveRun(cli.client, runId, {
          answers,
          action: flags.action,
          log,
          taskQueue: cli.target.taskQueue,
        });
      } finally {
        release();
      }
    } finally {
      await cli.close();
    }
    ok = report(result, { runDir, repo, branch, requests: readMockLog(mockLog), log });
    log(`Web UI: ${runUrl(cli.webUiUrl, cli.target.namespace, runId)}`);
    if (ok && !flags.keep)
      log(
        pc.dim(
          isInside(runDir, tmp)
            ? `(the run folder is kept, in the system temp folder; the throwaway repo and mock log were removed: pass --keep to keep them too)`
            : '(temp folder removed; pass --keep to keep the throwaway repo and mock log)',
        ),
      );
    return ok ? 0 : 1;
  } finally {
    await mock?.close();
    // Bad input found before the run started leaves nothing behind.
    if (!started && !flags.keep) rmSync(tmp, { recursive: true, force: true });
    else if (ok && !flags.keep) removeAllButRuns(tmp);
    else console.log(`  kept    ${tmp}  (throwaway repo, run folder, mock-requests.jsonl)`);
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * After a passing test: the throwaway repo and the mock log go, the run folder stays (printed above,
 * `dkmv show`/`dkmv logs` read it), so the temp folder keeps only `runs/`.
 */
function removeAllButRuns(tmp: string): void {
  const runs = path.join(tmp, 'runs');
  if (!existsSync(runs)) {
    rmSync(tmp, { recursive: true, force: true });
    return;
  }
  for (const name of readdirSync(tmp))
    if (name !== 'runs') rmSync(path.join(tmp, name), { recursive: true, force: true });
}

function report(
  result: DriveResult,
  ctx: { runDir: string; repo: string; branch: string; requests: MockRequestLog[]; log: (l: string) => void },
): boolean {
  const { log } = ctx;
  const view: RunStatusView | undefined = result.view;
  log('');
  if (!view) {
    log(pc.red(`run ended as ${result.temporalStatus} with no status`));
    return false;
  }
  const bad = view.tasks.filter((t) => t.status === 'failed' || t.status === 'timed_out');
  for (const t of view.tasks) {
    const mark = t.status === 'completed' ? pc.green('✓') : t.status === 'skipped' ? pc.dim('-') : pc.red('✗');
    const outputs = t.savedOutputs?.length
      ? `  outputs ok: ${t.savedOutputs.map((o) => path.basename(o)).join(', ')}`
      : '';
    log(`${mark} ${t.id.padEnd(28)} ${t.status.padEnd(12)} turns ${String(t.turns).padStart(3)}${outputs}`);
    if (t.error) for (const line of t.error.split('\n').slice(0, 12)) log(pc.red(`    ${line}`));
    if (t.answers && Object.keys(t.answers).length) log(`    answers ${JSON.stringify(t.answers)}`);
  }
  const unmatched = ctx.requests.filter((r) => r.served === 'no_session').length;
  const errors = ctx.requests.filter((r) => r.served === 'error').length;
  log(
    `model requests: ${ctx.requests.length}${unmatched ? pc.yellow(`, ${unmatched} matched no session of the script`) : ''}${errors ? `, ${errors} scripted error(s)` : ''}`,
  );
  if (unmatched) log(pc.yellow("  hint: a session's `match` regex must occur in the task prompt or its instructions"));
  const commits = commitsOn(ctx.repo, ctx.branch);
  if (commits.length) log(`commits on ${ctx.branch}: ${commits.length} (latest: ${commits[0]})`);
  for (const id of result.unusedAnswers) log(pc.yellow(`warning: --answer ${id}=... was never asked for`));
  const ok = view.status === 'completed' && bad.length === 0;
  const status = ok ? pc.green(view.status) : pc.red(view.status);
  log(
    `${status}  ${view.runId}  cost $${view.costUsd.toFixed(4)}${view.error ? `  ${view.error.split('\n')[0]}` : ''}`,
  );
  log(`run folder: ${ctx.runDir}`);
  return ok;
}

export function register(program: Command): void {
  program
    .command('test')
    .argument('<component>', 'component: a path, a registered name or a built-in')
    .description('run a component against a model script (mock model, real agent CLI and sandbox, no API key)')
    .option('--script <file>', "model script (default: the component's model-script.yaml)")
    .option('--var <key=value>', "template variable (repeatable; adds to the script's test vars)", collect, [])
    .option('--repo <url-or-path>', 'run on this repository instead of a throwaway one')
    .option('--seed <dir>', "files for the throwaway repository's first commit (default: the script's test seed)")
    .option('--branch <name>', 'branch to work on (default: dkmv-test/<component>)')
    .option('--feature-name <name>', 'feature name (default: derived from the branch)')
    .option('--answer <id=value>', 'answer to a pause-point question (repeatable; default: its default)', collect, [])
    .addOption(
      new Option('--action <action>', 'what to do at each pause point')
        .choices(['continue', 'skip_remaining', 'abort'])
        .default('continue'),
    )
    .addOption(new Option('--agent <name>', 'agent CLI').choices(['claude', 'codex']))
    .option('--model <model>', 'model name sent to the mock')
    .option('--context <path>', 'file or folder copied into .agent/context/ (repeatable)', collect, [])
    .option('--max-budget-usd <usd>', 'dollar cap for the run (scripted usage is priced like real usage)')
    .option('--start-task <name-or-index>', 'start at this task')
    .option('--auto', 'skip pause points instead of answering them')
    .option('--keep', 'keep the temp folder (throwaway repo, run folder, mock log) even when the test passes')
    .option('--prompt <text>', "`dkmv test harness` only: the prompt (default: the shipped fixture's)")
    .option('--max-parallel <n>', '`dkmv test harness` only: generators at once (default 5)')
    .option('--role <role.key=value>', "`dkmv test harness` only: one role's agent, model, … (repeatable)", collect, [])
    .option('--no-eval', '`dkmv test harness` only: build and land only (no smoke test or evaluators)')
    .option('--max-rounds <n>', '`dkmv test harness` only: build/fix rounds before shipping with issues (default 3)')
    .option('--no-review', '`dkmv test harness` only: no code-review gate')
    .option('--review-min-score <n>', '`dkmv test harness` only: the review score a unit needs (default 4)')
    .option(
      '--fixture <name>',
      '`dkmv test harness` only: a shipped fixture (components/harness/fixtures/<name>, default tiny-app)',
    )
    .action(
      async (
        component: string,
        flags: TestFlags & { prompt?: string; role: string[]; maxParallel?: string; maxRounds?: string },
      ) => {
        // `dkmv test harness`: a whole harness build against a model script (cli/commands/harness-test.ts).
        if (component === 'harness') {
          process.exitCode = await testHarness({ ...flags, wait: true });
          return;
        }
        process.exitCode = await testComponent(component, flags);
      },
    );
}
