// Preparing a harness run: flags → HarnessInput. Every user mistake (no prompt, a bad flag, an unknown
// role key, a missing --prd file, a broken forked role component, no credentials) is reported here,
// before anything starts; then harnessWorkflow is started with the run id as its workflow id.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { planHarnessRole } from '../../core/harness/role-plan.js';
import { requireAgentCredentials, resolveCredentials } from '../../core/agents/index.js';
import { AGENTS, DEFAULT_MODELS, inferAgent, type AgentName } from '../../core/component/index.js';
import { executionLayers, requireRepo, resolveConfig } from '../../core/config/index.js';
import { printConfigNotices } from '../config-notices.js';
import { UserError } from '../../core/errors.js';
import { generatorMarker, plannerMarker } from '../../core/harness/markers.js';
import {
  ROLES,
  type HarnessInput,
  type HarnessRole,
  type QualitySettings,
  type RoleSettings,
} from '../../core/harness/types.js';
import { DKMV_HOME } from '../../core/project.js';
import { DEFAULT_BROWSER_IMAGE } from '../../core/sandbox/browser-image-name.js';
import { makeRunId, random4hex } from '../../core/runs/run-id.js';
import { harnessWorkflow } from '../../workflows/index.js';
import { checkBranchName, featureFromBranch, normalizeRepo } from '../run/repo.js';
import { harnessStartMetadata } from '../../workflows/metadata/run-metadata.js';
import { runLedger } from '../../core/ledger/accounting.js';
import { notifyTargets } from '../run/notify-targets.js';
import { parsePairs } from '../run/run-options.js';
import { sandboxFields, startOptions } from '../run/start-options.js';
import { PROFILES, profileRoles, type Profile } from './harness-profiles.js';
import {
  DEFAULT_REVIEW_MIN_SCORE,
  DEFAULT_REVIEW_ROUNDS,
  type ReviewSettings,
} from '../../core/harness/review-gate.js';

export interface HarnessFlags {
  branch?: string;
  /** Webhook URLs for this build (repeatable). */
  notify?: string[];
  repo?: string;
  profile?: string;
  agent?: string;
  model?: string;
  modelUrl?: string;
  maxBudgetUsd?: string;
  maxDailyBudgetUsd?: string;
  onBudgetExhausted?: string;
  maxParallel?: string;
  /** Build/fix rounds of the quality loop (default 3). */
  maxRounds?: string;
  memory?: string;
  reviewPlan?: boolean;
  designMd?: string;
  prd?: string;
  role: string[];
  plannerDir?: string;
  generatorDir?: string;
  /** false (`--no-eval`): build and land only, no smoke test, evaluators or PR. */
  eval?: boolean;
  /** The branch the pull request targets (default main). */
  base?: string;
  /** false (`--no-review`): no reviewer per unit. */
  review?: boolean;
  /** `--review-min-score N` (1–5, default 4). */
  reviewMinScore?: string;
  json?: boolean;
  wait: boolean;
}

const MAX_DOC_BYTES = 100 * 1024;
const ROLE_KEYS = ['agent', 'model', 'max_turns', 'timeout_minutes', 'max_budget_usd'] as const;

function positive(flag: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new UserError(`${flag} ${value}: expected a positive ${integer ? 'whole number' : 'number'}`, {
      hint: integer ? `e.g. ${flag} 3` : `e.g. ${flag} 5`,
    });
  return n;
}

function readDoc(flag: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  if (!existsSync(file) || !statSync(file).isFile())
    throw new UserError(`${flag} ${file}: no such file`, { hint: 'paths are relative to the working directory' });
  if (statSync(file).size > MAX_DOC_BYTES)
    throw new UserError(`${flag} ${file}: larger than 100 KB`, { hint: 'give the planner a shorter document' });
  return readFileSync(file, 'utf8');
}

