// Starting a component run: resolve config and component, plan it (every template and path is
// checked here, before any container starts), check credentials, write config.json to the run
// folder and start componentWorkflow with the run id as its workflow id.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { agentGithubTokenAllowed, requireAgentCredentials, resolveCredentials } from '../../core/agents/index.js';
import {
  bundleContext,
  checkBundleSize,
  findSlot,
  planComponent,
  resolveComponent,
  type ComponentPlan,
} from '../../core/component/index.js';
import { executionLayers, resolveConfig, type ResolvedConfig } from '../../core/config/index.js';
import type { ComponentRunInput } from '../../core/engine/run-types.js';
import { UserError } from '../../core/errors.js';
import { outsideSourceNotices } from '../../core/component/outside-sources.js';
import { makeRunId, random4hex } from '../../core/runs/run-id.js';
import { COMPONENT_WORKFLOW } from '../../core/engine/workflow-names.js';
import { sandboxFields, startOptions } from './start-options.js';
import { checkBranchName, checkedRepo, featureFromBranch } from './repo.js';
import { checkModelFamily, parseVars, type RunFlags } from './run-options.js';
import { checkPullRequestToken, wantsPullRequest } from './pr-token.js';
import { componentStartMetadata } from '../../workflows/metadata/run-metadata.js';
import { runLedger } from '../../core/ledger/accounting.js';
import { notifyTargets } from './notify-targets.js';
import { targetLabel } from '../../core/notify/targets.js';
import { printConfigNotices } from '../config-notices.js';
import type { TemporalClientLike } from '../temporal/client-like.js';

export interface PreparedRun {
  input: ComponentRunInput;
  config: ResolvedConfig;
}

function configFlags(flags: RunFlags) {
  return {
    agent: flags.agent,
    model: flags.model,
    max_turns: flags.maxTurns,
    timeout_minutes: flags.timeout,
    max_budget_usd: flags.maxBudgetUsd,
    max_daily_budget_usd: flags.maxDailyBudgetUsd,
    on_budget_exhausted: flags.onBudgetExhausted,
    memory: flags.memory,
    model_url: flags.modelUrl,
    notify: flags.notify?.length ? flags.notify.join(',') : undefined,
    repo: flags.repo,
  };
}

/** Everything up to (not including) starting the workflow; all user mistakes surface here. */
export async function prepareRun(
  componentRef: string,
  flags: RunFlags,
  extraVars: Record<string, string> = {},
): Promise<PreparedRun> {
  const config = resolveConfig({ flags: configFlags(flags) });
  printConfigNotices(config);
  if (!flags.branch)
    throw new UserError('--branch is required', { hint: 'e.g. --branch feature/auth (created if it does not exist)' });
  checkBranchName(flags.branch);
  checkModelFamily(flags);
  const repo = checkedRepo(config);
  const component = resolveComponent(componentRef, { projectRoot: config.projectRoot });
  const featureName = flags.featureName ?? featureFromBranch(flags.branch);
  const runId = makeRunId(component.name, featureName, new Date(), random4hex);
  const plan: ComponentPlan = planComponent(component, {
    context: {
      repo,
      branch: flags.branch,
      feature_name: featureName,
      run_id: runId,
      vars: { ...parseVars(flags.var), ...extraVars },
    },
    ...executionLayers(config),
    projectRoot: config.projectRoot,
  });
  // A bad --start-task is a usage error now, not a failed run; the workflow gets the slot's id.
  const startTask = flags.startTask ? findSlot(plan, flags.startTask).id : undefined;
  // File inputs were read into the plan while planning (a missing required one is reported there);
  // --context files, from anywhere on this machine, travel with it too.
  for (const p of flags.context) {
    if (!existsSync(p))
      throw new UserError(`--context ${p}: no such file or folder`, {
        hint: 'paths are relative to the working directory',
      });
  }
  if (plan.bundle) {
    bundleContext(plan.bundle, flags.context, '.agent/context');
    checkBundleSize(plan.bundle);
  }
  for (const warning of plan.warnings) console.error(`warning: ${warning}`);
  for (const notice of outsideSourceNotices(plan.bundle, config.projectRoot, plan.component.dir))
    console.error(`notice: ${notice}`);
  const creds = await checkCredentials(plan, config.values.model_url);
  const agentGithubToken = Boolean(flags.agentGithubToken || agentGithubTokenAllowed());
  const prWarning = checkPullRequestToken(plan, agentGithubToken, Boolean(creds.githubToken));
  if (prWarning) console.error(`warning: ${prWarning}`);
  const input: ComponentRunInput = {
    runId,
    plan,
    repo,
    branch: flags.branch,
    ...sandboxFields(config.values, runId),
    contextPaths: flags.context.map((p) => path.resolve(p)), // as typed, from the working directory
    auto: Boolean(flags.auto),
    ...(startTask ? { startTask } : {}),
    keepAlive: Boolean(flags.keepAlive),
    ...(agentGithubToken ? { agentGithubToken: true } : {}),
    // The run cap is the invocation's (flag, env, config); component and task values are per-task limits.
    ...(config.values.max_budget_usd !== undefined ? { maxBudgetUsd: config.values.max_budget_usd } : {}),
    hostStartTimeoutSeconds: config.values.host_start_timeout_seconds,
    heartbeatTimeoutSeconds: config.values.heartbeat_timeout_seconds,
  };
  const notify = notifyTargets(config);
  if (notify) input.notify = notify;
  const ledger = runLedger(config.values, config.name, input.maxBudgetUsd);
  if (ledger) input.ledger = ledger;
  return { input, config };
}

/** No usable credential and no model URL is an error before any container starts. */
async function checkCredentials(
  plan: ComponentPlan,
  modelUrl: string | undefined,
): Promise<Awaited<ReturnType<typeof resolveCredentials>>> {
  const creds = await resolveCredentials({ useGhCli: wantsPullRequest(plan) });
  requireAgentCredentials(plan.params.agent, creds, modelUrl);
  return creds;
}

/** config.json of the run folder: what was asked, never a secret. */
function writeRunConfig(input: ComponentRunInput, config: ResolvedConfig): void {
  mkdirSync(input.runDir, { recursive: true });
  const record = {
    run_id: input.runId,
    component: input.plan.component.name,
    component_dir: input.plan.component.dir,
    repo: input.repo,
    branch: input.branch,
    feature_name: input.plan.context.feature_name,
    vars: input.plan.context.vars,
    params: input.plan.params,
    image: input.image,
    memory: input.memory,
    model_url: input.modelUrl,
    context: input.contextPaths,
    auto: input.auto,
    start_task: input.startTask,
    keep_alive: input.keepAlive,
    agent_github_token: input.agentGithubToken === true,
    max_budget_usd: input.maxBudgetUsd,
    notify: input.notify?.urls.map(targetLabel),
    tasks: input.plan.tasks.map((t) => ({ id: t.id, name: t.name, kind: t.kind, pause_after: t.pauseAfter })),
    temporal: {
      address: config.values.temporal_address,
      namespace: config.values.temporal_namespace,
      task_queue: config.values.task_queue,
    },
  };
  writeFileSync(path.join(input.runDir, 'config.json'), `${JSON.stringify(record, null, 2)}\n`);
}

export async function startRun(client: TemporalClientLike, prepared: PreparedRun, taskQueue: string): Promise<void> {
  const { input, config } = prepared;
  writeRunConfig(input, config);
  await client.workflow.start(COMPONENT_WORKFLOW, {
    ...startOptions(input, taskQueue, input.plan.component.name),
    ...componentStartMetadata(input), // the Web UI's summary line and details
  });
}
