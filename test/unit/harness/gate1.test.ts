// Gate 1 (G1.1–G1.12) on the fixture plan and on one broken variant per rule.
import { describe, expect, it } from 'vitest';
import { checkPlan, formatProblems } from '../../../core/harness/gate1.js';
import { fixturePlan, variant } from './fixture-plan.js';

function problemsOf(plan: unknown): string[] {
  const result = checkPlan(plan);
  return result.ok ? [] : result.problems;
}

describe('Gate 1', () => {
  it('accepts the shipped fixture plan', () => {
    const result = checkPlan(fixturePlan());
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(result.ok && result.plan.units.map((u) => u.id)).toEqual(['WU-01', 'WU-02', 'WU-03']);
  });

  it('G1.1: schema errors name the field', () => {
    const p = problemsOf(
      variant((plan) => {
        delete plan.spec.overview;
        plan.units[0].complexity = 'huge';
      }),
    );
    expect(p.some((x) => x.startsWith('G1.1: spec.overview'))).toBe(true);
    expect(p.some((x) => x.startsWith('G1.1: units[0].complexity'))).toBe(true);
    expect(problemsOf({})).toContainEqual(expect.stringMatching(/^G1\.1: version/));
  });

  it('G1.2: duplicate unit and criterion ids', () => {
    const p = problemsOf(
      variant((plan) => {
        plan.units[2].id = 'WU-02';
        plan.units[1].criteria[1].id = 'WU-02-C1';
      }),
    );
    expect(p).toContain('G1.2: unit id WU-02 is used more than once');
    expect(p).toContain('G1.2: criterion id WU-02-C1 is used more than once');
  });

  it('G1.3: fewer than 5 criteria', () => {
    const p = problemsOf(variant((plan) => plan.units[1].criteria.pop()));
    expect(p).toContain('G1.3: unit WU-02 has 4 acceptance criteria; it needs at least 5');
  });

  it('G1.4: a duplicate owner is named, and so is a key covered by another unit', () => {
    const dup = problemsOf(variant((plan) => plan.units[2].owns.push('public/widgets.js:createCounter')));
    expect(dup).toContainEqual(
      expect.stringContaining('G1.4: public/widgets.js:createCounter has more than one owner (WU-02, WU-03)'),
    );
    const covered = problemsOf(variant((plan) => plan.units[0].owns.push('public/')));
    expect(covered).toContainEqual(
      expect.stringContaining('G1.4: WU-01 owns public/, which covers public/widgets.js:createCounter owned by WU-02'),
    );
    const member = problemsOf(
      variant((plan) => {
        plan.units[1].owns = ['public/widgets.js:Counter'];
        plan.units[1].creates = [];
        plan.units[2].owns = ['public/widgets.js:Counter.inc'];
        plan.units[2].creates = [];
      }),
    );
    expect(member).toContainEqual(
      expect.stringContaining('G1.4: WU-02 owns public/widgets.js:Counter, which covers public/widgets.js:Counter.inc'),
    );
  });

  it('G1.5: creates outside owns', () => {
    const p = problemsOf(
      variant((plan) => plan.units[1].creates.push({ symbol: 'extra', file: 'public/other.js', export: 'extra' })),
    );
    expect(p).toContainEqual(expect.stringContaining('G1.5: unit WU-02 creates public/other.js:extra'));
  });

  it('G1.6: aggregation symbols required with several units, and owned by their listed owner', () => {
    const none = problemsOf(
      variant((plan) => {
        plan.aggregation_symbols = [];
      }),
    );
    expect(none).toContainEqual(expect.stringMatching(/^G1\.6: with more than one unit/));
    const wrong = problemsOf(
      variant((plan) => {
        plan.aggregation_symbols[0].owner = 'WU-02';
      }),
    );
    expect(wrong).toContainEqual(
      'G1.6: aggregation symbol public/app.js:main lists owner WU-02, but its owns entries give it to WU-01',
    );
  });

  it('G1.7: manifest rows: one per symbol, right owner, unique exports', () => {
    const missing = problemsOf(variant((plan) => plan.file_manifest.splice(2, 1)));
    expect(missing).toContainEqual(
      expect.stringContaining(
        'G1.7: public/widgets.js:createTodo (unit WU-03) needs exactly one file_manifest row; found 0',
      ),
    );
    const owner = problemsOf(
      variant((plan) => {
        plan.file_manifest[1].owner = 'WU-03';
      }),
    );
    expect(owner).toContainEqual(expect.stringContaining('names owner WU-03; it belongs to WU-02'));
    const twice = problemsOf(variant((plan) => plan.file_manifest.push({ ...plan.file_manifest[0], symbol: 'other' })));
    expect(twice).toContainEqual('G1.7: file_manifest lists public/app.js export main more than once');
  });

  it('G1.8: contract units must exist; wired symbols of another unit need a contract', () => {
    const unknown = problemsOf(
      variant((plan) => {
        plan.shared_contracts.functions[0].used_by = ['WU-09'];
      }),
    );
    expect(unknown).toContainEqual('G1.8: shared contract function createCounter names unknown unit WU-09');
    const missing = problemsOf(
      variant((plan) => {
        plan.shared_contracts.functions = [];
      }),
    );
    expect(missing).toContainEqual(expect.stringContaining('G1.8: WU-01 wires createCounter (owned by WU-02)'));
  });

  it('G1.9: hex colours and banned fonts; design direction required for a UI', () => {
    const p = problemsOf(
      variant((plan) => {
        plan.spec.design_direction.palette[0].hex = 'navy';
        plan.spec.design_direction.typography.body = 'Inter, sans-serif';
      }),
    );
    expect(p).toContainEqual(expect.stringContaining('G1.9: palette colour ink has hex "navy"'));
    expect(p).toContainEqual(expect.stringContaining('G1.9: typography.body uses Inter, sans-serif'));
    const none = problemsOf(
      variant((plan) => {
        delete plan.spec.design_direction;
      }),
    );
    expect(none).toContainEqual(expect.stringMatching(/^G1\.9: the plan has UI criteria/));
  });

  it('G1.10: startup and console-error overall criteria', () => {
    const p = problemsOf(
      variant((plan) => {
        plan.overall_criteria[0].text = 'Everything is documented in the readme';
        plan.overall_criteria[1].text = 'The home page looks good on a phone screen';
      }),
    );
    expect(p).toContainEqual(expect.stringMatching(/^G1\.10: overall_criteria need a startup criterion/));
    expect(p).toContainEqual(expect.stringMatching(/^G1\.10: overall_criteria need a "no console errors"/));
  });

  it('G1.11: absolute, .. and reserved paths', () => {
    const p = problemsOf(
      variant((plan) => plan.units[0].owns.push('/etc/passwd', '../x.js', '.agent/notes.md', 'node_modules/')),
    );
    for (const bad of [
      '/etc/passwd is not a relative path',
      '../x.js contains ..',
      '.agent/notes.md is under .agent/',
      'node_modules/ is under node_modules/',
    ])
      expect(p).toContainEqual(expect.stringContaining(`G1.11: path ${bad}`));
  });

  it('G1.12: install and start are required; port is not', () => {
    const p = problemsOf(
      variant((plan) => {
        delete plan.app.start;
        plan.app.install = ' ';
        delete plan.app.port;
      }),
    );
    expect(p).toEqual([expect.stringMatching(/^G1\.12: app\.install/), expect.stringMatching(/^G1\.12: app\.start/)]);
  });

  it('G1.12: the start command says it listens on $PORT', () => {
    const p = problemsOf(variant((plan) => (plan.app.start = 'npx vite')));
    expect(p).toEqual([expect.stringMatching(/^G1\.12: app\.start must make the app listen on 127\.0\.0\.1:\$PORT/)]);
  });

  it('G1.1: a schema error does not hide the other problems', () => {
    const p = problemsOf(
      variant((plan) => {
        plan.units[0].complexity = 'huge';
        plan.units[1].owns.push('public/app.js:main');
        plan.app.start = 'npx vite';
      }),
    );
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^G1\.1: units\[0\]\.complexity/),
        expect.stringMatching(/^G1\.4: WU-01 owns public\/app\.js, which covers public\/app\.js:main owned by WU-02/),
        expect.stringMatching(/^G1\.12: app\.start must/),
      ]),
    );
  });

  it('formats problems as a numbered list', () => {
    expect(formatProblems(['a', 'b'])).toBe('1. a\n2. b');
  });
});
