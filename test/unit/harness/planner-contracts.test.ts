// The planner's contracts as it receives them: the example plan in its prompt passes Gate 1, and the
// self-check script staged into its branch (.agent/check-plan.mjs) is Gate 1 itself, runnable by
// plain node with nothing installed, printing schema errors together with the rule violations.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCheckScript } from '../../../activities/harness/plan-check-script.js';
import { checkPlan } from '../../../core/harness/gate1.js';
import { variant } from './fixture-plan.js';

const PROMPT = path.resolve(import.meta.dirname, '../../../components/harness/planner/prompts/plan.md');

function examplePlan(): unknown {
  const text = readFileSync(PROMPT, 'utf8');
  const block = /# A complete example plan[^\n]*\n\n```json\n([\s\S]*?)\n```/.exec(text);
  if (!block) throw new Error('the planner prompt has no example plan');
  return JSON.parse(block[1]!);
}

describe('planner contracts', () => {
  it('the example plan in the prompt passes Gate 1', () => {
    const gate = checkPlan(examplePlan());
    expect(gate.ok ? [] : gate.problems).toEqual([]);
  });

  it('the staged check script is Gate 1: ok for a good plan, every problem (schema and rules) for a bad one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-plancheck-'));
    writeFileSync(path.join(dir, 'check-plan.mjs'), await planCheckScript());
    const run = (plan: unknown) => {
      writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan));
      try {
        return { code: 0, out: execFileSync('node', ['check-plan.mjs', 'plan.json'], { cwd: dir, encoding: 'utf8' }) };
      } catch (err) {
        const e = err as { status: number; stdout: string };
        return { code: e.status, out: e.stdout };
      }
    };
    expect(run(examplePlan())).toEqual({ code: 0, out: 'ok\n' });
    const bad = run(
      variant((plan) => {
        plan.units[0].complexity = 'huge';
        plan.app.start = 'npx vite';
      }),
    );
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^1\. G1\.1: units\[0\]\.complexity/);
    expect(bad.out).toContain('G1.12: app.start must make the app listen on 127.0.0.1:$PORT');
  });
});
