// Shapes shared by componentWorkflow, its activities and the CLI. Plain JSON only: these travel
// through workflow history, so they carry small results and references, never logs or secrets.
import type { ComponentPlan, RenderedTask } from '../component/plan-types.js';
import type { RunStatus, TaskStatus } from '../runs/status.js';
import type { RunLedger } from '../ledger/accounting.js';
import type { NotifyRecord, NotifyTargets } from '../notify/types.js';

export type { RunStatus, TaskStatus };

/** How long a host-pinned activity may wait for its host's worker by default: five minutes. */
export const DEFAULT_HOST_START_TIMEOUT_SECONDS = 300;
/**
 * How long an agent activity may go without a heartbeat before Temporal hands it to another worker:
 * after a worker dies, agent output flows again about this long later (the agent keeps running).
 */
export const DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 30;

/** What the CLI passes to componentWorkflow. */
export interface ComponentRunInput {
  runId: string;
  plan: ComponentPlan;
  repo: string;
  branch: string;
  image: string;
  memory: string;
  /** Model endpoint override (a gateway or a mock model); not a secret. */
  modelUrl?: string;
  /** Absolute run folder (`.dkmv/runs/<run_id>`) on the machine that started the run. */
  runDir: string;
  /** Host paths copied into `.agent/context/`. */
  contextPaths: string[];
  /** Skip pause points. */
  auto: boolean;
  /** Slot id or 1-based index to start at; earlier tasks are `pre-existing`. */
  startTask?: string;
  keepAlive: boolean;
  /** Run-wide dollar cap (also bounds each task). */
  maxBudgetUsd?: number;
  /** The project's daily ceiling: the run asks the budget ledger for a grant before it spends. */
  ledger?: RunLedger;
  /** Activity heartbeat timeout (seconds): how soon a dead worker's agent run is picked up again. */
  heartbeatTimeoutSeconds?: number;
  /**
   * How long an activity routed to the sandbox's host may wait for that host's worker (seconds,
   * default 300). Past it the host counts as lost: a new sandbox is made on any worker.
   */
  hostStartTimeoutSeconds?: number;
  /**
   * The user allowed agent tasks the worker's GitHub token (`--agent-github-token` or
   * DKMV_AGENT_GITHUB_TOKEN=1). Only the permission travels here; the token stays on the worker.
   */
  agentGithubToken?: boolean;
  /** Webhooks told when the run pauses for a decision or ends (`notify`, DKMV_NOTIFY_URL, --notify). */
  notify?: NotifyTargets;
}

export interface Question {
  id: string;
  question: string;
  options?: string[];
  default?: string;
}

export type DecisionAction = 'continue' | 'skip_remaining' | 'abort';

/**
 * Payload of the `decide` signal (and update). `action` may be left out in DKMV's pause-response
 * shape `{answers, skip_remaining}`; `answers.action = fix | ship | abort` is DKMV's qa menu.
 */
export interface Decision {
  action?: DecisionAction;
  answers?: Record<string, string>;
  skip_remaining?: boolean;
}

export interface TaskState {
  id: string;
  name: string;
  status: TaskStatus;
  costUsd: number;
  turns: number;
  error?: string;
  sessionId?: string;
  startedAt?: string;
  endedAt?: string;
  /** Saved output file names (contents live in the run folder). */
  savedOutputs?: string[];
  answers?: Record<string, string>;
  /** The task's `description:` (for DKMV's records). */
  description?: string;
}

/** Answer of the `status` query. */
export interface RunStatusView {
  runId: string;
  component: string;
  repo: string;
  branch: string;
  status: RunStatus;
  costUsd: number;
  maxBudgetUsd?: number;
  startedAt: string;
  endedAt?: string;
  tasks: TaskState[];
  /** What runs now: task id and phase (preparing, agent, script, outputs, commit, paused). */
  current?: { taskId: string; phase: string };
  pending?: { taskId: string; questions: Question[] };
  lastDecisionError?: string;
  error?: string;
  containerName?: string;
  /** Template context of the run, for DKMV's records (`feature_name`, `model`). */
  featureName?: string;
  model?: string;
  /** The component's deliverables as found at the end of the run (absent when it has none). */
  deliverables?: DeliverablesReport;
  /** How each webhook notification went (runs with notify targets only). */
  notifications?: NotifyRecord[];
}

/** Which of a component's deliverables exist in the workspace when its last task is done. */
export interface DeliverablesReport {
  present: string[];
  missing: { path: string; required: boolean }[];
}

/** Result of one task's agent (or script) run, as the activity returns it. */
export interface TaskRunResult {
  status: 'completed' | 'failed' | 'timed_out';
  turns: number;
  costUsd: number;
  sessionId?: string;
  error?: string;
  durationMs: number;
}

/** Result of output validation for a task. */
export interface OutputCheck {
  ok: boolean;
  /** What is missing or malformed, one line each. */
  problems: string[];
  /** Output contents by stem (parsed JSON or text, truncated), for templates of later tasks. */
  outputs: Record<string, unknown>;
  questions: Question[];
  saved: string[];
}

export type { ComponentPlan, RenderedTask };
