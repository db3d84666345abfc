// Notification bodies: the plain event and Slack's shape, the answer paths a pause carries, the
// redaction of the worker's secrets, and the `notify` setting's parsing.
import { describe, expect, it } from 'vitest';
import { redactor } from '../../../core/agents/redact.js';
import {
  answerPaths,
  buildEvent,
  componentFacts,
  harnessFacts,
  isSlackWebhook,
  notificationBody,
  parseNotifyUrls,
  slackBody,
  targetLabel,
  type NotifyFacts,
  type SendNotificationInput,
} from '../../../core/notify/index.js';
import type { RunStatusView } from '../../../core/engine/run-types.js';
import type { HarnessView } from '../../../core/harness/types.js';

const LINKS = { webUiUrl: 'http://127.0.0.1:8233', httpApiUrl: 'http://127.0.0.1:7243', namespace: 'default' };
const PAUSE: NotifyFacts = {
  event: 'awaiting_input',
  runId: '250101-1200-dev-auth-ab12',
  kind: 'component',
  component: 'dev',
  branch: 'feature/auth',
  status: 'awaiting_input',
  costUsd: 0.123456,
  pending: {
    taskId: 'ask',
    questions: [{ id: 'scope', question: 'How big?', options: ['small', 'large'], default: 'large' }],
  },
};

function input(url: string, facts: NotifyFacts = PAUSE): SendNotificationInput {
  return { url, targets: LINKS, facts };
}

