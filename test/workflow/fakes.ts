// Stubbed activities for componentWorkflow tests: the same names and signatures as
// activities/index.ts, no Docker, no git, no agent. Behaviour is scripted per workflow id (so one
// worker serves every test of a file) and every call is recorded for assertions.
import { mergeAnswers, outputStem } from '../../core/engine/answers.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ComponentRef } from '../../core/component/index.js';
import { planComponent, renderTask } from '../../core/component/index.js';
import type { ComponentPlan } from '../../core/component/index.js';
import type {
  CheckDeliverablesInput,
  CheckOutputsInput,
  DeliverAnswersInput,
  CommitTaskInput,
  FinishTaskInput,
  FinishTaskResult,
  PreparedTask,
  PrepareTaskInput,
  RunAgentInput,
  SandboxHandle,
} from '../../core/engine/activity-types.js';
import { toPrepared } from '../../core/engine/prepared-task.js';
import type {
  ComponentRunInput,
  DeliverablesReport,
  OutputCheck,
  Question,
  RunStatusView,
  TaskRunResult,
} from '../../core/engine/run-types.js';
import type { SandboxRequest } from '../../activities/engine/sandbox-activities.js';
import { hostTaskQueue } from '../../activities/sandbox/sandbox.js';

/** What one task does when its agent (or script) runs. */
export interface TaskScript {
  status?: TaskRunResult['status'];
  error?: string;
  costUsd?: number;
  turns?: number;
  /** runAgentTask throws SandboxLost this many times before it succeeds. */
  sandboxLost?: number;
  /** checkOutputs reports a missing output until the agent session was resumed once. */
  outputsMissingUntilResumed?: boolean;
  /** checkOutputs reports a missing output every time. */
  outputsAlwaysMissing?: boolean;
  /** Questions returned by checkOutputs (asked at a pause point). */
  questions?: Question[];
  /** Output contents by stem. */
  outputs?: Record<string, unknown>;
}

export interface Call {
  name: string;
  /** Task slot id, when the activity is about one task. */
  slot?: string;
  /** A deep copy of the arguments. */
  args: unknown[];
}

/** What the run's hosts do. */
export interface HostScript {
  /** The first sandbox lands on a host whose worker is gone: nothing polls its queue. */
  firstHostDead?: boolean;
  /** Deliverables checkDeliverables finds in the workspace (all others are missing). */
  deliverablesPresent?: string[];
}

export class FakeRun {
  readonly calls: Call[] = [];
  readonly resumed = new Set<string>();
  /** Lifecycle events handed to writeRunRecord, in order, with the run status of that write. */
  readonly lifecycle: { type: string; status: string; seq: number; final: boolean }[] = [];
  private readonly lost = new Map<string, number>();

  constructor(
    readonly tasks: Record<string, TaskScript> = {},
    readonly hosts: HostScript = {},
  ) {}

  record(name: string, args: unknown[], slot?: string): void {
    this.calls.push({ name, args: JSON.parse(JSON.stringify(args)) as unknown[], ...(slot ? { slot } : {}) });
  }

  /** `name` or `name:slot` of every call, in order. */
  trace(): string[] {
    return this.calls.map((c) => (c.slot ? `${c.name}:${c.slot}` : c.name));
  }

  callsOf(name: string, slot?: string): Call[] {
    return this.calls.filter((c) => c.name === name && (slot === undefined || c.slot === slot));
  }

  script(slot: string): TaskScript {
    return this.tasks[slot] ?? {};
  }

  takeSandboxLoss(slot: string): boolean {
    const used = this.lost.get(slot) ?? 0;
    if (used >= (this.script(slot).sandboxLost ?? 0)) return false;
    this.lost.set(slot, used + 1);
    return true;
  }
}

const runs = new Map<string, FakeRun>();

/** Registers the scripted behaviour of the run with this workflow id. */
export function fakeRun(workflowId: string, tasks: Record<string, TaskScript> = {}, hosts: HostScript = {}): FakeRun {
  const run = new FakeRun(tasks, hosts);
  runs.set(workflowId, run);
  return run;
}

function current(): FakeRun {
  const id = Context.current().info.workflowExecution?.workflowId ?? '';
  const run = runs.get(id);
  if (!run) throw ApplicationFailure.nonRetryable(`no fake run registered for ${id}`, 'TestSetup');
  return run;
}

/** Rendered prompts by slot id (what the agent would have been asked). */
export const renderedPrompts = new Map<string, string>();