/** `--role generator.model=gpt-5.5` (repeatable) → per-role settings. */
export function parseRoleFlags(pairs: string[]): Partial<Record<HarnessRole, RoleSettings>> {
  const out: Partial<Record<HarnessRole, RoleSettings>> = {};
  for (const [key, value] of Object.entries(parsePairs('--role', pairs, 'ROLE.KEY=VALUE', 'generator.agent=codex'))) {
    const [role, field] = key.split('.') as [string, string | undefined];
    if (!(ROLES as readonly string[]).includes(role) || !field || !(ROLE_KEYS as readonly string[]).includes(field))
      throw new UserError(`--role ${key}=${value}: unknown role or setting`, {
        hint: `roles: ${ROLES.join(', ')}; settings: ${ROLE_KEYS.join(', ')} (e.g. --role generator.agent=codex)`,
      });
    const s = (out[role as HarnessRole] ??= {});
    if (field === 'agent') {
      if (!(AGENTS as readonly string[]).includes(value))
        throw new UserError(`--role ${key}=${value}: not an agent`, { hint: `one of ${AGENTS.join(', ')}` });
      s.agent = value as AgentName;
    } else if (field === 'model') s.model = value;
    else if (field === 'max_turns') s.maxTurns = positive(`--role ${key}`, value, true)!;
    else if (field === 'timeout_minutes') s.timeoutMinutes = positive(`--role ${key}`, value, false)!;
    else s.maxBudgetUsd = positive(`--role ${key}`, value, false)!;
  }
  return out;
}

/** Profile, then global --agent/--model, then --role: one role's settings. */
function roleSettings(profile: RoleSettings, flags: HarnessFlags, own: RoleSettings | undefined): RoleSettings {
  const s: RoleSettings = { ...profile };
  if (flags.agent) {
    s.agent = flags.agent as AgentName;
    // A profile's Claude model does not fit another agent: that agent's default instead.
    if (s.model && inferAgent(s.model) !== s.agent) s.model = DEFAULT_MODELS[s.agent];
  }
  if (flags.model) {
    s.model = flags.model;
    if (!flags.agent) delete s.agent;
  }
  if (own?.agent && !own.model && s.model && inferAgent(s.model) !== own.agent) s.model = DEFAULT_MODELS[own.agent];
  return { ...s, ...own };
}

function roleDir(flag: string, dir: string | undefined, role: HarnessRole): string {
  if (dir === undefined) return path.join(DKMV_HOME, 'components', 'harness', role);
  const abs = path.resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory())
    throw new UserError(`${flag} ${dir}: no such folder`, { hint: `fork components/harness/${role} and point to it` });
  return abs;
}

export async function prepareHarness(prompt: string, flags: HarnessFlags): Promise<HarnessInput> {
  if (!prompt || !prompt.trim())
    throw new UserError('the harness needs a prompt', {
      hint: 'dkmv harness "a todo app with tags" --branch feat/todo',
    });
  if (!flags.branch)
    throw new UserError('--branch is required', {
      hint: 'the integration branch the build lands on, e.g. --branch feat/todo',
    });
  checkBranchName(flags.branch);
  if (flags.profile !== undefined && !(PROFILES as readonly string[]).includes(flags.profile))
    throw new UserError(`--profile ${flags.profile}: unknown profile`, { hint: `one of ${PROFILES.join(', ')}` });
  const maxParallel = positive('--max-parallel', flags.maxParallel, true) ?? 5;
  const maxRounds = positive('--max-rounds', flags.maxRounds, true);
  const maxBudgetUsd = positive('--max-budget-usd', flags.maxBudgetUsd, false);
  const perRole = parseRoleFlags(flags.role);
  const config = resolveConfig({
    flags: {
      memory: flags.memory,
      model_url: flags.modelUrl,
      repo: flags.repo,
      agent: flags.agent,
      model: flags.model,
      max_daily_budget_usd: flags.maxDailyBudgetUsd,
      on_budget_exhausted: flags.onBudgetExhausted,
      notify: flags.notify?.length ? flags.notify.join(',') : undefined,
    },
  });
  printConfigNotices(config);
  const repo = normalizeRepo(requireRepo(config), config.projectRoot);
  const runId = makeRunId('harness', featureFromBranch(flags.branch), new Date(), random4hex);
  const layers = executionLayers(config);
  // The run cap is the harness's own; per-child limits come from --role ROLE.max_budget_usd.
  delete layers.config.max_budget_usd;
  delete layers.default.max_budget_usd;
  delete layers.config.agent;
  delete layers.config.model;
  const profile = profileRoles((flags.profile ?? 'balanced') as Profile);
  const roles = {
    planner: roleSettings(profile.planner, flags, perRole.planner),
    generator: roleSettings(profile.generator, flags, perRole.generator),
  };
  const roleDirs = {
    planner: roleDir('--planner-dir', flags.plannerDir, 'planner'),
    generator: roleDir('--generator-dir', flags.generatorDir, 'generator'),
  };
  // The quality loop (SMOKE → EVAL → FIX/REPLAN → SHIP): evaluators and fixers use the generator's settings.
  const quality: QualitySettings | undefined =
    flags.eval === false
      ? undefined
      : {
          browserImage: DEFAULT_BROWSER_IMAGE,
          roles: { evaluator: { ...roles.generator }, fixer: { ...roles.generator } },
          roleDirs: {
            evaluator: path.join(DKMV_HOME, 'components', 'harness', 'evaluator'),
            fixer: path.join(DKMV_HOME, 'components', 'harness', 'fixer'),
          },
          baseBranch: flags.base ?? 'main',
          ...(maxRounds !== undefined ? { maxRounds } : {}),
        };
  const review = reviewSettings(flags, roles.generator);
  const designMd = readDoc('--design-md', flags.designMd);
  const prd = readDoc('--prd', flags.prd);
  const input: HarnessInput = {
    runId,
    prompt: prompt.trim(),
    repo,
    branch: flags.branch,
    ...sandboxFields(config.values, runId),
    projectRoot: config.projectRoot,
    ...(maxBudgetUsd !== undefined ? { maxBudgetUsd } : {}),
    maxParallel,
    heartbeatTimeoutSeconds: config.values.heartbeat_timeout_seconds,
    reviewPlan: Boolean(flags.reviewPlan),
    roles,
    layers: { config: layers.config, default: layers.default },
    roleDirs,
    ...(designMd !== undefined ? { designMd } : {}),
    ...(prd !== undefined ? { prd } : {}),
    ...(quality ? { quality } : {}),
    ...(review ? { review } : {}),
  };
  const ledger = runLedger(config.values, config.name, maxBudgetUsd);
  if (ledger) input.ledger = ledger;
  const notify = notifyTargets(config);
  if (notify) input.notify = notify;
  await checkRoles(input);
  return input;
}

