// Drives a `dkmv test` run to its end: prints each task's status as it changes and answers every
// pause point by itself (the question's default, else its first option, unless --answer says).
import type { Client } from '@temporalio/client';
import type { Decision, DecisionAction, Question, RunStatusView } from '../../core/engine/run-types.js';
import { UserError } from '../../core/errors.js';
import { parsePairs } from '../run/run-options.js';
import { sendDecision } from '../run/decide.js';
import { observeRun } from '../run/observe.js';

export interface DriveOptions {
  /** `--answer id=value`: answers by question id, used at whichever pause asks that id. */
  answers: Record<string, string>;
  /** What to do at each pause point (default continue). */
  action: DecisionAction;
  log: (line: string) => void;
  pollMs?: number;
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** The task queue the run waits on: while no worker polls it, say so now and then. */
  taskQueue?: string;
  /** Give up after no worker polled the queue for this long (ms; default DKMV_TEST_WORKER_WAIT s, 300). */
  noWorkerTimeoutMs?: number;
  /** How often to repeat the no-worker warning (ms). */
  noWorkerWarnMs?: number;
}

/** DKMV_TEST_WORKER_WAIT (seconds) or 300: how long `dkmv test` waits for a worker to appear. */
export function noWorkerTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DKMV_TEST_WORKER_WAIT;
  if (raw === undefined || raw === '') return 300_000;
  if (!/^\d+$/.test(raw))
    throw new UserError(`DKMV_TEST_WORKER_WAIT=${raw}: expected a number of seconds`, {
      hint: 'e.g. DKMV_TEST_WORKER_WAIT=120',
    });
  return Number(raw) * 1000;
}

/** Workers seen polling the queue in the last minute (the server forgets older ones). */
async function pollerCount(client: Client, taskQueue: string): Promise<number> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
  });
  const cutoff = Date.now() - 60_000;
  return (res.pollers ?? []).filter((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 >= cutoff).length;
}

/**
 * Watches for a worker on the run's queue: warns every `warnMs` while there is none, and throws
 * (after terminating the run: with no worker, a cancel would never be processed) once none was
 * seen for `timeoutMs`.
 */
class WorkerWatch {
  private noneSince: number | undefined;
  private lastCheck = 0;
  private lastWarn = Date.now(); // the CLI warned once when it connected

  constructor(
    private readonly client: Client,
    private readonly runId: string,
    private readonly taskQueue: string,
    private readonly timeoutMs: number,
    private readonly warnMs: number,
    private readonly log: (line: string) => void,
  ) {}

  async check(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCheck < 5000) return;
    this.lastCheck = now;
    const count = await pollerCount(this.client, this.taskQueue).catch(() => 1); // unknown: assume one
    if (count > 0) {
      if (this.noneSince !== undefined) this.log(`  a worker polls task queue '${this.taskQueue}' again`);
      this.noneSince = undefined;
      return;
    }
    this.noneSince ??= now;
    const waited = Math.round((now - this.noneSince) / 1000);
    if (now - this.noneSince >= this.timeoutMs) {
      await this.client.workflow
        .getHandle(this.runId)
        .terminate(`dkmv test: no worker polled task queue '${this.taskQueue}' for ${waited}s`)
        .catch(() => undefined);
      throw new UserError(
        `dkmv test: no worker polled task queue '${this.taskQueue}' for ${waited}s; the run ${this.runId} was stopped`,
        {
          hint: `start a worker (\`dkmv up\` or \`dkmv worker\`; DKMV_TASK_QUEUE must match) and run the test again; wait longer with DKMV_TEST_WORKER_WAIT=<seconds>; remove a leftover container with \`dkmv clean --run ${this.runId}\``,
          exitCode: 1,
        },
      );
    }
    if (now - this.lastWarn >= this.warnMs) {
      this.lastWarn = now;
      this.log(
        `  warning: no worker polls task queue '${this.taskQueue}' (waiting ${waited}s of ${Math.round(this.timeoutMs / 1000)}s); start one with \`dkmv up\` or \`dkmv worker\``,
      );
    }
  }
}

