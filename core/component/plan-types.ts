// The component plan as it travels: workflow input and the render activity's input. Plain JSON, no
// `fs`/`path`, so workflow code may import it. Internal fields are camelCase; fields that templates
// see (context variables, task results) keep DKMV's snake_case.
import { UserError } from '../errors.js';
import type { RunStatus, TaskStatus } from '../runs/status.js';
import type { ResolvedParams } from './params.js';
import type { ComponentRef } from './resolve.js';
import type { ExecutionParams, TaskDefinition, TaskInput, TaskOutput } from './schema.js';

export type { RunStatus, TaskStatus };

/** Template variables known before the run starts (templates see these names). */
export interface PlanContext {
  repo: string;
  branch: string;
  feature_name: string;
  component: string;
  /** The run-level model (CLI > component.yaml > config); tasks may still override theirs. */
  model: string;
  run_id: string;
  /** Every --var, as given. */
  vars: Record<string, string>;
}

/** One file of the plan's bundle: its text is stored once, under its sha256. */
export interface BundledFile {
  /** Workspace-relative destination (file inputs, --context) or bundle-relative name. */
  path: string;
  sha256: string;
  /** The blob is base64 (a binary file input). */
  binary?: boolean;
}

/**
 * The texts a worker needs to render and prepare tasks, taken when the run is planned, so a worker
 * on another machine (or with another working directory) never reads the starting machine's disk.
 * Content-addressed: `blobs` holds each distinct text once.
 */
export interface PlanBundle {
  /** sha256 → text. */
  blobs: Record<string, string>;
  /** Files of the component folder by component-relative path (task files, prompts, ...). */
  component: Record<string, string>;
  /** Project files read by `*_file` fallbacks and file inputs, by the path the plan resolved. */
  sources: Record<string, BundledFile[]>;
  /** `--context` files as they land under `.agent/context/` (binary files are left out). */
  context: BundledFile[];
  /** `--context` files not bundled because they are binary. */
  skippedBinary: string[];
}

/** A file input's `src` and relative `dest` values resolved to workspace-relative paths. */
export type ResolvedInput = TaskInput & {
  /** Workspace-relative destination (e.g. `.agent/checklist.md`); for file and text inputs. */
  destPath?: string;
  /** For file inputs: the key of `src` in the bundle's sources (a project-relative or absolute path). */
  srcPath?: string;
};

/**
 * An output with its workspace path and stem. Its fields stay snake_case: it rides in PreparedTask
 * through workflow history to the output activities, and runs in flight must keep reading it.
 */
export type ResolvedOutput = TaskOutput & {
  /** Workspace-relative path, e.g. `.agent/scan_results.json`. */
  workspace_path: string;
  /** File name without extension: the key in `tasks.<name>.outputs.<stem>`. */
  stem: string;
};

/** One task to run, as the plan lists it (all `pending` up front). */
export interface TaskSlot {
  /** Unique within the plan; results of this slot are exposed to later tasks as `tasks.<id>`. */
  id: string;
  /** 0-based position in the plan. */
  index: number;
  /** Task name (the file's `name:`; `id` adds `-<n>` when for_each repeats a name). */
  name: string;
  description?: string;
  /** Task file, relative to the component folder. */
  file: string;
  /** `run:` tasks execute a script with no agent. */
  kind: 'agent' | 'run';
  pauseAfter: boolean;
  /** Set for slots expanded from for_each. */
  item?: unknown;
  itemIndex?: number;
  /** Execution parameters from the component.yaml task entry. */
  overrides: ExecutionParams;
  /** True when the task file reads `tasks.*` and could only be fully checked at render time. */
  deferred: boolean;
}

/** A file DKMV's `state_files` writes into the workspace before the first task. */
export interface StateFile {
  /** Workspace-relative path. */
  dest: string;
  content: string;
}

/** Everything the workflow needs to run a component; plain JSON, safe as workflow input. */
export interface ComponentPlan {
  version: 2;
  component: ComponentRef & { description?: string };
  /** Project root on the machine that planned the run (only for messages and old plans). */
  projectRoot: string;
  context: PlanContext;
  /** Settings from component.yaml (rendered), or empty when there is none. */
  manifest: {
    name: string;
    description?: string;
    params: ExecutionParams;
    /** Inputs every task receives (component.yaml `inputs`). */
    inputs: ResolvedInput[];
    /** Text of `agent_md` (rendered) or `agent_md_file` (verbatim, as DKMV reads it). */
    agentMd?: string;
    /** Folders created in the workspace before the first task. */
    workspaceDirs: string[];
    stateFiles: StateFile[];
    /** Workspace paths the component promises; checked and reported when the run ends. */
    deliverables: { path: string; required: boolean }[];
  };
  /** Lower precedence levels, kept so renderTask can resolve each task's parameters. */
  layers: { cli: ExecutionParams; config: ExecutionParams; default: ExecutionParams };
  /** Run-level parameters (CLI > component.yaml > config), e.g. for the run budget. */
  params: ResolvedParams;
  tasks: TaskSlot[];
  /** Problems worth a warning that do not stop the run (e.g. a missing agent_md_file). */
  warnings: string[];
  /** The texts the plan needs; absent in plans made before bundles (read from disk then). */
  bundle?: PlanBundle;
}

