// The plain JSON event a webhook receives: what happened to which run, what it cost, the Web UI
// link and, at a pause, its questions and every way to answer them (answer.ts).
import type { Question } from '../engine/run-types.js';
import { answerPaths, type AnswerPaths } from './answer.js';
import type { NotifyFacts, NotifyTargets } from './types.js';

/** Version of the event's shape, so receivers can tell a later change. */
export const NOTIFY_EVENT_VERSION = 1;

export interface NotifyEvent {
  dkmv_event: number;
  event: NotifyFacts['event'];
  run_id: string;
  kind: NotifyFacts['kind'];
  component: string;
  branch: string;
  status: string;
  cost_usd: number;
  error?: string;
  /** The pause point (awaiting_input only). */
  task?: string;
  questions?: Question[];
  remaining_issues?: string[];
  web_ui?: string;
  /** How to answer (awaiting_input only). */
  answer?: AnswerPaths;
}

/** The Web UI's page of one run (workflow id = run id). */
export function runPageUrl(webUiUrl: string, namespace: string, runId: string): string {
  return `${webUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(runId)}`;
}

export function buildEvent(facts: NotifyFacts, links: Omit<NotifyTargets, 'urls'>): NotifyEvent {
  const event: NotifyEvent = {
    dkmv_event: NOTIFY_EVENT_VERSION,
    event: facts.event,
    run_id: facts.runId,
    kind: facts.kind,
    component: facts.component,
    branch: facts.branch,
    status: facts.status,
    cost_usd: Math.round(facts.costUsd * 10_000) / 10_000,
  };
  if (facts.error) event.error = facts.error;
  if (facts.remainingIssues?.length) event.remaining_issues = facts.remainingIssues;
  if (links.webUiUrl) event.web_ui = runPageUrl(links.webUiUrl, links.namespace, facts.runId);
  if (facts.event === 'awaiting_input' && facts.pending) {
    event.task = facts.pending.taskId;
    event.questions = facts.pending.questions;
    event.answer = answerPaths(facts.runId, facts.pending, links);
  }
  return event;
}

/** One line saying what happened, for chat messages and desktop notifications. */
export function headline(event: Pick<NotifyEvent, 'event' | 'run_id' | 'kind' | 'cost_usd'>): string {
  const what: Record<NotifyEvent['event'], string> = {
    awaiting_input: 'is waiting for your decision',
    completed: 'completed',
    failed: 'failed',
    cancelled: 'was cancelled',
    timed_out: 'timed out',
    unverified: 'ended unverified (the app never passed its check or smoke test)',
    shipped_with_issues: 'shipped with remaining issues',
  };
  const noun = event.kind === 'harness' ? 'Harness build' : 'Run';
  return `${noun} ${event.run_id} ${what[event.event]} ($${event.cost_usd.toFixed(2)})`;
}
