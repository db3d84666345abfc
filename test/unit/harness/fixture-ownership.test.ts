// The fixture's generators stay inside their ownership: appending a function to the shared
// widgets.js touches only that symbol (what checkBranchOwnership will see after the real run).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../core/harness/gate1.js';
import { ownershipMap } from '../../../core/harness/plan-views.js';
import { checkOwnership } from '../../../core/merge/index.js';
import { fixturePlan } from './fixture-plan.js';

const WIDGETS = readFileSync(
  path.resolve(import.meta.dirname, '../../../components/harness/fixtures/tiny-app/public/widgets.js'),
  'utf8',
);

function owners(): Record<string, string> {
  const r = checkPlan(fixturePlan());
  if (!r.ok) throw new Error('fixture plan rejected');
  return ownershipMap(r.plan);
}

describe('fixture ownership', () => {
  it('appending createCounter is inside WU-02; touching el or main is a violation', async () => {
    const head = `${WIDGETS}\nexport function createCounter() {\n  return el('section');\n}\n`;
    expect(await checkOwnership('WU-02', owners(), [{ file: 'public/widgets.js', base: WIDGETS, head }])).toEqual([]);
    const edited = head.replace('node.textContent = text;', 'node.textContent = String(text);');
    const v = await checkOwnership('WU-02', owners(), [{ file: 'public/widgets.js', base: WIDGETS, head: edited }]);
    expect(v).toEqual([expect.objectContaining({ file: 'public/widgets.js', symbol: 'el', owner: null })]);
    const app = await checkOwnership('WU-03', owners(), [
      { file: 'public/app.js', base: undefined, head: 'export function main() {}\n' },
    ]);
    expect(app).toEqual([expect.objectContaining({ file: 'public/app.js', owner: 'WU-01' })]);
  });
});
