// Live progress of a followed run: a spinner with in-place updates in a TTY, plain timestamped
// lines (only when something changed) otherwise, or JSON lines on stdout (`--json`, for scripts).
// Turns and cost of the running task come live from its activity's heartbeats.
import { failureHint } from './workflow-task-failure.js';
import { stripVTControlCharacters } from 'node:util';
import type { Ora } from 'ora';
import pc from 'picocolors';
import type { RunObservation } from './observe.js';

export interface ProgressRenderer {
  update(obs: RunObservation): void;
  /** Prints a line above the spinner (or plainly). */
  line(text: string): void;
  stop(): void;
}

/** Where a run is, as numbers: what the progress line and the `--json` progress events show. */
export interface Progress {
  status: string;
  task?: string;
  taskIndex?: number;
  taskCount: number;
  phase?: string;
  /** Turns of the running task so far (live from its heartbeats). */
  turns?: number;
  /** The run's cost so far: finished tasks plus the running task's live cost. */
  costUsd: number;
  elapsedS: number;
  last?: string;
  attempt?: number;
}

export function progressOf(obs: RunObservation, now = Date.now()): Progress | undefined {
  const view = obs.view;
  if (!view) return undefined;
  const current = view.current ? view.tasks.find((t) => t.id === view.current?.taskId) : undefined;
  const live = obs.live;
  const index = current ? view.tasks.indexOf(current) + 1 : undefined;
  return {
    status: view.status,
    ...(current ? { task: current.name, taskIndex: index } : {}),
    taskCount: view.tasks.length,
    ...(view.current?.phase ? { phase: view.current.phase } : {}),
    ...(current ? { turns: live ? live.turns : current.turns } : {}),
    costUsd: view.costUsd + (live?.costUsd ?? 0),
    elapsedS: Math.max(0, Math.round((now - Date.parse(view.startedAt)) / 1000)),
    ...(live?.last ? { last: live.last } : {}),
    ...(live && live.attempt > 1 ? { attempt: live.attempt } : {}),
  };
}

function elapsed(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function summarize(obs: RunObservation, now = Date.now()): string {
  if (obs.stuck)
    return pc.red(`the run cannot go on: its workflow task fails (${obs.stuck}); ${failureHint(obs.stuck)}`);
  const p = progressOf(obs, now);
  if (!p) return `waiting for the run to start (is a worker running?)`;
  const parts = [
    p.task ? `task ${p.taskIndex}/${p.taskCount} ${pc.bold(p.task)}` : p.status,
    p.phase,
    p.task && obs.live ? `turn ${p.turns ?? 0}` : undefined,
    `$${p.costUsd.toFixed(4)}`,
    elapsed(p.elapsedS),
  ].filter(Boolean);
  const last = p.last ? pc.dim(` · ${p.last.slice(0, 80)}`) : '';
  const retry = p.attempt ? pc.yellow(` (re-attached, attempt ${p.attempt})`) : '';
  return `${parts.join(' · ')}${retry}${last}`;
}

class TtyRenderer implements ProgressRenderer {
  constructor(private readonly spinner: Ora) {}
  update(obs: RunObservation): void {
    this.spinner.text = summarize(obs);
  }
  line(text: string): void {
    this.spinner.clear();
    process.stderr.write(`${text}\n`);
    this.spinner.render();
  }
  stop(): void {
    this.spinner.stop();
  }
}

class PlainRenderer implements ProgressRenderer {
  private last = '';
  update(obs: RunObservation): void {
    const stripped = stripVTControlCharacters(summarize(obs)).replace(/ · \d+m?\d*s(?=( \(|$| · ))/, '');
    if (stripped === this.last) return;
    this.last = stripped;
    this.line(stripped);
  }
  line(text: string): void {
    process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
  }
  stop(): void {}
}

/** One JSON object per line on stdout: `progress` when anything but the clock changed, `log` lines. */
export class JsonRenderer implements ProgressRenderer {
  private last = '';
  constructor(
    private readonly runId: string,
    private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  ) {}
  update(obs: RunObservation): void {
    const p = progressOf(obs);
    if (!p) return;
    const { elapsedS, ...rest } = p;
    const key = JSON.stringify(rest);
    if (key === this.last) return;
    this.last = key;
    this.event('progress', {
      status: p.status,
      task: p.task ?? null,
      task_index: p.taskIndex ?? null,
      task_count: p.taskCount,
      phase: p.phase ?? null,
      turns: p.turns ?? null,
      cost_usd: Number(p.costUsd.toFixed(6)),
      elapsed_s: elapsedS,
      last: p.last ?? null,
    });
  }
  line(text: string): void {
    this.event('log', { line: stripVTControlCharacters(text) });
  }
  event(name: string, fields: Record<string, unknown>): void {
    this.write(JSON.stringify({ event: name, run_id: this.runId, ...fields }));
  }
  stop(): void {}
}

export async function createRenderer(mode: 'tty' | 'plain' | 'json', runId = ''): Promise<ProgressRenderer> {
  if (mode === 'json') return new JsonRenderer(runId);
  if (mode === 'plain') return new PlainRenderer();
  // Loaded only for a terminal: scripts and `--json` never pay for the spinner.
  const { default: ora } = await import('ora');
  return new TtyRenderer(ora({ stream: process.stderr }).start('starting'));
}
