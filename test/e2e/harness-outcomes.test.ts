// Honest outcomes end to end: `dkmv test harness` (the real CLI in a child process, a real worker,
// real sandbox containers, the real Claude Code CLI against the mock model, real Chromium) builds
// the tiny-app fixture; its unit evaluator scores one criterion 3, and with one round allowed the
// build ships with remaining issues. The CLI exits 4, and `dkmv show` says so, with each child's
// real status and cost (the evaluators' costs are what their own runs report). The same build fixed
// in round 2 (a fix whose commit carries a lockfile, re-runs given their previous plan and report, a
// failed evaluator shown with its cost) is built by harness-crash.test.ts, whose worker is killed in
// every phase: one build for both (until 2026-12-08 it was a second test here).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatorChildId } from '../../core/harness/ids.js';
import { tempDir } from '../support/e2e.js';
import { runDkmv } from '../support/dkmv-cli.js';
import { startTestWorker, type RunningWorker } from '../support/temporal.js';
import { failingScript, writeScript } from './tiny-app-scripts.js';

let worker: RunningWorker;
let outputDir: string;
let root: string;

beforeAll(async () => {
  worker = await startTestWorker();
  root = tempDir('harness-outcomes');
  outputDir = path.join(root, 'out'); // run folders in its runs/
});
afterAll(async () => {
  await worker?.stop();
});

/** The compiled CLI against this file's worker and run folder. */
const dkmv = (args: string[]) => runDkmv(args, { taskQueue: worker.target.taskQueue, outputDir, timeoutMs: 540_000 });

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

describe('harness outcomes (real CLI, worker, containers, Claude Code, Chromium)', () => {
  it('a build shipped with remaining issues exits 4; dkmv show says so with every child’s real status and cost', async () => {
    const r = await dkmv([
      'test',
      'harness',
      '--script',
      writeScript(failingScript(), root, 'failing-tiny-app.yaml'),
      '--max-rounds',
      '1',
    ]);
    if (r.code !== 4) console.error(r.out);
    expect(r.code).toBe(4);
    expect(r.out).toContain('outcome: shipped with remaining issues (exit 4)');
    expect(r.out).toMatch(/eval round 1: r1-b1 \(WU-01, WU-02, WU-03\) {2}RETRY {2}14\/15/);
    expect(r.out).not.toMatch(/matched no session/);
    const runId = /run {5}(\S+)/.exec(r.out)![1]!;
    const [, repo, branch] = /repo {4}(\S+) {2}branch (\S+)/.exec(r.out)!;

    // dkmv show (text): the outcome, the evaluator rows as their runs ended
    const text = await dkmv(['show', runId]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('outcome shipped with remaining issues');
    const b1 = evaluatorChildId(runId, 'r1-b1', 1);
    expect(text.out).toMatch(
      new RegExp(`${b1}[\\s│]+evaluator r1-b1 \\(WU-01, WU-02, WU-03\\)[\\s│]+completed[\\s│]+\\$0\\.\\d{4}`),
    );

    // dkmv show --json: each evaluator's status and cost are its own run's
    const shown = JSON.parse((await dkmv(['show', runId, '--json'])).stdout) as {
      harness: {
        outcome: string;
        children: { workflow_id: string; role: string; status: string; cost_usd: number }[];
      };
      cost_usd?: number;
    };
    expect(shown.harness.outcome).toBe('with_issues');
    const evaluators = shown.harness.children.filter((c) => c.role === 'evaluator');
    expect(evaluators.map((c) => c.workflow_id)).toEqual([b1, evaluatorChildId(runId, 'r1-int', 1)]);
    for (const e of evaluators) {
      const own = JSON.parse((await dkmv(['show', e.workflow_id, '--json'])).stdout) as {
        status: string;
        cost_usd: number;
      };
      expect(e.status).toBe(own.status);
      expect(e.cost_usd).toBeGreaterThan(0);
      expect(e.cost_usd).toBeCloseTo(own.cost_usd, 4);
    }

    // the report on the branch: the outcome, the remaining issue, every child's cost summing to the total
    const report = git(repo!, 'show', `${branch}:docs/harness/report.md`);
    expect(report).toContain('- Outcome: shipped with remaining issues');
    expect(report).toMatch(/\*\*WU-02-C2\*\* \(WU-02\), score 3/);
    const costs = [...report.matchAll(/^\| `[^`]+` \| \w+ \| [^|]* \| \w+ \| \$(\d+\.\d{4}) \|$/gm)].map((m) =>
      Number(m[1]),
    );
    expect(costs).toHaveLength(shown.harness.children.length);
    const total = Number(/^\| \*\*total\*\* \|.*\| \$(\d+\.\d{4})/m.exec(report)![1]);
    expect(total).toBeGreaterThan(0);
    expect(costs.reduce((s, c) => s + c, 0)).toBeCloseTo(total, 3);
  });
});
