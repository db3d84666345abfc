// The planner's self-check, run inside its sandbox as `node .agent/check-plan.mjs [file]`: Gate 1
// (core/harness/gate1.ts, the same code the harness runs after the planner) on `.agent/plan.json`.
// Bundled into one file by plan-check-script.ts; never imported by dkmv itself.
import { readFileSync } from 'node:fs';
import { checkPlan, formatProblems } from '../../core/harness/gate1.js';

const file = process.argv[2] ?? '.agent/plan.json';
let raw: unknown;
try {
  raw = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.log(`G1.1: ${file} is not readable JSON: ${(err as Error).message}`);
  process.exit(1);
}
const result = checkPlan(raw);
console.log(result.ok ? 'ok' : formatProblems(result.problems));
process.exit(result.ok ? 0 : 1);
