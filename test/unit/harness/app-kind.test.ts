// Builds that are not web pages (plan app.kind): Gate 4 accepts command or HTTP evidence instead of
// screenshots for cli/library/service and still demands screenshots for web; the evaluator prompt
// says how to test each kind; the reviewer role component renders with its marker line.
import { describe, expect, it } from 'vitest';
import {
  checkEvalReport,
  evaluatorVars,
  planEvalBatches,
  settleEvalReport,
} from '../../../core/harness/eval-report.js';
import { reviewerMarker } from '../../../core/harness/markers.js';
import { judgeSmoke } from '../../../core/harness/smoke-report.js';
import { renderRole } from './render-role.js';

const app = { install: 'npm install', start: '', ready_path: '/' };

const render = (dir: string, vars: Record<string, string>) => renderRole(dir, vars, { branch: 'b', feature_name: 'x' });

const units = [
  { id: 'WU-01', criteria: [{ id: 'WU-01-C1', text: 'counts words in a file', kind: 'behavior' as const }] },
];
const report = (evidence: unknown[], refs: string[]) => ({
  batch_id: 'r1-b1',
  round: 1,
  verdict: 'PASS',
  criteria: [
    { criterion_id: 'WU-01-C1', score: 8, evidence: 'ran wc on a 3-word file: printed 3, exit 0', evidence_refs: refs },
  ],
  evidence,
});
const RUN = { id: 'e1', kind: 'command', command: 'node bin/wc.mjs a.txt', exit_code: 0, output: '3' };

describe('Gate 4 by app.kind', () => {
  it('cli: command evidence instead of screenshots; no design-quality row', () => {
    const [batch, int] = planEvalBatches(1, units, [{ id: 'OV-C1', text: 'installs', kind: 'build' }], 'cli');
    expect(int!.criteria.map((c) => c.id)).toEqual(['OV-C1']);
    expect(checkEvalReport(report([RUN], ['e1']), batch!, {})).toMatchObject({ ok: true });
    expect(settleEvalReport(report([RUN], ['e1']), batch!, {}).criteria[0]).toMatchObject({ score: 8, passed: true });
  });

  it('cli: no evidence, an incomplete entry or an unreferenced criterion is rejected, and cannot pass', () => {
    const [batch] = planEvalBatches(1, units, [], 'cli');
    const none = checkEvalReport(report([], []), batch!, {});
    expect(none.ok).toBe(false);
    expect(!none.ok && none.complaints).toEqual(
      expect.arrayContaining([
        'no command evidence: record at least one command with its exit code and output in evidence[]',
        expect.stringContaining('criterion WU-01-C1: evidence_refs must name at least one evidence[] id'),
      ]),
    );
    const partial = checkEvalReport(report([{ id: 'e1', kind: 'command', command: 'x' }], ['e1']), batch!, {});
    expect(!partial.ok && partial.complaints).toContain('evidence e1 needs command, exit_code and output');
    expect(settleEvalReport(report([], []), batch!, {}).criteria[0]!.score).toBe(6);
  });

  it('service: HTTP evidence; command evidence does not count', () => {
    const [batch] = planEvalBatches(1, units, [], 'service');
    const http = { id: 'h1', kind: 'http', request: 'GET /health', status: 200, response: '{"ok":true}' };
    expect(checkEvalReport(report([http], ['h1']), batch!, {})).toMatchObject({ ok: true });
    const wrong = checkEvalReport(report([RUN], ['e1']), batch!, {});
    expect(!wrong.ok && wrong.complaints).toContain(
      'evidence e1 is command evidence; a service build records http evidence',
    );
  });

  it('web (and no kind): screenshots stay mandatory; command evidence does not replace them', () => {
    for (const kind of ['web', undefined] as const) {
      const [batch] = planEvalBatches(1, units, [], kind);
      const r = checkEvalReport(report([RUN], ['e1']), batch!, {});
      expect(!r.ok && r.complaints).toContain('no screenshots: save at least one under .agent/eval/');
    }
  });
});

describe('prompts by kind', () => {
  it('a cli evaluator is told to run commands and record them; a web one to use the browser', () => {
    const [cliBatch] = planEvalBatches(1, units, [], 'cli');
    const cli = render(
      'components/harness/evaluator',
      evaluatorVars({ batch: cliBatch!, spec: 'A CLI.', app, port: 4 }),
    );
    expect(cli.prompt).toContain('This build is a **cli**, not a web page');
    expect(cli.prompt).toContain('"kind": "command"');
    expect(cli.prompt).not.toContain('playwright-cli open');
    const [webBatch] = planEvalBatches(1, units, []);
    const web = render(
      'components/harness/evaluator',
      evaluatorVars({ batch: webBatch!, spec: 'A page.', app, port: 4 }),
    );
    expect(web.prompt).toContain('playwright-cli open');
    expect(web.prompt).not.toContain('not a web page');
  });

  it('the reviewer prompt starts with its marker and names the diff and the review file', () => {
    const task = render('components/harness/reviewer', {
      harness_marker: reviewerMarker('WU-02', 1, 2),
      harness_unit_id: 'WU-02',
      harness_unit: 'You own: src/a.js',
      harness_shared: 'contracts',
      harness_base: 'abc123',
      harness_check: 'npm test',
    });
    expect(task.prompt!.split('\n')[0]).toBe('dkmv-harness role=reviewer unit=WU-02 round=1 attempt=2');
    expect(task.prompt).toContain('`git diff abc123 HEAD`');
    expect(task.prompt).toContain('`npm test`');
    expect(task.outputs.map((o) => [o.workspace_path, o.required, o.save])).toEqual([
      ['.agent/review.json', true, true],
    ]);
  });
});

describe('SMOKE of a service', () => {
  const facts = (load: 'pass' | 'fail') => ({
    round: 1,
    commit: 'c',
    url: 'http://127.0.0.1:5000/',
    steps: [
      { name: 'install' as const, status: 'pass' as const, duration_ms: 1, exit_code: 0 },
      { name: 'load' as const, status: load, duration_ms: 1, detail: 'GET /api/health → 200: {"ok":true}' },
    ],
    http_status: 200,
    screenshot: null,
    console_errors: [],
    body_text_length: 11,
    process_alive: true,
    kind: 'service' as const,
  });

  it('passes on the declared request without a screenshot; a failing request names it', () => {
    expect(judgeSmoke(facts('pass'))).toMatchObject({ passed: true, failure_summary: null });
    expect(judgeSmoke(facts('fail')).failure_summary).toBe(
      'the declared request failed: GET /api/health → 200: {"ok":true}',
    );
    // the same facts as a web page fail: no screenshot
    expect(judgeSmoke({ ...facts('pass'), kind: undefined }).failure_summary).toBe('the screenshot is blank');
  });
});
