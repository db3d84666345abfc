// The harness with generators that behave like real coding models, end to end: the real CLI, worker,
// sandbox containers, Claude Code against the mock model, real git, real Chromium. The script is the
// shipped tiny-app script with its generators changed: a header comment and a private helper in the
// shared file, `npm install` of a unit-declared local package (package.json, lockfile, node_modules
// in the sandbox), and an edit outside the unit that is rejected — whose retry starts from the
// earlier commits and only undoes that edit. No unit's lockfile lands; the shipped one is regenerated
// from the merged manifest at integration.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { HarnessView } from '../../core/harness/types.js';
import { DKMV_HOME } from '../../core/project.js';
import { tempDir } from '../support/e2e.js';
import { runDkmv } from '../support/dkmv-cli.js';
import { startTestWorker, type RunningWorker } from '../support/temporal.js';

let worker: RunningWorker;
let outputDir: string;

beforeAll(async () => {
  worker = await startTestWorker();
  outputDir = tempDir('harness-contracts-runs');
});
afterAll(async () => {
  await worker?.stop();
});

/** The compiled CLI against this file's worker and run folder. */
const dkmv = (args: string[]) => runDkmv(args, { taskQueue: worker.target.taskQueue, outputDir, timeoutMs: 840_000 });

const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

const README = readFileSync(path.join(DKMV_HOME, 'components/harness/fixtures/tiny-app/README.md'), 'utf8');

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

/** The shipped script with these generators, WU-03 owning vendor/ and declaring its package. */
function script(): string {
  const file = path.join(DKMV_HOME, 'components/harness/model-scripts/tiny-app.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const sessions = doc.toJS().sessions as { match: string; turns: unknown[] }[];
  const planner = sessions.find((s) => s.match.includes('role=planner'))!;
  const write = (planner.turns as { write?: { path: string; content: string } }[][])
    .flat()
    .find((t) => t.write?.path === '.agent/plan.json')!.write!;
  const plan = JSON.parse(write.content) as { units: { id: string; owns: string[]; dependencies?: object }[] };
  const wu3 = plan.units.find((u) => u.id === 'WU-03')!;
  wu3.owns.push('vendor/');
  wu3.dependencies = { 'todo-format': 'file:vendor/todo-format' };
  write.content = JSON.stringify(plan, null, 2);
  const gen = (unit: string, attempt: number) => `dkmv-harness role=generator unit=${unit} round=1 attempt=${attempt}`;
  const out = sessions.filter((s) => !s.match.includes('unit=WU-02') && !s.match.includes('unit=WU-03'));
  out.push({ match: gen('WU-02', 1), turns: WU02_A1 }, { match: gen('WU-02', 2), turns: WU02_A2 });
  out.push({ match: gen('WU-03', 1), turns: WU03 });
  const target = path.join(tempDir('harness-contracts-script'), 'real-habits.yaml');
  writeFileSync(target, JSON.stringify({ sessions: out }, null, 2)); // JSON is YAML
  return target;
}

describe('harness contracts with real-model habits (real CLI, containers, Claude Code, Chromium)', () => {
  it('header comments, helpers, npm install and a declared package land; a rejected edit is retried from the earlier commits', async () => {
    const r = await dkmv(['test', 'harness', '--script', script()]);
    if (r.code !== 0) console.error(r.out);
    expect(r.out).not.toMatch(/matched no session/);
    expect(r.out).toMatch(/^completed/m);
    const runId = /run {5}(\S+)/.exec(r.out)![1]!;
    const [, repo, branch] = /repo {4}(\S+) {2}branch (\S+)/.exec(r.out)!;
    const view = JSON.parse(readFileSync(path.join(outputDir, 'runs', runId, 'harness.json'), 'utf8')) as HarnessView;

    // WU-01 and WU-03 land first time: the header comment, helpers, lockfile and package.json pass
    const attempts = Object.fromEntries(view.units.map((u) => [u.id, u.attempts]));
    expect(view.units.map((u) => [u.id, u.status, u.attempts.length])).toEqual([
      ['WU-01', 'landed', 1],
      ['WU-02', 'landed', 2],
      ['WU-03', 'landed', 1],
    ]);
    // WU-02's README edit is named with its rule; the retry starts from its earlier commits
    expect(attempts['WU-02']![0]!.violations).toEqual([
      expect.stringMatching(/^README\.md: the file \(modified\) — rule "code that existed before"/),
    ]);
    expect(attempts['WU-02']![1]!.carried).toBe('merged');

    const widgets = git(repo!, 'show', `${branch}:public/widgets.js`);
    expect(widgets.startsWith('// Shared widgets; the counter (WU-02) is at the end.\n')).toBe(true);
    expect(widgets.match(/export function createCounter/g)).toHaveLength(1);
    for (const part of ['const counterStep = 1;', 'function todoItem(text)', 'export function createTodo()'])
      expect(widgets).toContain(part);
    expect(git(repo!, 'show', `${branch}:README.md`)).toBe(README);
    // the declared package is in the manifest; no unit's lockfile and no node_modules land
    const manifest = JSON.parse(git(repo!, 'show', `${branch}:package.json`)) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'tiny-app', dependencies: { 'todo-format': 'file:vendor/todo-format' } });
    const files = git(repo!, 'ls-tree', '-r', '--name-only', branch!).split('\n');
    expect(files).toContain('vendor/todo-format/index.js');
    expect(files.filter((f) => f.includes('node_modules/'))).toEqual([]);
    // the unit's own branch has its lockfile (allowed there) but never node_modules (the commit step)
    const unitBranch = attempts['WU-03']![0]!.branch;
    const unitFiles = git(repo!, 'ls-tree', '-r', '--name-only', unitBranch).split('\n');
    expect(unitFiles).toContain('package-lock.json');
    // the shipped lockfile is the integration step's, regenerated from the merged manifest
    expect(view.lockfiles?.files).toEqual(['package-lock.json']);
    const lock = JSON.parse(git(repo!, 'show', `${branch}:package-lock.json`)) as {
      packages: Record<string, { dependencies?: Record<string, string> }>;
    };
    expect(lock.packages['']?.dependencies).toEqual({ 'todo-format': 'file:vendor/todo-format' });
    expect(unitFiles.filter((f) => f.includes('node_modules/'))).toEqual([]);
    // and the app it built installs (the local package) and passes smoke and evaluation
    expect(view.quality?.outcome).toBe('passed');
  }, 900_000);
});
