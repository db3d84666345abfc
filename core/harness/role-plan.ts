// Plans one harness role child: the role component (built-in or forked) loaded with the child's
// template variables (marker line, prompt, unit brief, feedback) by the ordinary component loader.
import path from 'node:path';
import { planComponent, type ComponentPlan, type ExecutionParams } from '../../core/component/index.js';
import type { HarnessRole, QualityRole, RoleSettings } from '../../core/harness/types.js';

export interface PlanRoleInput {
  role: HarnessRole | QualityRole | 'reviewer';
  /** The role component's folder. */
  dir: string;
  projectRoot: string;
  childRunId: string;
  repo: string;
  branch: string;
  vars: Record<string, string>;
  settings: RoleSettings;
  /** Config-level and default execution parameters, resolved by the CLI. */
  layers: { config: ExecutionParams; default: ExecutionParams };
}

function cliLayer(s: RoleSettings): ExecutionParams {
  return {
    ...(s.agent ? { agent: s.agent } : {}),
    ...(s.model ? { model: s.model } : {}),
    ...(s.maxTurns !== undefined ? { max_turns: s.maxTurns } : {}),
    ...(s.timeoutMinutes !== undefined ? { timeout_minutes: s.timeoutMinutes } : {}),
    ...(s.maxBudgetUsd !== undefined ? { max_budget_usd: s.maxBudgetUsd } : {}),
  };
}

export async function planHarnessRole(input: PlanRoleInput): Promise<ComponentPlan> {
  await Promise.resolve();
  const plan = planComponent(
    { name: `harness-${input.role}`, dir: path.resolve(input.dir), source: 'builtin' },
    {
      context: {
        repo: input.repo,
        branch: input.branch,
        feature_name: input.role,
        run_id: input.childRunId,
        vars: input.vars,
      },
      cli: cliLayer(input.settings),
      config: input.layers.config,
      defaults: input.layers.default,
      projectRoot: input.projectRoot,
    },
  );
  // Rendered from the resolved values, so the prompt states the limits the engine enforces.
  plan.context.vars = { ...plan.context.vars, harness_budget: budgetText(plan.params) };
  return plan;
}

/** The role's time, turn and dollar limits as one sentence for its prompt. */
export function budgetText(p: ComponentPlan['params']): string {
  const dollars = p.max_budget_usd !== undefined ? `, and at most $${p.max_budget_usd.toFixed(2)}` : '';
  return (
    `You have ${p.timeout_minutes} minutes and ${p.max_turns} turns${dollars}. When the time or turns run out ` +
    `the run is stopped and what you have written so far is committed as it is: write the files that matter first, ` +
    `and finish with time to spare.`
  );
}
