// `dkmv harness "<prompt>" --branch B …`: one prompt → planner → parallel generators → structural
// landing → a built branch; `dkmv harness continue <run-id>` re-dispatches what did not land.
import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { collect } from '../run/run-options.js';
import { EXIT } from '../run/follow.js';
import { clientForRuns } from '../temporal-client.js';
import { runUrl } from '../stack/local-stack.js';
import { continueHarness } from './harness-continue.js';
import { followHarness } from './harness-follow.js';
import { PROFILES } from './harness-profiles.js';
import { prepareHarness, startHarness, type HarnessFlags } from './harness-start.js';

export async function runHarness(prompt: string, flags: HarnessFlags): Promise<number> {
  const input = await prepareHarness(prompt, flags);
  const cli = await clientForRuns();
  try {
    await startHarness(cli.client, input, cli.target.taskQueue);
    if (!flags.wait) {
      console.log(input.runId);
      return EXIT.ok;
    }
    process.stderr.write(
      `harness ${input.runId} started (Web UI: ${runUrl(cli.webUiUrl, cli.target.namespace, input.runId)})\n`,
    );
    return (await followHarness(cli.client, input.runId, { json: Boolean(flags.json) })).code;
  } finally {
    await cli.close();
  }
}

export function register(program: Command): void {
  program
    .command('harness')
    .argument('<prompt>', 'what to build (or `continue <run-id>`)')
    .argument('[run-id]', 'with `continue`: the harness run to continue')
    .description('one prompt → planner → parallel generators → structural landing → a built branch')
    .addHelpText(
      'after',
      '\nExit codes: 0 passed, 1 failed or cancelled, 2 usage, 3 waiting for input (--review-plan),\n' +
        '4 shipped with remaining issues, 5 unverified (the app never passed its check or smoke test).',
    )
    .option('--branch <name>', 'integration branch the build lands on (created if missing)')
    .option('--repo <url-or-path>', 'repository (optional after `dkmv init`)')
    .addOption(new Option('--profile <profile>', 'models per role').choices([...PROFILES]).default('balanced'))
    .addOption(new Option('--agent <name>', 'agent CLI for every role').choices(['claude', 'codex']))
    .option('--model <model>', 'model for every role')
    .option(
      '--role <role.key=value>',
      'one role: e.g. generator.agent=codex, planner.max_turns=40 (repeatable)',
      collect,
      [],
    )
    .option('--model-url <url>', 'model endpoint override (gateway, proxy or `dkmv mock-model`)')
    .option('--max-budget-usd <usd>', 'dollar cap for the whole run tree')
    .option('--max-daily-budget-usd <usd>', "the project's spend ceiling per UTC day, across all runs (budget ledger)")
    .option(
      '--on-budget-exhausted <wait|fail>',
      'when the daily ceiling leaves no room: wait for it, or fail (default)',
    )
    .option('--max-parallel <n>', 'generators running at once (default 5)')
    .option('--max-rounds <n>', 'build/fix rounds before the build ships with its remaining issues (default 3)')
    .option('--memory <size>', 'container memory limit per child, e.g. 8g')
    .option('--review-plan', 'pause after Gate 1 for a decision (`dkmv approve`)')
    .option('--notify <url>', 'webhook told when the build pauses or ends (repeatable)', collect, [])
    .option('--design-md <file>', 'design document for the planner')
    .option('--prd <file>', 'product requirements for the planner')
    .option('--planner-dir <dir>', 'a forked planner role component')
    .option('--generator-dir <dir>', 'a forked generator role component')
    .option('--no-eval', 'build and land only: no smoke test, evaluators, fix rounds or pull request')
    .option('--base <branch>', 'the branch the pull request targets (default main)')
    .option('--no-review', 'no code-review gate: units land without a reviewer')
    .option(
      '--review-min-score <n>',
      'the review score (1–5, the lowest dimension) a unit needs to land without a fix (default 4)',
    )
    .option('--json', 'print the final state as JSON (no live tree)')
    .option('--no-wait', 'print the run id and return')
    .action(async (prompt: string, runId: string | undefined, flags: HarnessFlags) => {
      if (prompt === 'continue' && runId) {
        const cli = await clientForRuns();
        try {
          process.exitCode = await continueHarness(cli.client, runId, flags, (input) =>
            startHarness(cli.client, input, cli.target.taskQueue),
          );
        } finally {
          await cli.close();
        }
        return;
      }
      if (prompt === 'continue' || runId)
        throw new UserError(prompt === 'continue' ? 'continue needs a run id' : `unexpected argument: ${runId}`, {
          hint: 'dkmv harness continue <run-id>, or quote the prompt: dkmv harness "a todo app" --branch feat/todo',
        });
      process.exitCode = await runHarness(prompt, flags);
    });
}
