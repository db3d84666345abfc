// Starting one role child: a componentWorkflow running a one-task role component, with an explicit
// deterministic workflow id, terminated when the harness closes. Returns what the child did; a child
// that fails is a result (its error and cost), not an exception — only cancellation propagates.
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  executeChild,
  isCancellation,
  ParentClosePolicy,
} from '@temporalio/workflow';
import type { ComponentPlan } from '../../core/component/plan-types.js';
import type { ComponentRunInput, RunStatusView } from '../../core/engine/run-types.js';
import { childRunId } from '../../core/harness/ids.js';
import type { HarnessInput } from '../../core/harness/types.js';
import { componentWorkflow } from '../component/workflow.js';
import { componentStartMetadata } from '../metadata/run-metadata.js';

export interface ChildOutcome {
  status: string;
  costUsd: number;
  turns: number;
  error?: string;
}

export function childInput(
  input: HarnessInput,
  childId: string,
  plan: ComponentPlan,
  branch: string,
  budgetUsd: number | undefined,
  image: string = input.image,
): ComponentRunInput {
  const runId = childRunId(childId);
  return {
    runId,
    plan,
    repo: input.repo,
    branch,
    image,
    memory: input.memory,
    ...(input.modelUrl ? { modelUrl: input.modelUrl } : {}),
    runDir: `${input.runDir}/children/${runId}`,
    contextPaths: [],
    auto: true,
    keepAlive: false,
    ...(budgetUsd !== undefined ? { maxBudgetUsd: budgetUsd } : {}),
    ...(input.heartbeatTimeoutSeconds !== undefined ? { heartbeatTimeoutSeconds: input.heartbeatTimeoutSeconds } : {}),
  };
}

function outcomeOf(view: RunStatusView | undefined, fallback: string, error?: string): ChildOutcome {
  const turns = view?.tasks.reduce((s, t) => s + t.turns, 0) ?? 0;
  const err = view?.error ?? error;
  return { status: view?.status ?? fallback, costUsd: view?.costUsd ?? 0, turns, ...(err ? { error: err } : {}) };
}

export async function runChild(childId: string, input: ComponentRunInput): Promise<ChildOutcome> {
  try {
    const view = await executeChild(componentWorkflow, {
      workflowId: childId,
      args: [input],
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      ...componentStartMetadata(input),
    });
    return outcomeOf(view, 'completed');
  } catch (err) {
    if (isCancellation(err)) throw err;
    if (err instanceof ChildWorkflowFailure && err.cause instanceof ApplicationFailure) {
      return outcomeOf(err.cause.details?.[0] as RunStatusView | undefined, 'failed', err.cause.message);
    }
    const message = err instanceof ChildWorkflowFailure && err.cause ? err.cause.message : String(err);
    return outcomeOf(undefined, 'failed', message);
  }
}
