// The smoke gate's pass rule and the mapping of each failure to the unit that owns it.
import { describe, expect, it } from 'vitest';
import {
  groupByUnit,
  judgeSmoke,
  ownersOfSmokeFailures,
  SmokeReportSchema,
  type SmokeFacts,
} from '../../../core/harness/smoke-report.js';
import type { OwnerManifest } from '../../../core/harness/verdict-owners.js';

const manifest: OwnerManifest = {
  fileOwners: { 'server.mjs': 'WU-01', 'public/app.js': 'WU-01', 'public/widgets.js': 'WU-02' },
  aggregationOwner: 'WU-01',
};

function facts(edit: (f: SmokeFacts) => void = () => {}): SmokeFacts {
  const f: SmokeFacts = {
    round: 1,
    commit: 'abc123',
    url: 'http://127.0.0.1:41234/',
    steps: [
      { name: 'install', status: 'pass', duration_ms: 900, exit_code: 0 },
      { name: 'start', status: 'pass', duration_ms: 300 },
      { name: 'ready', status: 'pass', duration_ms: 250 },
      { name: 'load', status: 'pass', duration_ms: 800 },
      { name: 'console', status: 'pass', duration_ms: 0 },
    ],
    http_status: 200,
    screenshot: { path: 'smoke/r1.png', sha256: 'x', bytes: 12000, nonblank: true },
    console_errors: [],
    body_text_length: 42,
    process_alive: true,
  };
  edit(f);
  return f;
}

describe('smoke report', () => {
  it('passes only when every condition holds, and the report matches its schema', () => {
    const ok = judgeSmoke(facts());
    expect(ok).toMatchObject({ passed: true, failure_summary: null });
    expect(SmokeReportSchema.parse(ok)).toEqual(ok);
  });

  it.each([
    [
      'install failed (exit code 1)',
      (f: SmokeFacts) => (f.steps[0] = { ...f.steps[0]!, status: 'fail', exit_code: 1 }),
    ],
    ['the app process exited', (f: SmokeFacts) => (f.process_alive = false)],
    ['HTTP 500 from the ready path', (f: SmokeFacts) => (f.http_status = 500)],
    ['no HTTP answer', (f: SmokeFacts) => (f.http_status = null)],
    [
      'the page did not load: timeout',
      (f: SmokeFacts) => (f.steps[3] = { ...f.steps[3]!, status: 'fail', detail: 'timeout' }),
    ],
    ['the screenshot is blank', (f: SmokeFacts) => (f.screenshot = { ...f.screenshot!, nonblank: false })],
    ['the page shows no text', (f: SmokeFacts) => (f.body_text_length = 0)],
    ['console error: boom', (f: SmokeFacts) => f.console_errors.push({ type: 'error', text: 'boom' })],
  ])('fails: %s', (why, edit) => {
    const r = judgeSmoke(facts(edit));
    expect(r.passed).toBe(false);
    expect(r.failure_summary).toContain(why);
  });

  it('maps console errors to the file owner, a failed start to the file in its log, the rest to the aggregation owner', () => {
    const r = judgeSmoke(
      facts((f) => {
        f.console_errors.push(
          {
            type: 'pageerror',
            text: "TypeError: Cannot read properties of null (reading 'addEventListener')",
            location: 'http://127.0.0.1:41234/widgets.js:14:7',
          },
          { type: 'error', text: 'Failed to load resource: the server responded with a status of 404 (Not Found)' },
        );
      }),
    );
    const owned = ownersOfSmokeFailures(r, manifest);
    expect(owned.map((o) => o.unit)).toEqual(['WU-02', 'WU-01']);
    expect(owned[0]!.error).toContain("TypeError: Cannot read properties of null (reading 'addEventListener')");

    const crashed = judgeSmoke(
      facts((f) => {
        f.process_alive = false;
        f.http_status = null;
        f.steps[1] = {
          name: 'start',
          status: 'fail',
          duration_ms: 10,
          log_tail: 'file:///home/dkmv/workspace/server.mjs:3\n  const x = ;\nSyntaxError: Unexpected token',
        };
      }),
    );
    const crash = ownersOfSmokeFailures(crashed, { fileOwners: { 'server.mjs': 'WU-04' } });
    expect(crash).toEqual([expect.objectContaining({ unit: 'WU-04', error: 'start step failed' })]);
    expect([...groupByUnit([...owned, ...crash]).keys()]).toEqual(['WU-02', 'WU-01', 'WU-04']);
  });

  it('a blank page with no failed step goes to the aggregation owner, or to integration without one', () => {
    const blank = judgeSmoke(facts((f) => (f.body_text_length = 0)));
    expect(ownersOfSmokeFailures(blank, manifest).map((o) => o.unit)).toEqual(['WU-01']);
    expect(ownersOfSmokeFailures(blank, { fileOwners: {} }).map((o) => o.unit)).toEqual(['integration']);
    expect(ownersOfSmokeFailures(judgeSmoke(facts()), manifest)).toEqual([]);
  });
});
