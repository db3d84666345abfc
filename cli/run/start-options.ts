// What both start paths (a component run and a harness build) share: the sandbox fields of the
// run input taken from the resolved configuration, and the options the workflow starts with
// (workflow id = run id, the worker's task queue, the search attributes a run starts with).
import path from 'node:path';
import type { SearchAttributePair } from '@temporalio/common';
import type { ResolvedConfig } from '../../core/config/index.js';
import {
  DkmvBranch,
  DkmvComponent,
  DkmvRepo,
  DkmvRunKind,
  DkmvStatus,
  type RunKind,
} from '../../core/temporal/search-attributes.js';

/** Image, memory, model URL and run folder of a run's input, as the configuration resolves them. */
export function sandboxFields(
  values: ResolvedConfig['values'],
  runId: string,
): { image: string; memory: string; modelUrl?: string; runDir: string } {
  return {
    image: values.image,
    memory: values.memory,
    ...(values.model_url ? { modelUrl: values.model_url } : {}),
    runDir: path.join(values.runs_dir, runId),
  };
}

/** Workflow id, task queue, the input as the one argument, and the starting search attributes. */
export function startOptions<Input extends { runId: string; branch: string; repo: string }>(
  input: Input,
  taskQueue: string,
  component: string,
  /** The run kind to list the run by from its start (a component workflow sets its own). */
  runKind?: RunKind,
): { workflowId: string; taskQueue: string; args: [Input]; typedSearchAttributes: SearchAttributePair[] } {
  return {
    workflowId: input.runId,
    taskQueue,
    args: [input],
    typedSearchAttributes: [
      ...(runKind ? [{ key: DkmvRunKind, value: runKind }] : []),
      { key: DkmvComponent, value: component },
      { key: DkmvBranch, value: input.branch },
      { key: DkmvRepo, value: input.repo },
      { key: DkmvStatus, value: 'running' },
    ],
  };
}