export interface DriveResult {
  view: RunStatusView | undefined;
  temporalStatus: string;
  /** Each pause point and what was answered. */
  decisions: { taskId: string; decision: Decision }[];
  /** `--answer` ids no pause point asked for. */
  unusedAnswers: string[];
}

/** Parses repeatable `--answer id=value` flags (the question ids are in the task output that pauses). */
export function parseAnswers(pairs: string[]): Record<string, string> {
  return parsePairs('--answer', pairs, 'ID=VALUE', 'next=ship');
}

/** The answers sent for one pause point. An --answer that is not a valid option is a user error. */
export function answersFor(questions: Question[], given: Record<string, string>): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const q of questions) {
    const value = given[q.id] ?? q.default ?? q.options?.[0] ?? '';
    if (q.options?.length && !q.options.includes(value)) {
      throw new UserError(`--answer ${q.id}=${value}: not one of the options (${q.options.join(', ')})`, {
        hint: `the question was: ${q.question}`,
      });
    }
    answers[q.id] = value;
  }
  return answers;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function driveRun(client: Client, runId: string, options: DriveOptions): Promise<DriveResult> {
  const seen = new Map<string, string>();
  const used = new Set<string>();
  const decisions: DriveResult['decisions'] = [];
  const deadline = Date.now() + (options.timeoutMs ?? 60 * 60_000);
  const workers = options.taskQueue
    ? new WorkerWatch(
        client,
        runId,
        options.taskQueue,
        options.noWorkerTimeoutMs ?? noWorkerTimeoutMs(),
        options.noWorkerWarnMs ?? 30_000,
        options.log,
      )
    : undefined;
  for (;;) {
    await workers?.check();
    const obs = await observeRun(client, runId);
    const view = obs.view;
    for (const task of view?.tasks ?? []) {
      if (seen.get(task.id) === task.status) continue;
      seen.set(task.id, task.status);
      if (task.status === 'pending') continue;
      const detail =
        task.status === 'running'
          ? ''
          : `  turns ${task.turns}  $${task.costUsd.toFixed(4)}${task.error ? `  ${task.error.split('\n')[0]}` : ''}`;
      options.log(`  ${task.status.padEnd(12)} ${task.id}${detail}`);
    }
    if (obs.temporalStatus !== 'RUNNING') {
      return {
        view,
        temporalStatus: obs.temporalStatus,
        decisions,
        unusedAnswers: Object.keys(options.answers).filter((id) => !used.has(id)),
      };
    }
    if (view?.status === 'awaiting_input' && view.pending) {
      const { taskId, questions } = view.pending;
      let answers: Record<string, string>;
      try {
        answers = answersFor(questions, options.answers);
      } catch (err) {
        // Do not leave the run paused with its container: cancel it, then report the answer.
        await client.workflow
          .getHandle(runId)
          .cancel()
          .catch(() => undefined);
        throw err;
      }
      for (const q of questions) if (q.id in options.answers) used.add(q.id);
      const decision: Decision = { action: options.action, answers };
      options.log(`  paused after ${taskId}: ${questions.length} question(s)`);
      for (const q of questions) {
        const source = q.id in options.answers ? '--answer' : q.default !== undefined ? 'default' : 'first option';
        options.log(`    [${q.id}] ${q.question}\n      → ${JSON.stringify(answers[q.id])} (${source})`);
      }
      options.log(`    → ${options.action}`);
      await sendDecision(client, runId, decision);
      decisions.push({ taskId, decision });
      continue;
    }
    if (Date.now() > deadline) {
      await client.workflow
        .getHandle(runId)
        .cancel()
        .catch(() => undefined); // do not leave the run (and its container) behind
      throw new UserError(`dkmv test: run ${runId} did not finish in time`, {
        hint: `inspect it with \`dkmv show ${runId}\`; model scripts for tests should have no long delays`,
        exitCode: 1,
      });
    }
    await sleep(options.pollMs ?? 500);
  }
}
