// Live progress of a followed run: a spinner with in-place updates in a TTY, plain timestamped
// lines (only when something changed) otherwise.
import { stripVTControlCharacters } from 'node:util';
import ora, { type Ora } from 'ora';
import pc from 'picocolors';
import type { RunObservation } from './observe.js';

export interface ProgressRenderer {
  update(obs: RunObservation): void;
  /** Prints a line above the spinner (or plainly). */
  line(text: string): void;
  stop(): void;
}

function elapsed(startedAt: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(startedAt)) / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function summarize(obs: RunObservation): string {
  const view = obs.view;
  if (!view) return `waiting for the run to start (is a worker running?)`;
  const current = view.current ? view.tasks.find((t) => t.id === view.current?.taskId) : undefined;
  const index = current ? view.tasks.indexOf(current) + 1 : view.tasks.filter((t) => t.status !== 'pending').length;
  const live = obs.live;
  const turns = live ? live.turns : (current?.turns ?? 0);
  const cost = view.costUsd + (live?.costUsd ?? 0);
  const parts = [
    current ? `task ${index}/${view.tasks.length} ${pc.bold(current.name)}` : view.status,
    view.current?.phase,
    current && live ? `turn ${turns}` : undefined,
    `$${cost.toFixed(4)}`,
    elapsed(view.startedAt),
  ].filter(Boolean);
  const last = live?.last ? pc.dim(` · ${live.last.slice(0, 80)}`) : '';
  const retry = live && live.attempt > 1 ? pc.yellow(` (re-attached, attempt ${live.attempt})`) : '';
  return `${parts.join(' · ')}${retry}${last}`;
}

class TtyRenderer implements ProgressRenderer {
  private spinner: Ora = ora({ stream: process.stderr }).start('starting');
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

export function createRenderer(tty: boolean): ProgressRenderer {
  return tty ? new TtyRenderer() : new PlainRenderer();
}
