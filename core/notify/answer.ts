// How to answer a paused run from anywhere, as a notification spells it out: the `dkmv approve`
// command, the `decide` payload for the Web UI's signal/update form, and, where the server serves
// Temporal's HTTP API, the curl command that sends the validating update.
import type { Question } from '../engine/run-types.js';
import { DECIDE_SIGNAL, DECIDE_UPDATE } from '../engine/workflow-names.js';

/** What a notification of a pause carries to answer it. */
export interface AnswerPaths {
  /** The decision taking every default: continue with these answers. */
  decision: { action: 'continue'; answers: Record<string, string> };
  /** `dkmv approve …` with the defaults (edit the answers as needed). */
  approve: string;
  /** `dkmv approve …` that finishes now or aborts. */
  skip: string;
  abort: string;
  /** The Web UI's "Send a Signal" / "Send an Update" form: name and JSON input. */
  webUi: { signal: string; update: string; input: string };
  /** The validating update through Temporal's HTTP API, when its address is known. */
  curl?: string;
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function defaultAnswer(q: Question): string {
  return q.default ?? q.options?.[0] ?? '';
}

/** The update's URL and body in the HTTP API's JSON shorthand (payloads as plain JSON values). */
export function updateRequest(
  httpApiUrl: string,
  namespace: string,
  runId: string,
  taskId: string,
  decision: object,
): { url: string; body: object } {
  const base = httpApiUrl.replace(/\/+$/, '');
  const url = `${base}/api/v1/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(runId)}/update/${DECIDE_UPDATE}`;
  const body = {
    request: { meta: { updateId: `dkmv-answer-${taskId}` }, input: { args: [decision] } },
    waitPolicy: { lifecycleStage: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED' },
  };
  return { url, body };
}

export function answerPaths(
  runId: string,
  pending: { taskId: string; questions: Question[] },
  links: { httpApiUrl?: string; namespace: string },
): AnswerPaths {
  const answers = Object.fromEntries(pending.questions.map((q) => [q.id, defaultAnswer(q)]));
  const decision = { action: 'continue' as const, answers };
  const flags = pending.questions.map((q) => ` --answer ${shellWord(`${q.id}=${defaultAnswer(q)}`)}`).join('');
  const paths: AnswerPaths = {
    decision,
    approve: `dkmv approve ${shellWord(runId)} --action continue${flags}`,
    skip: `dkmv approve ${shellWord(runId)} --action skip_remaining`,
    abort: `dkmv approve ${shellWord(runId)} --action abort`,
    webUi: { signal: DECIDE_SIGNAL, update: DECIDE_UPDATE, input: JSON.stringify(decision) },
  };
  if (links.httpApiUrl) {
    const { url, body } = updateRequest(links.httpApiUrl, links.namespace, runId, pending.taskId, decision);
    paths.curl = `curl -sS -X POST ${shellWord(url)} -H 'Content-Type: application/json' -d ${shellWord(JSON.stringify(body))}`;
  }
  return paths;
}
