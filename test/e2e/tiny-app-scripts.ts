// Model scripts of the tiny-app harness build that the harness e2e files share, derived from the
// shipped script: generators with real models' habits (harness.test.ts builds with them); a unit
// evaluator that fails WU-02-C2, a dead button (harness-outcomes ships it with remaining issues);
// and that build fixed in round 2 the way real models go about it, with a rejected first plan, a
// fixer that runs `npm install` and a round-2 evaluator that ends without a report (harness-crash
// builds it while its worker is killed in every phase).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { FIXTURE_SCRIPT } from '../../cli/commands/harness-test.js';
import { DKMV_HOME } from '../../core/project.js';

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

type Session = Script['sessions'][number];
type FileWrite = { path: string; content: string };

/** The `write` of the session's turn that writes `file` (edited in place to change the script). */
function fileWrite(session: Session, file: string): FileWrite {
  return (session.turns as { write?: FileWrite }[]).find((t) => t.write?.path === file)!.write!;
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
  const write = fileWrite(
    script.sessions.find((s) => s.match.includes('batch=r1-b1'))!,
    '.agent/eval_report.json',
  );
  const report = JSON.parse(write.content) as { verdict: string; criteria: Criterion[] };
  const c = report.criteria.find((x) => x.criterion_id === 'WU-02-C2')!;
  Object.assign(c, {
    score: 3,
    passed: false,
    evidence: 'Clicked #inc three times in Chromium at 1440x900: the count stayed at 1 after the first click (s2)',
    fix_hint: 'public/widgets.js:createCounter — read the count from the element on every click',
  });
  report.verdict = 'RETRY';
  write.content = JSON.stringify(report, null, 2);
  return script;
}

/** A round-1 evaluator session of the shipped script, as the same batch's session in round 2. */
function inRound2(session: Session): Session {
  const text = JSON.stringify(session)
    .replace(/r1-(b1|int)/g, 'r2-$1')
    .replace(/round=1/g, 'round=2')
    .replace(/\\"round\\": 1,/g, '\\"round\\": 2,');
  const out = JSON.parse(text) as Session;
  // a real model reads the previous report it was given before it re-tests
  out.turns.unshift({ bash: 'head -c 400 .agent/previous_eval_report.json' });
  return out;
}

/**
 * The planner's first plan gives WU-03 only 4 criteria (Gate 1 rejects it); its re-run checks the
 * previous plan and its new one with the staged Gate 1 script before it finishes.
 */
function plannerSessions(shippedPlanner: Session): Session[] {
  const write = fileWrite(shippedPlanner, '.agent/plan.json');
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

export const README = readFileSync(path.join(DKMV_HOME, 'components/harness/fixtures/tiny-app/README.md'), 'utf8');

const report = (unit: string) => ({
  write: {
    path: '.agent/generator_report.json',
    content: JSON.stringify({ unit_id: unit, symbols_implemented: [], notes: 'scripted like a real model' }),
  },
});

/** WU-02: header comment, private helper, `npm install`, and an edit of README.md it may not make. */
const WU02_A1 = [
  { bash: 'cat public/widgets.js' },
  { bash: "sed -i '1s|^|// Shared widgets; the counter (WU-02) is at the end.\\n|' public/widgets.js" },
  {
    bash: [
      "cat >> public/widgets.js <<'JS'",
      '',
      'const counterStep = 1;',
      '',
      'export function createCounter() {',
      "  const box = el('section');",
      "  const count = el('output', '0');",
      "  count.id = 'count';",
      "  const inc = el('button', '+1');",
      "  inc.id = 'inc';",
      "  inc.addEventListener('click', () => {",
      '    count.textContent = String(Number(count.textContent) + counterStep);',
      '  });',
      '  box.append(count, inc);',
      '  return box;',
      '}',
      'JS',
    ].join('\n'),
  },
  { bash: 'npm install --no-audit --no-fund; echo "Counter notes." >> README.md' },
  report('WU-02'),
  { text: 'WU-02 done.' },
];

/** WU-02's retry: its counter is already on the branch; it only restores README.md. */
const WU02_A2 = [
  { bash: "grep -c 'export function createCounter' public/widgets.js && grep -c 'Counter notes' README.md" },
  // Claude Code's Write refuses a file it has not read: a shell redirect, as a model would do here.
  { bash: `cat > README.md <<'MD'\n${README}MD` },
  report('WU-02'),
  { text: 'WU-02 retry done: README.md restored.' },
];

/** WU-03: a local package it declares, installed with npm (package.json, lockfile, node_modules). */
const WU03 = [
  {
    write: {
      path: 'vendor/todo-format/package.json',
      content: '{ "name": "todo-format", "version": "1.0.0", "type": "module", "main": "index.js" }\n',
    },
  },
  { write: { path: 'vendor/todo-format/index.js', content: 'export const trimTodo = (s) => s.trim();\n' } },
  // No package.json yet (WU-01 writes it in parallel): start one, as a model would, so npm installs here.
  {
    bash: "test -f package.json || echo '{}' > package.json; npm install --no-audit --no-fund ./vendor/todo-format && ls node_modules",
  },
  {
    bash: [
      "cat >> public/widgets.js <<'JS'",
      '',
      '// Todo list (WU-03).',
      'function todoItem(text) {',
      "  return el('li', text);",
      '}',
      '',
      'export function createTodo() {',
      "  const box = el('section');",
      "  const text = el('input');",
      "  text.id = 'todo-text';",
      "  const add = el('button', 'Add');",
      "  add.id = 'todo-add';",
      "  const list = el('ul');",
      "  list.id = 'todo-list';",
      "  add.addEventListener('click', () => {",
      '    if (!text.value.trim()) return;',
      '    list.append(todoItem(text.value.trim()));',
      "    text.value = '';",
      '  });',
      '  box.append(text, add, list);',
      '  return box;',
      '}',
      'JS',
    ].join('\n'),
  },
  report('WU-03'),
  { text: 'WU-03 done.' },
];

/**
 * The shipped script with generators that behave like real coding models (a header comment and a
 * private helper in the shared file, `npm install` of a local package WU-03 declares and owns under
 * vendor/, a README edit WU-02 may not make and its retry that only undoes it).
 */
export function realHabitsScript(): Script {
  const sessions = shipped().sessions;
  const write = fileWrite(
    sessions.find((s) => s.match.includes('role=planner'))!,
    '.agent/plan.json',
  );
  const plan = JSON.parse(write.content) as { units: { id: string; owns: string[]; dependencies?: object }[] };
  const wu3 = plan.units.find((u) => u.id === 'WU-03')!;
  wu3.owns.push('vendor/');
  wu3.dependencies = { 'todo-format': 'file:vendor/todo-format' };
  write.content = JSON.stringify(plan, null, 2);
  const gen = (unit: string, attempt: number) => `dkmv-harness role=generator unit=${unit} round=1 attempt=${attempt}`;
  const out = sessions.filter((s) => !s.match.includes('unit=WU-02') && !s.match.includes('unit=WU-03'));
  out.push({ match: gen('WU-02', 1), turns: WU02_A1 }, { match: gen('WU-02', 2), turns: WU02_A2 });
  out.push({ match: gen('WU-03', 1), turns: WU03 });
  return { sessions: out };
}
