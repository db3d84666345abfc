// The PR body's sections, and opening the PR on a fake GitHub API on loopback: the evaluation
// section arrives, the token is sent only as the Authorization header and appears nowhere else.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettledReport } from '../../../core/harness/eval-report.js';
import { renderPrBody, type PrBodyInput } from '../../../core/harness/pr-body.js';
import {
  openPullRequestWith,
  parseGitHubRemote,
  writeHarnessReport,
} from '../../../activities/harness/pull-request.js';

const TOKEN = 'dkmv-test-marker-github-token-2';

const report: SettledReport = {
  batch_id: 'r2-b1',
  round: 2,
  claimed_verdict: 'RETRY',
  verdict_rationale: 'one dead element',
  complaints: [],
  screenshots: [],
  criteria: [
    {
      criterion_id: 'WU-02-C1',
      text: 'Clicking + increments the counter',
      unit: 'WU-02',
      score: 8,
      passed: true,
      evidence: 'clicked #inc 3× → #count 3',
      fix_hint: null,
      evidence_refs: ['s1'],
    },
    {
      criterion_id: 'WU-02-C3',
      text: 'Reset sets the counter to 0',
      unit: 'WU-02',
      score: 3,
      passed: false,
      evidence: `#reset does nothing (before/after identical) | token ${TOKEN}`,
      fix_hint: 'public/widgets.js:createCounter — wire #reset',
      evidence_refs: ['s4'],
    },
    {
      criterion_id: 'OV-C1',
      text: 'App starts without errors',
      score: 9,
      passed: true,
      evidence: 'smoke passed, no console errors',
      fix_hint: null,
      evidence_refs: [],
    },
  ],
};

const input: PrBodyInput = {
  title: 'A counter and a todo list',
  overview: 'A tiny static app with a counter widget and a todo list, served by node:http.',
  features: [{ id: 'F1', name: 'Counter', description: 'increment and reset' }],
  units: [
    { id: 'WU-01', title: 'Server and entry point', status: 'landed', attempts: 1, files: ['server.mjs'] },
    { id: 'WU-02', title: 'Counter widget', status: 'landed', attempts: 2, files: ['public/widgets.js'] },
  ],
  evaluation: { rounds: 2, replans: 0, reports: [report], smoke: { passed: true, screenshot: 'smoke/r2.png' } },
  remainingIssues: ['WU-03 blocked after 3 attempts'],
  outcome: 'with_issues',
};

describe('PR body', () => {
  it('has the four sections, the pass rate, rounds, per-unit scores with key evidence and the remaining issues', () => {
    const body = renderPrBody(input);
    const sections = [...body.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(['What was built', 'Work completed', 'Evaluation results', 'Remaining issues']);
    expect(body).toContain('Pass rate: 2/3 (67%)');
    expect(body).toContain('Rounds: 2');
    expect(body).toMatch(
      /\| WU-02 \| 1\/2 \| 5\.5 \(min 3\) \| WU-02-C3: #reset does nothing \(before\/after identical\) \\\| token/,
    );
    expect(body).toMatch(/\| Overall \| 1\/1 \| 9\.0 \(min 9\) \|/);
    expect(body).toContain('- **WU-02-C3** (WU-02), score 3: Reset sets the counter to 0');
    expect(body).toContain('Fix hint: public/widgets.js:createCounter — wire #reset');
    expect(body).toContain('- WU-03 blocked after 3 attempts');
    const passed = renderPrBody({ ...input, remainingIssues: [], evaluation: { ...input.evaluation, reports: [] } });
    expect(passed).toContain('None: every criterion scored 7 or more.');
  });

  it('recognises GitHub remotes only', () => {
    expect(parseGitHubRemote('https://github.com/acme/app.git')).toEqual({ owner: 'acme', name: 'app' });
    expect(parseGitHubRemote(`https://x-access-token:${TOKEN}@github.com/acme/app`)).toEqual({
      owner: 'acme',
      name: 'app',
    });
    expect(parseGitHubRemote('git@github.com:acme/my.app.git')).toEqual({ owner: 'acme', name: 'my.app' });
    expect(parseGitHubRemote('ssh://git@github.com/acme/app.git')).toEqual({ owner: 'acme', name: 'app' });
    expect(parseGitHubRemote('/tmp/remote.git')).toBeNull();
    expect(parseGitHubRemote('https://gitlab.com/acme/app.git')).toBeNull();
  });
});

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: string;
}