export const fakeActivities = {
  async ping(message: string): Promise<string> {
    return `pong: ${message} (from fake)`;
  },

  async createSandbox(request: SandboxRequest): Promise<SandboxHandle> {
    const run = current();
    run.record('createSandbox', [request]);
    const dead = run.hosts.firstHostDead === true && request.generation === 0;
    const sandboxId = request.generation === 0 ? request.runId : `${request.runId}-g${request.generation}`;
    return {
      sandboxId,
      containerId: `cid-${sandboxId}`,
      containerName: `dkmv-${sandboxId}`,
      branchCreated: true,
      head: '0000000',
      hostTaskQueue: dead
        ? `${Context.current().info.taskQueue}@dead-host`
        : hostTaskQueue(Context.current().info.taskQueue),
    };
  },

  async destroySandbox(handle: SandboxHandle, keep: boolean): Promise<void> {
    current().record('destroySandbox', [handle, keep]);
  },

  /** Renders the task for real (templates see earlier results) and applies prepareTask's budget rule. */
  async prepareTask(input: PrepareTaskInput): Promise<PreparedTask> {
    const run = current();
    run.record('prepareTask', [input], input.slotId);
    const task = renderTask(input.plan, input.slotId, input.results);
    if (task.prompt !== undefined) renderedPrompts.set(`${input.run.runId}/${input.slotId}`, task.prompt);
    return toPrepared(task, input.budgetUsd);
  },

  async runAgentTask(input: RunAgentInput): Promise<TaskRunResult> {
    const run = current();
    const slot = input.task.slotId;
    run.record('runAgentTask', [input], slot);
    if (run.takeSandboxLoss(slot)) {
      throw ApplicationFailure.nonRetryable(`container ${input.sandbox.containerName} is gone`, 'SandboxLost');
    }
    if (input.resume) run.resumed.add(slot);
    return result(run.script(slot), `sess-${slot}`);
  },

  async runScriptTask(input: RunAgentInput): Promise<TaskRunResult> {
    const run = current();
    run.record('runScriptTask', [input], input.task.slotId);
    const { costUsd: _cost, turns: _turns, ...script } = run.script(input.task.slotId);
    return result(script);
  },

  async checkOutputs(input: CheckOutputsInput): Promise<OutputCheck> {
    const run = current();
    const slot = input.task.slotId;
    run.record('checkOutputs', [input], slot);
    const script = run.script(slot);
    const missing =
      script.outputsAlwaysMissing === true || (script.outputsMissingUntilResumed === true && !run.resumed.has(slot));
    if (missing) {
      return { ok: false, problems: ['.agent/out.json is missing'], outputs: {}, questions: [], saved: [] };
    }
    return {
      ok: true,
      problems: [],
      outputs: script.outputs ?? {},
      questions: script.questions ?? [],
      saved: input.save ? input.task.outputs.filter((o) => o.save).map((o) => o.workspace_path) : [],
    };
  },

  async checkDeliverables(input: CheckDeliverablesInput): Promise<DeliverablesReport> {
    const run = current();
    run.record('checkDeliverables', [input]);
    const present = new Set(run.hosts.deliverablesPresent ?? []);
    return {
      present: input.deliverables.filter((d) => present.has(d.path)).map((d) => d.path),
      missing: input.deliverables.filter((d) => !present.has(d.path)),
    };
  },

  async commitTask(input: CommitTaskInput): Promise<{ committed: boolean; head: string }> {
    current().record('commitTask', [input], input.task.slotId);
    return { committed: true, head: '1111111' };
  },

  /** Both steps in one activity, traced as the two steps it does (the real one calls both). */
  async finishTask(input: FinishTaskInput): Promise<FinishTaskResult> {
    const check = await fakeActivities.checkOutputs(input);
    if (!check.ok || !input.task.commit) return { check };
    const { run, sandbox, task, message } = input;
    if (input.releaseContainer) current().record('releaseContainer', [], task.slotId);
    return { check, commit: await fakeActivities.commitTask({ run, sandbox, task, message, forceAdd: check.saved }) };
  },

  async writeRunRecord(input: {
    runDir: string;
    view: RunStatusView;
    final: boolean;
    events?: { type: string; seq: number }[];
  }): Promise<void> {
    const run = current();
    run.record('writeRunRecord', [{ final: input.final, status: input.view.status }]);
    for (const e of input.events ?? [])
      run.lifecycle.push({ type: e.type, status: input.view.status, seq: e.seq, final: input.final });
  },

  /** As the real one: the JSON outputs holding answered `questions` are the merged ones. */
  async deliverAnswers(input: DeliverAnswersInput): Promise<{ merged: string[] }> {
    const run = current();
    run.record('deliverAnswers', [input], input.taskId);
    const values = run.script(input.taskId).outputs ?? {};
    const merged = input.outputs.filter(
      (p) => p.endsWith('.json') && mergeAnswers(values[outputStem(p)], input.answers) !== undefined,
    );
    return { merged };
  },
};

function result(script: TaskScript, sessionId?: string): TaskRunResult {
  const status = script.status ?? 'completed';
  return {
    status,
    turns: script.turns ?? 1,
    costUsd: script.costUsd ?? 0,
    durationMs: 5,
    ...(sessionId ? { sessionId } : {}),
    ...(status !== 'completed' ? { error: script.error ?? `agent ${status}` } : {}),
  };
}

/** Writes `files` (relative path → content) into a component folder under `root`. */
export function writeComponent(root: string, name: string, files: Record<string, string>): ComponentRef {
  const dir = path.join(root, name);
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return { name, dir, source: 'path' };
}

/** Plans a fixture component the way `dkmv run` does (loader, real templates). */
export function planFixture(root: string, name: string, files: Record<string, string>, runId: string): ComponentPlan {
  return planComponent(writeComponent(root, name, files), {
    context: { repo: '/tmp/repo.git', branch: 'feature/x', feature_name: 'x', run_id: runId, vars: {} },
    defaults: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 10, timeout_minutes: 5 },
    projectRoot: root,
  });
}

export function runInput(plan: ComponentPlan, extra: Partial<ComponentRunInput> = {}): ComponentRunInput {
  return {
    runId: plan.context.run_id,
    plan,
    repo: '/tmp/repo.git',
    branch: 'feature/x',
    image: 'dkmv-sandbox:latest',
    memory: '2g',
    runDir: `/tmp/dkmv-fake-runs/${plan.context.run_id}`,
    contextPaths: [],
    auto: false,
    keepAlive: false,
    ...extra,
  };
}
