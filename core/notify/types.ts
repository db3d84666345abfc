// Shapes of run notifications (webhook events): what a run tells the outside world when it pauses
// for a decision or ends. Plain JSON, no Node built-ins: workflows, activities and the CLI share them.
import type { Question } from '../engine/run-types.js';

/** Why a notification is sent. */
export type NotifyEventName =
  'awaiting_input' | 'completed' | 'failed' | 'cancelled' | 'timed_out' | 'unverified' | 'shipped_with_issues';

/** Where notifications go and the links they carry; travels in the run's input (never a secret). */
export interface NotifyTargets {
  /** Webhook URLs (http or https). */
  urls: string[];
  /** The Temporal Web UI (its run page is linked). */
  webUiUrl?: string;
  /** Temporal's HTTP API (e.g. the dev server's --http-port), for the curl answer. */
  httpApiUrl?: string;
  namespace: string;
}

/** What the workflow knows about the run when it notifies. */
export interface NotifyFacts {
  event: NotifyEventName;
  runId: string;
  kind: 'component' | 'harness';
  component: string;
  branch: string;
  status: string;
  costUsd: number;
  error?: string;
  /** The pause point: the task (or `plan`) that asks, and its questions. */
  pending?: { taskId: string; questions: Question[] };
  /** A harness shipped with these issues still open. */
  remainingIssues?: string[];
}

/** One notification as the sendNotification activity gets it: one URL, one event. */
export interface SendNotificationInput {
  url: string;
  targets: Omit<NotifyTargets, 'urls'>;
  facts: NotifyFacts;
}

/** How one notification went, kept in the run's status for `dkmv show`. */
export interface NotifyRecord {
  event: NotifyEventName;
  /** The endpoint's host only: a webhook's path may be its secret. */
  target: string;
  ok: boolean;
  error?: string;
}