/** Results of earlier tasks, keyed by slot id, as templates see them (`tasks.<id>.status`, ...). */
export interface TaskResultView {
  status: TaskStatus;
  cost: number;
  turns: number;
  /** Output contents by stem: parsed JSON for .json outputs, text otherwise. */
  outputs: Record<string, unknown>;
  /** Anything else the engine exposes (e.g. `answers` from a pause point). */
  [extra: string]: unknown;
}
export type TaskResults = Record<string, TaskResultView>;

/** A file input's files, as found in the bundle: destination (workspace-relative) and text. */
export interface InputFile {
  path: string;
  content: string;
  /** `content` is base64. */
  binary?: boolean;
}

/** A task ready to run. */
export interface RenderedTask {
  slotId: string;
  /** Name as rendered from the task file. */
  name: string;
  description?: string;
  file: string;
  kind: 'agent' | 'run';
  /** Prompt text (from `prompt` or `prompt_file`); undefined for `run:` tasks. */
  prompt?: string;
  /** Shell script of a `run:` task. */
  run?: string;
  /** Task instructions (from `instructions` or `instructions_file`). */
  instructions?: string;
  /** Component-level agent instructions (component.yaml `agent_md`), layered under `instructions`. */
  agentMd?: string;
  commit: boolean;
  push: boolean;
  pauseAfter: boolean;
  /** Component inputs first, then the task's own; optional inputs with no source are left out. */
  inputs: (ResolvedInput & { files?: InputFile[] })[];
  outputs: ResolvedOutput[];
  params: ResolvedParams;
  /** The validated task file as written (after rendering). */
  definition: TaskDefinition;
}

/** Plans made before version 2 used snake_case slot fields; runs in flight still carry them. */
type LegacySlot = TaskSlot & { pause_after?: boolean };

/** Whether the run pauses after a slot (reads plans of either version). */
export function slotPausesAfter(slot: TaskSlot): boolean {
  return slot.pauseAfter ?? (slot as LegacySlot).pause_after ?? false;
}

const stemOf = (file: string): string => (file.split('/').pop() ?? file).replace(/\.ya?ml$/i, '');

/**
 * Finds a slot by id, task name, task file (with or without `.yaml`), or 1-based position, as
 * `--start-task` accepts. Pure: the CLI checks the flag with it and the workflow resolves it with it.
 */
export function findSlot(plan: Pick<ComponentPlan, 'tasks' | 'component'>, ref: string | number): TaskSlot {
  const byIndex = typeof ref === 'number' ? ref : /^\d+$/.test(ref) ? Number(ref) : undefined;
  const key = String(ref);
  const slot =
    byIndex !== undefined
      ? plan.tasks[byIndex - 1]
      : (plan.tasks.find((t) => t.id === key) ??
        plan.tasks.find((t) => t.name === key) ??
        plan.tasks.find((t) => t.file === key || stemOf(t.file) === key));
  if (!slot) {
    throw new UserError(`no task "${key}" in component ${plan.component.name}`, {
      hint: `use a task name, a task file or a position from 1 to ${plan.tasks.length}: ${plan.tasks.map((t) => t.id).join(', ')}`,
    });
  }
  return slot;
}

/** A plan as componentWorkflow received it before version 2 (runs in flight may still carry one). */
interface PlanV1 {
  version: 1;
  manifest: Omit<ComponentPlan['manifest'], 'agentMd' | 'workspaceDirs' | 'stateFiles' | 'deliverables'> & {
    agent_md?: string;
    workspace_dirs?: string[];
    state_files?: string[];
  };
  tasks: (Omit<TaskSlot, 'pauseAfter' | 'itemIndex'> & { pause_after?: boolean; item_index?: number })[];
}

/** The current shape of any plan (version 1 plans are converted; the bundle stays absent). */
export function upgradePlan(
  plan: ComponentPlan | (Omit<ComponentPlan, 'version' | 'manifest' | 'tasks'> & PlanV1),
): ComponentPlan {
  if (plan.version === 2) return plan;
  const { agent_md: agentMd, workspace_dirs: dirs, state_files: _files, ...manifest } = plan.manifest;
  return {
    ...plan,
    version: 2,
    warnings: [],
    manifest: {
      ...manifest,
      ...(agentMd !== undefined ? { agentMd } : {}),
      workspaceDirs: dirs ?? [],
      stateFiles: [],
      deliverables: [],
    },
    tasks: plan.tasks.map(({ pause_after: pauseAfter, item_index: itemIndex, ...slot }) => ({
      ...slot,
      pauseAfter: pauseAfter ?? false,
      ...(itemIndex !== undefined ? { itemIndex } : {}),
    })),
  };
}
