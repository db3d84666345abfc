// A run's user metadata at start (the Web UI's summary line and static details), for component
// runs and harness runs, started by the CLI or as harness children. Pure: used by both.
import type { ComponentRunInput } from '../../core/engine/run-types.js';
import type { HarnessInput } from '../../core/harness/types.js';
import { componentRunSummary, detailsMarkdown, harnessRunSummary, oneLine } from './summaries.js';

export interface StartMetadata {
  staticSummary: string;
  staticDetails: string;
}

export function componentStartMetadata(input: ComponentRunInput): StartMetadata {
  const { plan } = input;
  const description = plan.component.description ?? plan.manifest.description;
  return {
    staticSummary: componentRunSummary(plan.component.name, input.branch, plan.params.agent, plan.params.model),
    staticDetails: detailsMarkdown(`dkmv run ${input.runId}`, [
      ['component', plan.component.name],
      ['description', description ? oneLine(description, 200) : undefined],
      ['branch', input.branch],
      ['repo', input.repo],
      ['agent / model', `${plan.params.agent} · ${plan.params.model}`],
      ['tasks', plan.tasks.map((t) => t.name).join(', ')],
      ['max budget', input.maxBudgetUsd !== undefined ? `$${input.maxBudgetUsd}` : undefined],
      ['run folder', input.runDir],
    ]),
  };
}

export function harnessStartMetadata(input: HarnessInput): StartMetadata {
  const role = (r: { agent?: string; model?: string }) => [r.agent, r.model].filter(Boolean).join(' · ') || 'default';
  return {
    staticSummary: harnessRunSummary(input.prompt, input.branch),
    staticDetails: detailsMarkdown(`dkmv harness ${input.runId}`, [
      ['prompt', oneLine(input.prompt, 200)],
      ['branch', input.branch],
      ['repo', input.repo],
      ['planner', role(input.roles.planner)],
      ['generator', role(input.roles.generator)],
      ['max parallel', input.maxParallel],
      ['max budget', input.maxBudgetUsd !== undefined ? `$${input.maxBudgetUsd}` : undefined],
      ['run folder', input.runDir],
    ]),
  };
}
