// Inputs and outputs of componentWorkflow's activities (plain JSON; no secrets).
import type { ComponentPlan, ResolvedOutput, TaskResults } from '../component/plan-types.js';
import type { AgentName } from '../component/schema.js';
import type { OutputCheck } from './run-types.js';

/** What every sandbox activity needs to know about the run. */
export interface RunRef {
  runId: string;
  runDir: string;
  repo: string;
  branch: string;
  modelUrl?: string;
  contextPaths: string[];
  /** Agent tasks get the worker's GitHub token (the user's opt-in; off by default). */
  agentGithubToken?: boolean;
}

/** What createSandbox is asked for. */
export interface SandboxRequest {
  runId: string;
  component: string;
  repo: string;
  branch: string;
  image: string;
  memory: string;
  /** Model endpoint override ('' for none); a loopback URL needs host networking to be reachable. */
  modelUrl: string;
  /** Increments when a sandbox is recreated, so each attempt gets its own folder and container. */
  generation: number;
}

export interface SandboxHandle {
  sandboxId: string;
  containerId: string;
  containerName: string;
  branchCreated: boolean;
  head: string;
  /** Task queue of the worker that owns this Docker host; later sandbox activities go there. */
  hostTaskQueue: string;
}

export interface PrepareTaskInput {
  run: RunRef;
  /** The plan, with the texts it needs (only this activity renders tasks). */
  plan: ComponentPlan;
  sandbox: SandboxHandle;
  slotId: string;
  results: TaskResults;
  /** This task's dollar limit after the run budget (undefined = none). */
  budgetUsd?: number;
}

export interface PreparedTask {
  slotId: string;
  name: string;
  kind: 'agent' | 'run';
  commit: boolean;
  push: boolean;
  pauseAfter: boolean;
  agent: AgentName;
  model: string;
  maxTurns: number;
  timeoutMinutes: number;
  budgetUsd?: number;
  outputs: ResolvedOutput[];
  /** Worker credentials the task's script receives in its environment (never in history). */
  credentials?: 'github'[];
}

export interface RunAgentInput {
  run: RunRef;
  sandbox: SandboxHandle;
  task: PreparedTask;
  /** Resume this agent session with `prompt` (output correction) instead of the task prompt. */
  resume?: { sessionId: string; prompt: string };
}

export interface CheckOutputsInput {
  run: RunRef;
  sandbox: SandboxHandle;
  task: PreparedTask;
  /** Save outputs to the run folder (false when reading outputs of pre-existing tasks). */
  save: boolean;
}

/** A workspace path the component promises (component.yaml `deliverables`). */
export interface Deliverable {
  path: string;
  required: boolean;
}

export interface CheckDeliverablesInput {
  sandbox: SandboxHandle;
  deliverables: Deliverable[];
}

export interface CommitTaskInput {
  run: RunRef;
  sandbox: SandboxHandle;
  task: PreparedTask;
  message: string;
  /** Workspace-relative paths of saved outputs, force-added. */
  forceAdd: string[];
}

/** finishTask: check the outputs and, when they are fine and the task commits, commit and push. */
export interface FinishTaskInput extends CheckOutputsInput {
  /** Commit message, used only when the check passes and the task commits. */
  message: string;
  /**
   * The run's last use of the container: once the outputs pass, remove it while git commits and
   * pushes (host-side), instead of after. The sandbox folder stays for the run's clean-up.
   */
  releaseContainer?: boolean;
}

export interface FinishTaskResult {
  check: OutputCheck;
  /** Set when the task's work was committed (and pushed, when the task pushes) in the same call. */
  commit?: { committed: boolean; head: string };
}

export interface DeliverAnswersInput {
  run: RunRef;
  sandbox: SandboxHandle;
  /** Slot id of the task that paused, and its name (for the saved outputs' records). */
  taskId: string;
  taskName: string;
  /** Workspace paths of that task's outputs: the JSON ones holding `questions` get the answers. */
  outputs: string[];
  /** Every answer, defaults filled in (DKMV's qa menu answer `action` included). */
  answers: Record<string, string>;
  /** What the decision does (continue, skip_remaining, abort); for the record. */
  action: string;
}
