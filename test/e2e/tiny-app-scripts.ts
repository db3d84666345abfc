// Model scripts of the tiny-app harness build that two e2e files share, derived from the shipped
// script: one whose unit evaluator fails WU-02-C2 (a dead button), and one fixed in round 2 the way
// real models go about it (a rejected first plan, a fixer that runs `npm install`, a round-2
// evaluator that ends without a report). harness-outcomes ships the first with remaining issues;
// harness-crash builds the second while its worker is killed in every phase.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { FIXTURE_SCRIPT } from '../../cli/commands/harness-test.js';

interface Criterion {
  criterion_id: string;
  score: number;
  passed: boolean;
  evidence: string;
  fix_hint: string | null;
}

export interface Script {
  sessions: {
    match: string;
    usage?: { input_tokens: number; output_tokens: number };
    delay_ms?: number;
    turns: unknown[];
  }[];
}

/** The shipped tiny-app script (`dkmv test harness`'s default). */
export const shipped = (): Script => parse(readFileSync(FIXTURE_SCRIPT, 'utf8')) as Script;

/** Writes `script` as `dir/name` for `--script` or the mock model; returns its path. */
export function writeScript(script: Script, dir: string, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, stringify(script));
  return file;
}

/** The shipped script, with the unit evaluator scoring WU-02-C2 at 3 (a dead button, with a fix hint). */
export function failingScript(): Script {
  const script = shipped();
  const session = script.sessions.find((s) => s.match.includes('batch=r1-b1'))!;
  const turn = session.turns.find(
    (t) => (t as { write?: { path: string } }).write?.path === '.agent/eval_report.json',
  ) as { write: { content: string } };
  const report = JSON.parse(turn.write.content) as { verdict: string; criteria: Criterion[] };
  const c = report.criteria.find((x) => x.criterion_id === 'WU-02-C2')!;
  Object.assign(c, {
    score: 3,
    passed: false,
    evidence: 'Clicked #inc three times in Chromium at 1440x900: the count stayed at 1 after the first click (s2)',
    fix_hint: 'public/widgets.js:createCounter — read the count from the element on every click',
  });
  report.verdict = 'RETRY';
  turn.write.content = JSON.stringify(report, null, 2);
  return script;
}

/** A round-1 evaluator session of the shipped script, as the same batch's session in round 2. */
function inRound2(session: Script['sessions'][number]): Script['sessions'][number] {
  const text = JSON.stringify(session)
    .replace(/r1-(b1|int)/g, 'r2-$1')
    .replace(/round=1/g, 'round=2')
    .replace(/\\"round\\": 1,/g, '\\"round\\": 2,');
  const out = JSON.parse(text) as Script['sessions'][number];
  // a real model reads the previous report it was given before it re-tests
  out.turns.unshift({ bash: 'head -c 400 .agent/previous_eval_report.json' });
  return out;
}

type Session = Script['sessions'][number];
type PlanWrite = { write?: { path: string; content: string } };

/**
 * The planner's first plan gives WU-03 only 4 criteria (Gate 1 rejects it); its re-run checks the
 * previous plan and its new one with the staged Gate 1 script before it finishes.
 */
function plannerSessions(shippedPlanner: Session): Session[] {
  const write = (shippedPlanner.turns as PlanWrite[]).find((t) => t.write?.path === '.agent/plan.json')!.write!;
  const bad = JSON.parse(write.content) as { units: { criteria: unknown[] }[] };
  bad.units[2]!.criteria = bad.units[2]!.criteria.slice(0, 4);
  const first = { ...shippedPlanner, turns: [{ write: { path: '.agent/plan.json', content: JSON.stringify(bad) } }] };
  const again: Session = {
    match: 'dkmv-harness role=planner attempt=2',
    turns: [
      { bash: 'node .agent/check-plan.mjs .agent/previous_plan.json || echo "previous plan: rejected"' },
      { write },
      { bash: 'node .agent/check-plan.mjs && echo "gate1 self-check: passed"' },
      { text: 'Plan fixed: WU-03 has 5 criteria.' },
    ],
  };
  return [first, again];
}

/** r2-int: the first evaluator ends without a report (a failed child that spent money); the re-run reports. */
function integrationRound2(shippedInt: Session): Session[] {
  const rerun = inRound2(shippedInt);
  rerun.match = 'dkmv-harness role=evaluator batch=r2-int round=2[\\s\\S]*previous report was rejected';
  const failing: Session = {
    match: 'dkmv-harness role=evaluator batch=r2-int round=2',
    usage: { input_tokens: 7000, output_tokens: 1200 },
    turns: [{ bash: 'head -c 200 .agent/previous_eval_report.json' }, { text: 'Out of time before the report.' }],
  };
  return [rerun, failing];
}

const FIXER_WU02: Session = {
  match: 'dkmv-harness role=fixer unit=WU-02 round=2',
  turns: [
    { bash: 'npm install --no-audit --no-fund && test -f package-lock.json && git status --short' },
    {
      bash: "sed -i 's|^export function createCounter() {$|&\\n  // Fixed: the count is read from the element on every click.|' public/widgets.js",
    },
    {
      write: {
        path: '.agent/fixer_report.json',
        content: JSON.stringify({
          unit_id: 'WU-02',
          round: 2,
          fixed: [{ id: 'WU-02-C2', change: 'public/widgets.js:createCounter' }],
          not_fixed: [],
          notes: 'npm install, then the fix',
        }),
      },
    },
    { text: 'Fixed WU-02-C2.' },
  ],
};

/**
 * Round 1 fails WU-02-C2; round 2's WU-02 fixer does what a real one does — `npm install` (a
 * package-lock.json in its commit) and the fix inside createCounter — and round 2's evaluators pass
 * (r2-int on its Gate 4 re-run, after a first evaluator that failed). Before that, the planner's
 * first plan is rejected by Gate 1, and WU-02's generator looks for the browser it was promised.
 */
export function fixedInRound2Script(): Script {
  const script = failingScript();
  const original = shipped().sessions;
  const find = (needle: string) => original.find((s) => s.match.includes(needle))!;
  script.sessions = script.sessions.filter((s) => !s.match.includes('role=planner'));
  script.sessions.unshift(...plannerSessions(find('role=planner attempt=1')));
  script.sessions
    .find((s) => s.match.includes('unit=WU-02 round=1 attempt=1'))!
    .turns.unshift({ bash: 'test -x /usr/bin/chromium && echo "chromium: yes" || echo "chromium: no"' });
  script.sessions.push(inRound2(find('batch=r1-b1')), ...integrationRound2(find('batch=r1-int')), FIXER_WU02);
  return script;
}
