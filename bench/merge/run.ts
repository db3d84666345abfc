// npm run bench:merge — runs git merge-file, the dkmv structural merge and (when on PATH) mergiraf over
// the generated corpus and prints, per tool: clean merges, conflicts, wrong merges (clean, but not the
// expected result, or clean where the expected result is a real conflict) and time per file.
// Results are compared after normalizing whitespace at line ends and runs of blank lines, so a tool is
// not called wrong for a blank line; anything else must match exactly.
// Options: --verbose (list the wrong merges and unexpected conflicts), --only=<id substring>.
import { initParsers } from '../../core/merge/index.js';
import type { Case } from './scenarios.js';
import { patternCases } from './patterns.js';
import { symmetry } from './symmetry.js';
import { corpus } from './scenarios.js';
import type { Tool, ToolResult } from './tools.js';
import { gitMergeFile, mergiraf, mergirafAvailable, ours } from './tools.js';

interface Tally {
  tool: string;
  clean: number;
  conflicts: number;
  wrong: number;
  unexpectedConflicts: number;
  ms: number[];
  wrongIds: string[];
  unexpectedIds: string[];
  byCategory: Map<string, { conflicts: number; wrong: number }>;
  /** Each case's normalized text when the tool merged it cleanly. */
  cleanTexts: Map<string, string>;
}

const normalize = (text: string) =>
  text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();

function judge(c: Case, r: ToolResult): 'ok' | 'conflict' | 'wrong' {
  if (!r.clean) return 'conflict';
  if (c.expected === null) return 'wrong';
  const got = normalize(r.text);
  return [c.expected, ...c.alternatives].some((e) => normalize(e) === got) ? 'ok' : 'wrong';
}

function runTool(tool: Tool, cases: Case[]): Tally {
  const t: Tally = {
    tool: tool.name,
    clean: 0,
    conflicts: 0,
    wrong: 0,
    unexpectedConflicts: 0,
    ms: [],
    wrongIds: [],
    unexpectedIds: [],
    byCategory: new Map(),
    cleanTexts: new Map(),
  };
  for (const c of cases) {
    const r = tool.run(c);
    t.ms.push(r.ms);
    const verdict = judge(c, r);
    if (r.clean) t.cleanTexts.set(c.id, normalize(r.text));
    const cat = t.byCategory.get(c.category) ?? { conflicts: 0, wrong: 0 };
    if (verdict === 'conflict') {
      t.conflicts++;
      cat.conflicts++;
      if (c.expected !== null) {
        t.unexpectedConflicts++;
        t.unexpectedIds.push(c.id);
      }
    } else {
      t.clean++;
      if (verdict === 'wrong') {
        t.wrong++;
        cat.wrong++;
        t.wrongIds.push(c.id);
      }
    }
    t.byCategory.set(c.category, cat);
  }
  return t;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0] ?? []), sep, ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  await initParsers();
  const cases = [...corpus(), ...patternCases()].filter((c) => !only || c.id.includes(only));
  const real = cases.filter((c) => c.expected === null).length;
  const tools: Tool[] = [gitMergeFile, ours];
  if (mergirafAvailable()) tools.push(mergiraf);
  else console.log('mergiraf not on PATH: its column is skipped (cargo install mergiraf to add it)');

  // The first merge in a process pays for JIT and WASM warm-up: timed once on its own, then excluded.
  const first = cases[0];
  const cold = first ? tools.map((tool) => `${tool.name} ${tool.run(first).ms.toFixed(0)} ms`).join(', ') : '';
  const tallies = tools.map((tool) => runTool(tool, cases));
  const languages = [...new Set(cases.map((c) => c.file.slice(c.file.lastIndexOf('.'))))].join(' ');
  console.log(`corpus: ${cases.length} cases (${languages}), ${real} of them real conflicts`);
  console.log(`first merge in the process (warm-up, not in the table): ${cold}\n`);
  console.log(
    table([
      ['tool', 'clean', 'conflicts', 'conflicts not real', 'wrong merges', 'ms/file (median)', 'ms/file (p95)'],
      ...tallies.map((t) => [
        t.tool,
        String(t.clean),
        String(t.conflicts),
        String(t.unexpectedConflicts),
        String(t.wrong),
        percentile(t.ms, 50).toFixed(2),
        percentile(t.ms, 95).toFixed(2),
      ]),
    ]),
  );
  console.log('\nper category: conflicts / wrong');
  const categories = [...new Set(cases.map((c) => c.category))];
  console.log(
    table([
      ['category', 'cases', 'real conflicts', ...tallies.map((t) => t.tool)],
      ...categories.map((cat) => [
        cat,
        String(cases.filter((c) => c.category === cat).length),
        String(cases.filter((c) => c.category === cat && c.expected === null).length),
        ...tallies.map((t) => {
          const v = t.byCategory.get(cat) ?? { conflicts: 0, wrong: 0 };
          return `${v.conflicts} / ${v.wrong}`;
        }),
      ]),
    ]),
  );
  if (verbose) {
    for (const t of tallies) {
      console.log(`\n${t.tool}: wrong: ${t.wrongIds.join(' ') || '-'}`);
      console.log(`${t.tool}: conflicts that are not real: ${t.unexpectedIds.join(' ') || '-'}`);
    }
  }
  const [git, dkmv] = tallies as [Tally, Tally];
  // Where git merges cleanly, ours must give git's result (or conflict); a different clean text counts.
  const gitClean = cases.filter((c) => git.cleanTexts.has(c.id));
  const differs = gitClean.filter((c) => {
    const mine = dkmv.cleanTexts.get(c.id);
    return mine !== undefined && mine !== git.cleanTexts.get(c.id);
  });
  const slowest = Math.max(...dkmv.ms);
  const slowestId = cases[dkmv.ms.indexOf(slowest)]?.id ?? '';
  console.log(
    `\ngit clean on ${gitClean.length} cases; ours differs from git's clean result on ${differs.length}` +
      (differs.length > 0 ? ` (${differs.map((c) => c.id).join(' ')})` : '') +
      `; ours slowest file: ${slowest.toFixed(1)} ms (${slowestId})`,
  );
  const sym = symmetry(tools[1] as Tool, cases);
  console.log(
    `symmetry (ours and theirs swapped): ${sym.checked} cases, ${sym.asymmetric.length} asymmetric` +
      (sym.asymmetric.length > 0 ? ` (${sym.asymmetric.join(' ')})` : ''),
  );
  console.log(
    `merge-bench: cases=${cases.length} git_conflicts=${git.conflicts} git_wrong=${git.wrong} ours_conflicts=${dkmv.conflicts} ours_wrong=${dkmv.wrong} real_conflicts=${real} ours_asymmetric=${sym.asymmetric.length}`,
  );
}

await main();