describe('opening the PR on a fake GitHub API (loopback)', () => {
  let server: http.Server;
  let api: string;
  const seen: Seen[] = [];
  let mode: 'create' | 'exists' | 'refuse' = 'create';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
        res.setHeader('Content-Type', 'application/json');
        if (req.headers.authorization !== `Bearer ${TOKEN}`) {
          res.statusCode = 401;
          return res.end(JSON.stringify({ message: 'Bad credentials' }));
        }
        if (req.method === 'POST' && mode === 'create') {
          res.statusCode = 201;
          return res.end(JSON.stringify({ number: 7, html_url: 'https://github.com/acme/app/pull/7' }));
        }
        if (req.method === 'POST' && mode === 'exists') {
          res.statusCode = 422;
          return res.end(
            JSON.stringify({
              message: 'Validation Failed',
              errors: [{ message: 'A pull request already exists for acme:dkh/x.' }],
            }),
          );
        }
        if (req.method === 'POST') {
          res.statusCode = 403;
          return res.end(JSON.stringify({ message: `Resource not accessible by integration (you sent ${TOKEN})` }));
        }
        if (req.method === 'GET')
          return res.end(JSON.stringify([{ number: 5, html_url: 'https://github.com/acme/app/pull/5' }]));
        if (req.method === 'PATCH') return res.end(JSON.stringify({ number: 5 }));
        res.statusCode = 404;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const pr = () => ({
    repo: 'https://github.com/acme/app.git',
    head: 'dkh/x',
    base: 'main',
    title: 'Harness: a counter and a todo list',
    body: renderPrBody(input),
    apiBaseUrl: api,
  });

  it('creates the PR with the evaluation section; the token travels only in the Authorization header', async () => {
    mode = 'create';
    seen.length = 0;
    const result = await openPullRequestWith(pr(), TOKEN);
    expect(result).toEqual({
      kind: 'pull_request',
      url: 'https://github.com/acme/app/pull/7',
      number: 7,
      created: true,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/repos/acme/app/pulls', auth: `Bearer ${TOKEN}` });
    const sent = JSON.parse(seen[0]!.body) as { body: string; head: string; base: string };
    expect(sent).toMatchObject({ head: 'dkh/x', base: 'main' });
    expect(sent.body).toContain('## Evaluation results');
    expect(sent.body).toContain('Pass rate: 2/3 (67%)');
    expect(seen[0]!.body).not.toContain(TOKEN); // the evidence quoted the token: redacted before sending
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('an existing PR is found and its body refreshed', async () => {
    mode = 'exists';
    seen.length = 0;
    const result = await openPullRequestWith(pr(), TOKEN);
    expect(result).toEqual({
      kind: 'pull_request',
      url: 'https://github.com/acme/app/pull/5',
      number: 5,
      created: false,
    });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /repos/acme/app/pulls',
      'GET /repos/acme/app/pulls?head=acme%3Adkh%2Fx&state=open',
      'PATCH /repos/acme/app/pulls/5',
    ]);
  });

  it('a refusal, a bad token or no token falls back to the compare URL and the report, never echoing the token', async () => {
    mode = 'refuse';
    const refused = await openPullRequestWith(pr(), TOKEN);
    expect(refused).toMatchObject({
      kind: 'report',
      compareUrl: 'https://github.com/acme/app/compare/main...dkh%2Fx?expand=1',
      reportPath: 'docs/harness/report.md',
    });
    expect(refused.kind === 'report' && refused.reason).toMatch(
      /HTTP 403: Resource not accessible by integration \(you sent \[REDACTED\]\)/,
    );
    expect(JSON.stringify(refused)).not.toContain(TOKEN);

    const badToken = await openPullRequestWith(pr(), 'dkmv-test-marker-wrong-token-3');
    expect(badToken.kind === 'report' && badToken.reason).toMatch(/HTTP 401: Bad credentials/);

    const count = seen.length;
    const none = await openPullRequestWith(pr(), undefined);
    expect(none).toMatchObject({ kind: 'report', reason: expect.stringMatching(/no GitHub token/) });
    const local = await openPullRequestWith({ ...pr(), repo: '/tmp/remote.git' }, TOKEN);
    expect(local).toMatchObject({ kind: 'report', compareUrl: null, reason: 'the remote is not on GitHub' });
    expect(seen.length).toBe(count); // neither called the API

    const down = await openPullRequestWith({ ...pr(), apiBaseUrl: 'http://127.0.0.1:9' }, TOKEN);
    expect(down.kind === 'report' && down.reason).toMatch(/GitHub API unreachable/);
  });

  it('writes the same body to docs/harness/report.md', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-pr-body-'));
    const rel = await writeHarnessReport(dir, renderPrBody(input));
    expect(rel).toBe('docs/harness/report.md');
    expect(readFileSync(path.join(dir, rel), 'utf8')).toContain('## Evaluation results');
  });
});
