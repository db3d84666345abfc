// The bench report, pure: read each bench's closing line (`<tag>: key=value …`) from its output,
// compare the figures with their goals, and render the result as JSON and as a markdown table.
// No I/O here (bench/report/run.ts runs the benches); unit-tested in test/unit/bench/report.test.ts.

/** One bench the report runs: its npm script, the tag of its closing line and its goals. */
export interface BenchSpec {
  script: string;
  tag: string;
  /** What the bench measures, one short phrase (first column of the table). */
  title: string;
  goals: Goal[];
}

/** A figure of the closing line and the bound it should stay under (or over, with `atLeast`). */
export interface Goal {
  key: string;
  max?: number;
  min?: number;
  /** How the goal reads in the table, e.g. "≤ 1.15". */
  label: string;
}

/** What one bench produced. `missing` = the script does not exist in this checkout. */
export interface BenchOutcome {
  script: string;
  status: 'ok' | 'failed' | 'missing';
  /** Seconds the bench took, start to exit. */
  seconds: number;
  output: string;
  exitCode: number | null;
}

export interface GoalResult {
  key: string;
  label: string;
  value: number | undefined;
  met: boolean | undefined;
}

export interface BenchResult {
  script: string;
  title: string;
  status: 'ok' | 'failed' | 'missing' | 'no closing line';
  seconds: number;
  /** The closing line as printed, when found. */
  line?: string;
  figures: Record<string, string>;
  goals: GoalResult[];
  /** Last lines of the output when the bench failed (for the report's reader, not parsed). */
  tail?: string;
}

export interface Report {
  date: string;
  machine: string;
  /** `uptime` load averages (1, 5, 15 min) before and after the whole run. */
  loadBefore: number[];
  loadAfter: number[];
  benches: BenchResult[];
}

/**
 * Key=value figures of a closing line. A key may repeat (`n=1:3.2s n=2:3.4s`): a value `a:b` is then
 * stored under `key_a` (`n_1 = 3.2s`), so every figure keeps its own name.
 */
export function parseFigures(line: string, tag: string): Record<string, string> {
  const figures: Record<string, string> = {};
  const body = line.slice(line.indexOf(`${tag}:`) + tag.length + 1);
  for (const token of body.trim().split(/\s+/)) {
    const eq = token.indexOf('=');
    if (eq <= 0) continue;
    const key = token.slice(0, eq);
    const value = token.slice(eq + 1);
    const colon = value.indexOf(':');
    if (colon > 0 && (key in figures || /^[\w.]+:/.test(value)))
      figures[`${key}_${value.slice(0, colon)}`] = value.slice(colon + 1);
    else figures[key] = value;
  }
  return figures;
}

/** The last line of `output` that starts with `<tag>: `. */
export function closingLine(output: string, tag: string): string | undefined {
  const lines = output.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.startsWith(`${tag}: `)) return lines[i];
  return undefined;
}

/** A figure as a number: `3.2s` → 3.2, `1.15` → 1.15; undefined when it is not a number. */
export function numeric(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(-?\d+(?:\.\d+)?)(?:s|ms|x|×)?$/.exec(value);
  return m ? Number(m[1]) : undefined;
}

function judge(goal: Goal, figures: Record<string, string>): GoalResult {
  const value = numeric(figures[goal.key]);
  const met =
    value === undefined
      ? undefined
      : (goal.max === undefined || value <= goal.max) && (goal.min === undefined || value >= goal.min);
  return { key: goal.key, label: goal.label, value, met };
}

function lastLines(text: string, n = 15): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

export function benchResult(spec: BenchSpec, outcome: BenchOutcome): BenchResult {
  const base = { script: spec.script, title: spec.title, seconds: outcome.seconds };
  if (outcome.status === 'missing') return { ...base, status: 'missing', figures: {}, goals: [] };
  const line = closingLine(outcome.output, spec.tag);
  const figures = line ? parseFigures(line, spec.tag) : {};
  const goals = spec.goals.map((g) => judge(g, figures));
  const status = outcome.status === 'failed' ? 'failed' : line ? 'ok' : 'no closing line';
  return {
    ...base,
    status,
    ...(line ? { line } : {}),
    figures,
    goals,
    ...(status !== 'ok' ? { tail: lastLines(outcome.output) } : {}),
  };
}

/** Load averages from `uptime` output ("load average: 0.52, 1.10, 1.41"). */
export function loadAverages(uptime: string): number[] {
  const m = /load averages?:\s*([\d.]+),?\s+([\d.]+),?\s+([\d.]+)/.exec(uptime);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [];
}

function goalCell(g: GoalResult): string {
  const mark = g.met === undefined ? '?' : g.met ? 'met' : 'not met';
  return `${g.key} ${g.label}: ${mark}`;
}

function figuresCell(r: BenchResult): string {
  if (r.status === 'missing') return '(not in this checkout)';
  if (!r.line) return `(${r.status})`;
  return Object.entries(r.figures)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** The markdown table of docs/timings.md's bench report, with its heading line. */
export function markdown(report: Report): string {
  const load = (l: number[]) => (l.length ? l.map((x) => x.toFixed(2)).join(', ') : '?');
  const rows = report.benches.map(
    (r) =>
      `| ${r.title} | \`npm run ${r.script}\` | ${figuresCell(r)} | ${r.goals.map(goalCell).join('; ') || '—'} | ${r.status} | ${r.seconds > 0 ? `${r.seconds.toFixed(0)} s` : '—'} |`,
  );
  return [
    `Measured ${report.date} on ${report.machine}; load average before ${load(report.loadBefore)}, after ${load(report.loadAfter)}.`,
    '',
    '| what | bench | figures (closing line) | goal | status | bench time |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export const README_START = '<!-- bench-report:start (written by `npm run bench -- --readme`) -->';
export const README_END = '<!-- bench-report:end -->';

/** `text` with the block between the report markers replaced (the markers are kept); unchanged without markers. */
export function withReportBlock(text: string, table: string): string {
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) return text;
  return `${text.slice(0, start + README_START.length)}\n\n${table.trimEnd()}\n\n${text.slice(end)}`;
}