/** The REVIEW gate (on unless --no-review): reviewers use the generator's settings. */
function reviewSettings(flags: HarnessFlags, generator: RoleSettings): ReviewSettings | undefined {
  if (flags.review === false) return undefined;
  const minScore = flags.reviewMinScore === undefined ? DEFAULT_REVIEW_MIN_SCORE : Number(flags.reviewMinScore);
  if (!Number.isInteger(minScore) || minScore < 1 || minScore > 5)
    throw new UserError(`--review-min-score ${flags.reviewMinScore}: expected a whole number from 1 to 5`, {
      hint: 'e.g. --review-min-score 4 (the default), or --no-review',
    });
  return {
    minScore,
    maxRounds: DEFAULT_REVIEW_ROUNDS,
    role: { ...generator },
    roleDir: path.join(DKMV_HOME, 'components', 'harness', 'reviewer'),
  };
}

/** Plans each role component once with sample values (a broken fork fails here) and checks credentials. */
async function checkRoles(input: HarnessInput): Promise<void> {
  const creds = await resolveCredentials({ useGhCli: false });
  const samples: Record<HarnessRole, Record<string, string>> = {
    planner: {
      harness_marker: plannerMarker(1),
      harness_prompt: input.prompt,
      harness_feedback: '',
      harness_prd: '',
      harness_design_md: '',
    },
    generator: {
      harness_marker: generatorMarker('WU-01', 1, 1),
      harness_unit: '',
      harness_shared: '',
      harness_feedback: '',
    },
  };
  for (const role of ROLES) {
    const plan = await planHarnessRole({
      role,
      dir: input.roleDirs[role],
      projectRoot: input.projectRoot,
      childRunId: `${input.runId}--check`,
      repo: input.repo,
      branch: input.branch,
      vars: samples[role],
      settings: input.roles[role],
      layers: input.layers,
    });
    requireAgentCredentials(plan.params.agent, creds, input.modelUrl);
  }
}

export async function startHarness(client: Client, input: HarnessInput, taskQueue: string): Promise<void> {
  mkdirSync(input.runDir, { recursive: true });
  const { designMd: _d, prd: _p, ...shown } = input;
  writeFileSync(path.join(input.runDir, 'config.json'), `${JSON.stringify({ kind: 'harness', ...shown }, null, 2)}\n`);
  await client.workflow.start(harnessWorkflow, {
    ...startOptions(input, taskQueue, 'harness', 'harness'),
    ...harnessStartMetadata(input), // the Web UI's summary line and details
  });
}
