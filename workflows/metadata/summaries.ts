// What the Temporal Web UI shows for a run: one-line activity summaries ("task scan · claude ·
// claude-sonnet-4-6", "commit + push feature/x", "land WU-02") and the markdown of the current
// details. Pure text (no Temporal APIs): the activity factories attach the summary as user
// metadata, which is not part of Temporal's determinism check (recorded histories replay unchanged).
import type { PreparedTask } from '../../core/engine/activity-types.js';

/** Activity options' `summary`, only when there is one (keeps options objects minimal). */
export function summaryOption(summary: string | undefined): { summary?: string } {
  return summary ? { summary: oneLine(summary) } : {};
}

/** The UI shows summaries on one line; keep them short. */
export function oneLine(text: string, max = 120): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  const trimmed = line.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

/** The agent or script run of one task. */
export function taskRunSummary(task: PreparedTask, resumed = false): string {
  if (task.kind === 'run') return `task ${task.name} · script`;
  return `task ${task.name} · ${task.agent} · ${task.model}${resumed ? ' · fixing outputs' : ''}`;
}

export function commitSummary(task: PreparedTask, branch: string): string {
  return task.push ? `commit + push ${branch} (${task.name})` : `commit ${task.name}`;
}

/** A run's headline for the Web UI (workflow summary at start): component, branch, agent/model. */
export function componentRunSummary(component: string, branch: string, agent?: string, model?: string): string {
  const who = [agent, model].filter(Boolean).join(' · ');
  return oneLine(`${component} on ${branch}${who ? ` · ${who}` : ''}`);
}

/** A harness run's headline: the prompt's first line and the branch. */
export function harnessRunSummary(prompt: string, branch: string): string {
  return oneLine(`harness on ${branch}: ${oneLine(prompt, 80)}`);
}

/** Markdown table of facts for a workflow's static details (the UI renders markdown). */
export function detailsMarkdown(title: string, rows: [string, string | number | undefined][]): string {
  const lines = rows
    .filter((r): r is [string, string | number] => r[1] !== undefined && r[1] !== '')
    .map(([k, v]) => `| ${k} | ${String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
  return [`**${title}**`, '', '| | |', '|---|---|', ...lines].join('\n');
}