describe('notification event', () => {
  it('carries run id, kind, component, branch, status, cost, questions, the Web UI link and the answers', () => {
    const event = buildEvent(PAUSE, LINKS);
    expect(event).toMatchObject({
      event: 'awaiting_input',
      run_id: PAUSE.runId,
      kind: 'component',
      component: 'dev',
      branch: 'feature/auth',
      status: 'awaiting_input',
      cost_usd: 0.1235,
      task: 'ask',
      questions: PAUSE.pending!.questions,
      web_ui: 'http://127.0.0.1:8233/namespaces/default/workflows/250101-1200-dev-auth-ab12',
    });
    expect(event.answer?.approve).toBe('dkmv approve 250101-1200-dev-auth-ab12 --action continue --answer scope=large');
    expect(event.answer?.webUi).toEqual({
      signal: 'decide',
      update: 'decide_validated',
      input: '{"action":"continue","answers":{"scope":"large"}}',
    });
    expect(event.answer?.curl).toContain(
      'curl -sS -X POST http://127.0.0.1:7243/api/v1/namespaces/default/workflows/250101-1200-dev-auth-ab12/update/decide_validated ',
    );
  });

  it('the curl body is the HTTP API update request with the decision as its one argument', () => {
    const curl = answerPaths('r1', PAUSE.pending!, LINKS).curl!;
    const body = /-d '(.*)'$/.exec(curl)![1]!;
    expect(JSON.parse(body)).toEqual({
      request: {
        meta: { updateId: 'dkmv-answer-ask' },
        input: { args: [{ action: 'continue', answers: { scope: 'large' } }] },
      },
      waitPolicy: { lifecycleStage: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED' },
    });
  });

  it('no curl without an HTTP API; answers with spaces are shell-quoted', () => {
    const paths = answerPaths(
      'r1',
      { taskId: 't', questions: [{ id: 'why', question: '?', default: "it's fine" }] },
      {
        namespace: 'default',
      },
    );
    expect(paths.curl).toBeUndefined();
    expect(paths.approve).toBe(`dkmv approve r1 --action continue --answer 'why=it'\\''s fine'`);
  });

  it('an end event has no questions or answers; errors and remaining issues are kept', () => {
    const event = buildEvent(
      { ...PAUSE, event: 'failed', status: 'failed', error: 'task ask: boom', pending: undefined },
      LINKS,
    );
    expect(event.answer).toBeUndefined();
    expect(event.questions).toBeUndefined();
    expect(event.error).toBe('task ask: boom');
  });
});

describe('bodies per webhook', () => {
  it('a Slack incoming webhook gets text + blocks; any other URL the plain event', () => {
    const slack = JSON.parse(notificationBody(input('https://hooks.slack.com/services/T0/B0/xyz'), (t) => t)) as {
      text: string;
      blocks: { type: string; text: { text: string } }[];
    };
    expect(slack.text).toBe('Run 250101-1200-dev-auth-ab12 is waiting for your decision ($0.12)');
    const all = slack.blocks.map((b) => b.text.text).join('\n');
    expect(slack.blocks.every((b) => b.type === 'section')).toBe(true);
    expect(all).toContain('How big?');
    expect(all).toContain('dkmv approve 250101-1200-dev-auth-ab12 --action continue --answer scope=large');
    expect(all).toContain('decide_validated');
    expect(all).toContain('curl -sS -X POST');
    expect(all).toContain('Open in the Temporal Web UI');

    const plain = JSON.parse(notificationBody(input('http://127.0.0.1:9/hook'), (t) => t)) as Record<string, unknown>;
    expect(plain.run_id).toBe(PAUSE.runId);
    expect(plain.text).toBeUndefined();
    expect(isSlackWebhook('https://hooks.slack.com.evil.example/x')).toBe(false);
  });

  it('redacts the worker secrets out of every body, plain and Slack', () => {
    const secret = 'dkmv-test-marker-notify-9c2e71';
    const facts = {
      ...PAUSE,
      event: 'failed' as const,
      status: 'failed',
      error: `agent said ${secret}`,
      pending: undefined,
    };
    for (const url of ['http://127.0.0.1:9/x', 'https://hooks.slack.com/services/a']) {
      const body = notificationBody(input(url, facts), redactor([secret]));
      expect(body).not.toContain(secret);
      expect(body).toContain('[REDACTED]');
    }
  });

  it('Slack sections stay under its size limit', () => {
    const issues = Array.from({ length: 200 }, (_, i) => `issue ${i} `.repeat(5));
    const body = slackBody(buildEvent({ ...PAUSE, event: 'shipped_with_issues', remainingIssues: issues }, LINKS));
    for (const b of body.blocks) expect(((b.text as { text: string }).text ?? '').length).toBeLessThanOrEqual(3000);
  });
});

describe('facts from the workflow views', () => {
  it('component: a pause carries its questions; a running run says nothing', () => {
    const view = {
      runId: 'r',
      component: 'c',
      repo: '',
      branch: 'b',
      status: 'awaiting_input',
      costUsd: 1,
      startedAt: '',
      tasks: [],
      pending: PAUSE.pending,
    } as RunStatusView;
    expect(componentFacts(view)).toMatchObject({ event: 'awaiting_input', pending: PAUSE.pending });
    expect(componentFacts({ ...view, status: 'running' })).toBeUndefined();
    expect(componentFacts({ ...view, status: 'timed_out', pending: undefined })?.event).toBe('timed_out');
  });

  it('harness: completed with open issues is shipped_with_issues', () => {
    const view = { runId: 'h', kind: 'harness', branch: 'b', status: 'completed', costUsd: 2 } as HarnessView;
    expect(harnessFacts(view)?.event).toBe('completed');
    const withIssues = { ...view, quality: { remainingIssues: ['login is slow'] } } as unknown as HarnessView;
    expect(harnessFacts(withIssues)).toMatchObject({
      event: 'shipped_with_issues',
      remainingIssues: ['login is slow'],
    });
  });
});

describe('notify setting', () => {
  it('splits on commas and whitespace, dedupes, and refuses non-http URLs', () => {
    expect(parseNotifyUrls('http://a.example/x, https://b.example/y http://a.example/x')).toEqual({
      value: ['http://a.example/x', 'https://b.example/y'],
    });
    expect(parseNotifyUrls('ftp://a.example')).toEqual({ error: expect.stringContaining('http(s)') as string });
    expect(parseNotifyUrls('nope')).toEqual({ error: expect.stringContaining('http(s)') as string });
  });

  it('names a target by scheme and host only (a webhook path is its secret)', () => {
    expect(targetLabel('https://user:pw@hooks.slack.com/services/T/B/secret?x=1')).toBe('https://hooks.slack.com');
  });
});
