// Execution parameters (agent, model, max_turns, timeout_minutes, max_budget_usd) resolve through
// CLI flags > task YAML > component.yaml task entry > component.yaml top level > config (env > .env >
// .dkmv/config.json > defaults). Flags win over the task files as in DKMV's CLI (CLI > task >
// config), so `--max-turns 5` caps every task of a component whose tasks set their own limits.
// The agent follows the model when only the model is set higher up.
import { UserError } from '../errors.js';
import type { ErrorLocation } from '../errors.js';
import { EXECUTION_PARAM_KEYS } from './schema.js';
import type { AgentName, ExecutionParamKey, ExecutionParams } from './schema.js';

/** Precedence levels, highest first. `default` is the built-in default inside the config cascade. */
export const PARAM_LEVELS = ['cli', 'task', 'component-task', 'component', 'config', 'default'] as const;
export type ParamLevel = (typeof PARAM_LEVELS)[number];

/** Default model per agent, used when the agent is chosen explicitly and the model only defaulted. */
export const DEFAULT_MODELS: Record<AgentName, string> = { claude: 'claude-sonnet-4-6', codex: 'gpt-5.5' };

export type ParamLayers = Partial<Record<ParamLevel, ExecutionParams>>;

export interface ResolvedParams {
  agent: AgentName;
  model: string;
  max_turns: number;
  timeout_minutes: number;
  /** Per-task cap; undefined = no task cap (the run budget still applies). */
  max_budget_usd: number | undefined;
  /** Which level each value came from (`inferred` = agent from the model name, `agent-default` = model from the agent). */
  sources: Record<ExecutionParamKey, ParamLevel | 'inferred' | 'agent-default' | 'none'>;
}

/** `claude-*` → claude; `gpt-*`, `o<digit>*`, `codex-*` → codex; anything else → undefined. */
export function inferAgent(model: string): AgentName | undefined {
  const m = model.trim().toLowerCase();
  if (m.startsWith('claude-') || m === 'claude' || ['opus', 'sonnet', 'haiku'].includes(m)) return 'claude';
  if (m.startsWith('gpt-') || /^o\d/.test(m) || m.startsWith('codex-') || m === 'codex') return 'codex';
  return undefined;
}

function pick<K extends ExecutionParamKey>(
  layers: ParamLayers,
  key: K,
): { value: ExecutionParams[K]; level: ParamLevel } | undefined {
  for (const level of PARAM_LEVELS) {
    const v = layers[level]?.[key];
    if (v !== undefined) return { value: v, level };
  }
  return undefined;
}

/**
 * Resolves the effective parameters for one task. Throws a UserError when an explicitly chosen agent
 * and an explicitly chosen model do not fit together (e.g. agent codex with model claude-*).
 */
export function resolveExecutionParams(layers: ParamLayers, where: ErrorLocation = {}): ResolvedParams {
  const sources = {} as ResolvedParams['sources'];
  const rank = (level: ParamLevel): number => PARAM_LEVELS.indexOf(level);

  const model = pick(layers, 'model');
  const agent = pick(layers, 'agent');
  let agentName: AgentName;
  let modelName: string;

  const inferred = model ? inferAgent(model.value as string) : undefined;
  if (agent && (!model || rank(agent.level) <= rank(model.level) || !inferred)) {
    agentName = agent.value as AgentName;
    sources.agent = agent.level;
  } else if (inferred) {
    agentName = inferred;
    sources.agent = 'inferred';
  } else {
    agentName = 'claude';
    sources.agent = 'none';
  }
  if (model) {
    modelName = model.value as string;
    sources.model = model.level;
    if (inferred && inferred !== agentName) {
      if (model.level === 'default') {
        modelName = DEFAULT_MODELS[agentName];
        sources.model = 'agent-default';
      } else {
        throw new UserError(
          `model "${modelName}" (from ${describeLevel(model.level)}) does not run on agent "${agentName}" (from ${describeLevel(sources.agent as ParamLevel)})`,
          {
            location: where,
            hint: `${modelName} needs agent ${inferred}: set agent: ${inferred}, or pick a ${agentName} model (e.g. ${DEFAULT_MODELS[agentName]})`,
          },
        );
      }
    }
  } else {
    modelName = DEFAULT_MODELS[agentName];
    sources.model = 'agent-default';
  }

  const num = (key: 'max_turns' | 'timeout_minutes' | 'max_budget_usd'): number | undefined => {
    const hit = pick(layers, key);
    sources[key] = hit?.level ?? 'none';
    return hit?.value as number | undefined;
  };
  const maxTurns = num('max_turns');
  const timeout = num('timeout_minutes');
  const budget = num('max_budget_usd');
  return {
    agent: agentName,
    model: modelName,
    max_turns: maxTurns ?? 100,
    timeout_minutes: timeout ?? 30,
    max_budget_usd: budget,
    sources,
  };
}

export function describeLevel(level: ParamLevel): string {
  switch (level) {
    case 'task':
      return 'the task file';
    case 'component-task':
      return 'the task entry in component.yaml';
    case 'component':
      return 'component.yaml';
    case 'cli':
      return 'a command-line flag';
    case 'config':
      return 'the configuration (env, .env or .dkmv/config.json)';
    case 'default':
      return 'the built-in default';
  }
}

/** Keeps only execution-parameter fields that are set. */
export function paramsOf(source: Partial<Record<ExecutionParamKey, unknown>> | undefined): ExecutionParams {
  const out: Record<string, unknown> = {};
  if (!source) return out;
  for (const key of EXECUTION_PARAM_KEYS) if (source[key] !== undefined) out[key] = source[key];
  return out as ExecutionParams;
}
