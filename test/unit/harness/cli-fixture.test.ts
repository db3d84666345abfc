// The second shipped fixture (tiny-cli): its script's plan passes Gate 1 as an app.kind cli build
// with a check contract, every role session it needs has a marker the harness sends, and the code its
// sessions write really behaves as the scripted CHECK and REVIEW story says (buggy, then fixed).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { harnessFixture } from '../../../cli/commands/harness-fixtures.js';
import { judgeCheck, ownersOfCheckFailures } from '../../../core/harness/check-report.js';
import { checkPlan } from '../../../core/harness/gate1.js';
import { ownerManifest } from '../../../core/harness/plan-views.js';
import { parseModelScript } from '../../../core/model-script/parse.js';

const fixture = harnessFixture('tiny-cli');
const script = parseModelScript(readFileSync(fixture.script, 'utf8'), fixture.script);
const session = (marker: string) => script.sessions.find((s) => s.matchSource === marker);
const writes = (marker: string) =>
  Object.fromEntries(
    session(marker)!
      .turns.flatMap((t) => t.calls)
      .flatMap((c) => (c.kind === 'write' ? [[c.path, c.content]] : [])),
  ) as Record<string, string>;

describe('tiny-cli fixture', () => {
  it('its plan passes Gate 1 as a cli build with a check', () => {
    const plan = JSON.parse(writes('dkmv-harness role=planner attempt=1')['.agent/plan.json']!) as unknown;
    const gate = checkPlan(plan);
    expect(gate.ok ? [] : gate.problems).toEqual([]);
    expect(gate.ok && gate.plan.app.kind).toBe('cli');
    expect(gate.ok && gate.plan.check?.commands).toEqual(['npm test']);
  });

  it('has a session for every role turn of its story', () => {
    for (const m of [
      'dkmv-harness role=generator unit=WU-01 round=1 attempt=1',
      'dkmv-harness role=generator unit=WU-03 round=1 attempt=2',
      'dkmv-harness role=reviewer unit=WU-03 round=1 attempt=1',
      'dkmv-harness role=reviewer unit=WU-03 round=1 attempt=2',
      'dkmv-harness role=fixer unit=WU-02 round=2',
      'dkmv-harness role=evaluator batch=r2-b1 round=2',
      'dkmv-harness role=evaluator batch=r2-int round=2',
    ])
      expect(session(m), m).toBeDefined();
  });

  it("the generators' code fails `node --test` on WU-02's test; the fixer's version passes", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-tiny-cli-'));
    const put = (files: Record<string, string>) => {
      for (const [f, text] of Object.entries(files)) {
        if (f.startsWith('.agent/')) continue;
        mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        writeFileSync(path.join(dir, f), text);
      }
    };
    for (const u of ['WU-01', 'WU-02', 'WU-03']) put(writes(`dkmv-harness role=generator unit=${u} round=1 attempt=1`));
    const run = () => {
      try {
        execFileSync(process.execPath, ['--test'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
        return { ok: true, out: '' };
      } catch (err) {
        return { ok: false, out: String((err as { stdout?: string }).stdout) };
      }
    };
    const first = run();
    expect(first.ok).toBe(false);
    expect(first.out).toContain('count.test.mjs');
    // the real runner's output (passing top.test.mjs included) goes to WU-02 alone
    const plan = checkPlan(JSON.parse(writes('dkmv-harness role=planner attempt=1')['.agent/plan.json']!));
    const report = judgeCheck({
      round: 1,
      commit: 'c',
      commands: [{ command: 'npm test', exit_code: 1, duration_ms: 1, timed_out: false, output: first.out }],
    });
    expect(
      ownersOfCheckFailures(report, ownerManifest(plan.ok ? plan.plan : (undefined as never))).map((f) => f.unit),
    ).toEqual(['WU-02']);
    // the fixer's bash turn rewrites src/count.mjs with a heredoc: apply the same text
    const fix = session('dkmv-harness role=fixer unit=WU-02 round=2')!
      .turns.flatMap((t) => t.calls)
      .find((c) => c.kind === 'bash' && c.command.includes('cat > src/count.mjs'));
    const body = /<<'JS'\n([\s\S]*?)JS\n/.exec(fix!.kind === 'bash' ? fix!.command : '')![1]!;
    writeFileSync(path.join(dir, 'src/count.mjs'), body);
    expect(run()).toEqual({ ok: true, out: '' });
  });
});
