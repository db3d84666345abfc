// Flags shared by `dkmv run` and the built-in pipeline commands (plan, dev, qa, docs), with the
// same names and meanings as DKMV's CLI reference.
import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { inferAgent } from '../../core/component/params.js';

export interface RunFlags {
  branch?: string;
  repo?: string;
  featureName?: string;
  var: string[];
  context: string[];
  agent?: string;
  model?: string;
  modelUrl?: string;
  maxTurns?: string;
  timeout?: string;
  maxBudgetUsd?: string;
  maxDailyBudgetUsd?: string;
  onBudgetExhausted?: string;
  memory?: string;
  startTask?: string;
  keepAlive?: boolean;
  verbose?: boolean;
  auto?: boolean;
  agentGithubToken?: boolean;
  /** Webhook URLs for this run (repeatable). */
  notify?: string[];
  /** No terminal bell or desktop notification when the followed run pauses. */
  quiet?: boolean;
  wait: boolean;
}

/** commander accumulator for repeatable options. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addRunFlags(cmd: Command): Command {
  return cmd
    .option('--branch <name>', 'git branch to work on (created from the default branch if missing)')
    .option('--repo <url-or-path>', 'repository: a URL or a local path (optional after `dkmv init`)')
    .option('--feature-name <name>', 'feature name (default: derived from the branch)')
    .option('--var <key=value>', 'template variable (repeatable)', collect, [])
    .option('--context <path>', 'file or folder copied into .agent/context/ (repeatable)', collect, [])
    .addOption(new Option('--agent <name>', 'agent CLI').choices(['claude', 'codex']))
    .option('--model <model>', 'model (claude-* → Claude Code, gpt-*/o*/codex-* → Codex)')
    .option('--model-url <url>', 'model endpoint override (gateway, proxy or `dkmv mock-model`)')
    .option('--max-turns <n>', 'max agent turns per task (overrides component.yaml; task files may set their own)')
    .option(
      '--timeout <minutes>',
      'timeout per task, in minutes (overrides component.yaml; task files may set their own)',
    )
    .option(
      '--max-budget-usd <usd>',
      'dollar cap for the whole run (each task gets what remains; task files may set their own cap)',
    )
    .option('--max-daily-budget-usd <usd>', "the project's spend ceiling per UTC day, across all runs (budget ledger)")
    .option(
      '--on-budget-exhausted <wait|fail>',
      'when the daily ceiling leaves no room: wait for it, or fail (default)',
    )
    .option('--memory <size>', 'container memory limit, e.g. 8g')
    .option('--start-task <name-or-index>', 'start at this task; earlier ones are pre-existing')
    .option('--keep-alive', 'keep the container after the run (for `dkmv attach`)')
    .option('--verbose', "stream the agent's events as they happen")
    .option('--auto', 'skip pause points (continue with default answers)')
    .option(
      '--agent-github-token',
      "give agent tasks the worker's GitHub token (GITHUB_TOKEN/GH_TOKEN, gh as git's credential helper), " +
        'e.g. for a component that opens its own PR; off by default, also DKMV_AGENT_GITHUB_TOKEN=1',
    )
    .option(
      '--notify <url>',
      'webhook told when the run pauses for a decision or ends (repeatable; Slack incoming webhooks get Slack messages)',
      collect,
      [],
    )
    .option('--quiet', 'no terminal bell or desktop notification when the run pauses')
    .option('--no-wait', 'print the run id and return without following the run');
}

/** Parses repeatable `--flag KEY=VALUE` options; a malformed one is a usage error with an example. */
export function parsePairs(flag: string, pairs: string[], shape: string, example: string): Record<string, string> {
  const parsed: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UserError(`${flag} ${pair}: expected ${shape}`, { hint: `e.g. ${flag} ${example}` });
    parsed[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return parsed;
}

/**
 * `--model` with no `--agent` must name a model family dkmv knows (so it can pick the agent CLI);
 * with `--agent` any model name is passed through (gateways, proxies).
 */
export function checkModelFamily(flags: { model?: string | undefined; agent?: string | undefined }): void {
  if (!flags.model || flags.agent || inferAgent(flags.model)) return;
  throw new UserError(`--model ${flags.model}: unknown model family`, {
    hint:
      'dkmv knows claude-* (and opus, sonnet, haiku) → Claude Code, and gpt-*, o<N>*, codex-* → Codex; ' +
      'to send another model name through a gateway, also name the agent: --agent claude|codex --model-url <url>',
  });
}

/** Parses `--var k=v` flags. */
export function parseVars(pairs: string[]): Record<string, string> {
  return parsePairs('--var', pairs, 'KEY=VALUE', 'checklist_path=./owasp.md');
}
