// The check contract (G1.13), the check report's pass rule and the mapping of a failing command's
// output to the units owning the files it names; and G1.10/G1.12 per app.kind.
import { describe, expect, it } from 'vitest';
import { judgeCheck, ownersOfCheckFailures, formatCheckFailures } from '../../../core/harness/check-report.js';
import { checkPlan } from '../../../core/harness/gate1.js';
import type { HarnessPlan } from '../../../core/harness/plan-schema.js';
import { ownerManifest } from '../../../core/harness/plan-views.js';
import { fixturePlan, variant } from './fixture-plan.js';

const problemsOf = (plan: unknown) => {
  const r = checkPlan(plan);
  return r.ok ? [] : r.problems;
};
const manifest = ownerManifest(fixturePlan() as unknown as HarnessPlan);
const SYNTAX = `/home/dkmv/workspace/public/widgets.js:14\n  return box\n         ^^^\nSyntaxError: Unexpected identifier 'box'`;

describe('check contract (G1.13)', () => {
  it('the fixture plan has one; a plan without check or with only blank commands is rejected', () => {
    expect(problemsOf(fixturePlan())).toEqual([]);
    expect(problemsOf(variant((p) => delete p.check))).toEqual([expect.stringMatching(/^G1\.13: check\.commands/)]);
    expect(problemsOf(variant((p) => (p.check.commands = ['  '])))).toEqual([expect.stringMatching(/^G1\.13/)]);
  });

  it('a cli build needs no start or console criterion; a web build still needs its start', () => {
    const cli = variant((p) => {
      p.app = { install: 'npm install', kind: 'cli' };
      p.overall_criteria = p.overall_criteria.map((c: { text: string }) => ({
        ...c,
        text: c.text.replace(/console/gi, 'terminal'),
      }));
    });
    expect(problemsOf(cli)).toEqual([]);
    const web = variant((p) => {
      delete p.app.start;
      p.app.kind = 'web';
    });
    expect(problemsOf(web)).toEqual([expect.stringMatching(/^G1\.12: app\.start/)]);
  });
});

describe('check report', () => {
  const ran = (command: string, exit: number | null, output = '') => ({
    command,
    exit_code: exit,
    duration_ms: 3,
    timed_out: false,
    output,
  });

  it('passes only when every command ran and exited 0', () => {
    expect(judgeCheck({ round: 1, commit: 'c', commands: [ran('npm install', 0), ran('npm test', 0)] })).toMatchObject({
      passed: true,
      failure_summary: null,
    });
    const failed = judgeCheck({
      round: 1,
      commit: 'c',
      commands: [ran('npm install', 0), ran('npm test', 1, SYNTAX), ran('tsc', null)],
    });
    expect(failed).toMatchObject({ passed: false, failure_summary: '`npm test` exited 1' });
    expect(judgeCheck({ round: 1, commit: 'c', commands: [] }).passed).toBe(false);
  });

  it('maps a failure to the owner of the files its output names, with the output verbatim', () => {
    const report = judgeCheck({ round: 1, commit: 'c', commands: [ran('npm test', 1, SYNTAX)] });
    const owned = ownersOfCheckFailures(report, { ...manifest, fileOwners: { 'public/widgets.js': 'WU-02' } });
    expect(owned).toEqual([{ unit: 'WU-02', error: '`npm test` exited 1', evidence: SYNTAX }]);
    const text = formatCheckFailures(owned, ['npm test']);
    expect(text).toContain('- Check: `npm test` exited 1');
    expect(text).toContain('Run it yourself until it passes: `npm test`');
    expect(text).toContain("    SyntaxError: Unexpected identifier 'box'");
  });

  it('a failure naming files of two units goes to both; one naming none goes to the aggregation owner', () => {
    const fileOwners = { 'src/a.js': 'WU-02', 'test/a.test.js': 'WU-03' };
    const two = judgeCheck({
      round: 1,
      commit: 'c',
      commands: [ran('npm test', 1, 'FAIL test/a.test.js\n  at run (src/a.js:3:9)')],
    });
    expect(ownersOfCheckFailures(two, { fileOwners, aggregationOwner: 'WU-01' }).map((f) => f.unit)).toEqual([
      'WU-03',
      'WU-02',
    ]);
    // a runner listing a passing file of another unit does not send that unit a fixer
    const tap = [
      'TAP version 13',
      '# Subtest: /home/dkmv/workspace/test/a.test.js',
      'not ok 1 - /home/dkmv/workspace/test/a.test.js',
      '# Subtest: /home/dkmv/workspace/test/b.test.js',
      'ok 2 - /home/dkmv/workspace/test/b.test.js',
      '# fail 1',
    ].join('\n');
    const one = judgeCheck({ round: 1, commit: 'c', commands: [ran('npm test', 1, tap)] });
    const owners = { ...fileOwners, 'test/b.test.js': 'WU-02' };
    expect(ownersOfCheckFailures(one, { fileOwners: owners, aggregationOwner: 'WU-01' }).map((f) => f.unit)).toEqual([
      'WU-03',
    ]);
    const none = judgeCheck({ round: 1, commit: 'c', commands: [ran('make', 2, 'make: *** [all] Error 2')] });
    expect(ownersOfCheckFailures(none, { fileOwners, aggregationOwner: 'WU-01' }).map((f) => f.unit)).toEqual([
      'WU-01',
    ]);
  });
});
