// The harness's ownership allowances on real touched-symbol diffs: what real coding models do beside
// their unit (lockfiles, header comments, private helpers, dependency entries, new files of their
// own) passes; another unit's symbol is a violation named with its rule, file and lines.
import { describe, expect, it } from 'vitest';
import { checkOwnership, type FileChange } from '../../../core/merge/index.js';
import { describeViolation, judgeViolations, ownershipRules } from '../../../core/harness/ownership-rules.js';
import type { HarnessPlan } from '../../../core/harness/plan-schema.js';
import { ownershipMap } from '../../../core/harness/plan-views.js';
import { checkPlan } from '../../../core/harness/gate1.js';
import { fixturePlan } from './fixture-plan.js';

const plan = (() => {
  const gate = checkPlan(fixturePlan());
  if (!gate.ok) throw new Error(gate.problems.join('\n'));
  return gate.plan as HarnessPlan;
})();

async function judge(unit: string, changes: FileChange[]) {
  const touched = await checkOwnership(unit, ownershipMap(plan), changes);
  return judgeViolations(unit, touched, changes, ownershipRules(plan));
}

const WIDGETS = '// Widgets.\n\nexport function el(tag) {\n  return document.createElement(tag);\n}\n';

describe('harness ownership rules', () => {
  it('allows a lockfile, a header comment, a private helper, dependency entries and a new file of its own', async () => {
    const judged = await judge('WU-02', [
      { file: 'package-lock.json', base: undefined, head: '{"lockfileVersion":3}\n' },
      {
        file: 'public/widgets.js',
        base: WIDGETS,
        head: `// Widgets: shared helpers, one widget per unit.\n${WIDGETS.slice(12)}\nconst STEP = 1;\n\nexport function createCounter() {\n  return el('section');\n}\n`,
      },
      {
        file: 'package.json',
        base: '{"name":"tiny","scripts":{"start":"node server.mjs"}}\n',
        head: '{"name":"tiny","scripts":{"start":"node server.mjs"},"dependencies":{"marked":"^12.0.0"}}\n',
      },
      {
        file: 'public/counter-format.js',
        base: undefined,
        head: '// Counter formatting.\nexport const fmt = (n) => String(n);\n',
      },
    ]);
    expect(judged.filter((v) => !v.allowed)).toEqual([]);
    expect(new Set(judged.map((v) => v.rule))).toEqual(
      new Set(['derived file', 'comment', 'private helper', 'dependency entries', 'new file of this unit']),
    );
  });

  it('rejects another unit’s symbol and old unowned code, naming rule, file and lines', async () => {
    const judged = await judge('WU-02', [
      {
        file: 'public/widgets.js',
        base: WIDGETS,
        head: `${WIDGETS.replace('createElement(tag)', 'createElement(tag.toLowerCase())')}\nexport function createTodo() {\n  return el('ul');\n}\n`,
      },
    ]);
    const lines = judged.filter((v) => !v.allowed).map(describeViolation);
    expect(lines).toEqual([
      expect.stringMatching(/^public\/widgets\.js lines 3–5: el \(modified\) — rule "code that existed before"/),
      expect.stringMatching(
        /^public\/widgets\.js lines 7–9: createTodo \(added\) — rule "owned by another unit": WU-03 owns it/,
      ),
    ]);
  });

  it('never calls a unit’s own new code someone else’s', async () => {
    const judged = await judge('WU-02', [
      {
        file: 'public/widgets.js',
        base: WIDGETS,
        head: `${WIDGETS}\nexport function createCounter() {\n  return el('p');\n}\n`,
      },
    ]);
    expect(judged).toEqual([]);
  });
});
