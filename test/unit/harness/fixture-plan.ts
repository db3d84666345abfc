// The shipped fixture's plan, read from the planner session of its model script (one source of truth),
// and a helper to derive broken variants from it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseModelScript } from '../../../core/model-script/parse.js';

export const FIXTURE_SCRIPT = path.resolve(
  import.meta.dirname,
  '../../../components/harness/model-scripts/tiny-app.yaml',
);

export function fixturePlan(): Record<string, unknown> {
  const script = parseModelScript(readFileSync(FIXTURE_SCRIPT, 'utf8'), FIXTURE_SCRIPT);
  const planner = script.sessions.find((s) => s.matchSource?.includes('role=planner'));
  const call = planner?.turns.flatMap((t) => t.calls).find((c) => c.kind === 'write' && c.path === '.agent/plan.json');
  if (!call || call.kind !== 'write') throw new Error('the fixture script writes no plan');
  return JSON.parse(call.content) as Record<string, unknown>;
}

/** A deep copy of the fixture plan, changed by `edit`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variants edit arbitrary plan JSON
export function variant(edit: (plan: any) => void): unknown {
  const plan = structuredClone(fixturePlan());
  edit(plan);
  return plan;
}
