// Terminal rendering for `dkmv runs` and `dkmv show`.
import Table from 'cli-table3';
import pc from 'picocolors';
import { outcomeText, type HarnessOutcome } from '../../core/harness/outcome.js';
import type { HarnessShow } from './harness-show.js';
import type { RunRow } from './list.js';
import type { ShowData } from './show.js';
import { formatCost, formatDuration } from './status.js';

export function colorStatus(status: string): string {
  switch (status) {
    case 'completed':
      return pc.green(status);
    case 'running':
      return pc.cyan(status);
    case 'awaiting_input':
      return pc.yellow(status);
    case 'pending':
    case 'skipped':
    case 'pre-existing':
      return pc.dim(status);
    default:
      return pc.red(status);
  }
}

function startedLabel(iso: string | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '-' : `${d.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

export function runsTable(rows: RunRow[]): string {
  const table = new Table({
    head: ['RUN ID', 'KIND', 'STATUS', 'COMPONENT', 'BRANCH', 'COST', 'DURATION', 'STARTED'].map((h) => pc.bold(h)),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const r of rows) {
    table.push([
      r.parent ? `  ${r.run_id}` : r.run_id,
      r.kind === 'harness' ? pc.magenta(r.kind) : r.kind,
      colorStatus(r.status),
      r.component,
      r.branch,
      formatCost(r.cost_usd),
      formatDuration(r.duration_ms),
      startedLabel(r.started_at),
    ]);
  }
  return table.toString();
}

/** `dkmv show`'s notification lines: each event, the endpoint's host, and whether it got through. */
function notificationLines(records: NonNullable<ShowData['notifications']>): string[] {
  return records.map((r, i) => {
    const label = pc.dim((i === 0 ? 'notified' : '').padEnd(10));
    const outcome = r.ok ? pc.green('delivered') : pc.red(`not delivered: ${r.error ?? 'failed'}`);
    return `  ${label} ${r.event} → ${r.target}  ${outcome}`;
  });
}

/** `dkmv show`'s deliverables lines: what was produced, what is missing (required ones in red). */
function deliverableLines(report: NonNullable<ShowData['deliverables']>): string[] {
  const label = pc.dim('delivered'.padEnd(10));
  const lines = [`  ${label} ${report.present.length ? report.present.join(', ') : '-'}`];
  if (report.missing.length) {
    const missing = report.missing.map((d) => (d.required ? pc.red(d.path) : `${d.path} (optional)`)).join(', ');
    lines.push(`  ${pc.dim('missing'.padEnd(10))} ${missing}`);
  }
  return lines;
}

export function showText(data: ShowData): string {
  const lines: string[] = [];
  lines.push(`${pc.bold(data.run_id)}  ${colorStatus(data.status)}`);
  const field = (label: string, value: string | undefined) => {
    if (value) lines.push(`  ${pc.dim(label.padEnd(10))} ${value}`);
  };
  field('component', data.component + (data.config?.component_dir ? pc.dim(`  (${data.config.component_dir})`) : ''));
  field('repo', data.repo);
  field('branch', data.branch);
  field('feature', data.feature_name);
  field(
    'cost',
    `${formatCost(data.cost_usd)}${typeof data.max_budget_usd === 'number' ? ` of ${formatCost(data.max_budget_usd)} budget` : ''}`,
  );
  field('started', startedLabel(data.started_at));
  field('duration', formatDuration(data.duration_ms) + (data.ended_at || !isLive(data.status) ? '' : ' (so far)'));
  if (data.current && data.status === 'running') field('now', `${data.current.task} · ${data.current.phase}`);
  if (data.live)
    field(
      'agent',
      `turn ${data.live.turns} · ${formatCost(data.live.cost_usd)}${data.live.last ? ` · ${data.live.last.slice(0, 80)}` : ''}`,
    );
  field('container', data.container);
  if (data.error) lines.push(`  ${pc.dim('error'.padEnd(10))} ${pc.red(data.error)}`);
  if (data.deliverables) lines.push(...deliverableLines(data.deliverables));
  if (data.notifications) lines.push(...notificationLines(data.notifications));

  const cfg = data.config;
  if (cfg) {
    const params = cfg.params ?? {};
    const settings = ['agent', 'model', 'max_turns', 'timeout_minutes', 'max_budget_usd']
      .filter((k) => params[k] !== undefined)
      .map((k) => `${k}=${String(params[k])}`);
    if (settings.length) field('config', settings.join('  '));
    const vars = Object.entries(cfg.vars ?? {}).map(([k, v]) => `${k}=${v}`);
    if (vars.length) field('vars', vars.join('  '));
    const flags = [
      cfg.auto ? 'auto' : '',
      cfg.keep_alive ? 'keep-alive' : '',
      cfg.start_task ? `start-task=${cfg.start_task}` : '',
    ]
      .filter(Boolean)
      .join('  ');
    if (flags) field('flags', flags);
    if (cfg.model_url) field('model url', cfg.model_url);
  }

  if (data.harness) lines.push('', ...harnessLines(data.harness));
  else if (data.tasks.length) {
    const table = new Table({
      head: ['#', 'TASK', 'STATUS', 'TURNS', 'COST', 'ERROR'].map((h) => pc.bold(h)),
      style: { head: [], border: [] },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    data.tasks.forEach((t, i) =>
      table.push([
        String(i + 1),
        t.name,
        colorStatus(t.status),
        String(t.turns),
        formatCost(t.cost_usd),
        t.error ? pc.red(t.error.split('\n')[0]!.slice(0, 70)) : '',
      ]),
    );
    lines.push('', table.toString());
  }

  if (data.pending) {
    lines.push('', pc.yellow(`waiting for your decision after task ${data.pending.task}:`));
    for (const q of data.pending.questions) {
      const opts = q.options?.length ? ` (${q.options.join(' / ')})` : '';
      const def = q.default ? ` [default: ${q.default}]` : '';
      lines.push(`  [${q.id}] ${q.question}${opts}${def}`);
    }
    lines.push(`  answer with: dkmv approve ${data.run_id}`);
    if (data.last_decision_error) lines.push(pc.red(`  last decision rejected: ${data.last_decision_error}`));
  }

  if (data.harness?.report) lines.push('', `report: ${data.harness.report}`);
  if (data.outputs.length) {
    lines.push('', pc.bold('outputs'));
    for (const o of data.outputs) lines.push(`  ${o}`);
  }
  lines.push('');
  if (data.run_dir) lines.push(`run folder: ${data.run_dir}`);
  if (data.remote_folder)
    lines.push(
      `run folder: ${data.remote_folder.dir} on host ${data.remote_folder.host} ` +
        pc.dim(`(read through its worker; a saved output: dkmv show ${data.run_id} --output <file>)`),
    );
  if (data.folder_problem) lines.push(pc.yellow(`run folder: ${data.folder_problem}`));
  if (data.web_ui) lines.push(`Web UI:     ${data.web_ui}`);
  if (data.source === 'folder') lines.push(pc.dim('(from the run folder only: Temporal does not know this run)'));
  return lines.join('\n');
}

function plainTable(head: string[]): Table.Table {
  return new Table({
    head: head.map((h) => pc.bold(h)),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}

/** A harness run: outcome, phase and round, plan attempts, units, why attempts did not land, and the children. */
export function harnessLines(h: HarnessShow): string[] {
  const outcome = outcomeText(h.outcome as HarnessOutcome);
  const lines = [
    `${pc.bold('outcome')} ${h.outcome === 'passed' ? pc.green(outcome) : h.outcome === 'running' || h.outcome === 'waiting' ? pc.yellow(outcome) : pc.red(outcome)}  ` +
      `${pc.bold('phase')} ${h.phase}  ${pc.bold('round')} ${h.round}` +
      (h.budget_exhausted ? pc.red('  budget exhausted') : '') +
      (h.continued_from ? pc.dim(`  (continued from ${h.continued_from})`) : ''),
  ];
  if (h.integration_head) lines.push(`integration head ${h.integration_head.slice(0, 12)}`);
  if (h.plan_attempts.length) {
    const plan = plainTable(['PLAN', 'STATUS', 'GATE 1', 'COST']);
    for (const a of h.plan_attempts)
      plan.push([
        `attempt ${a.attempt}`,
        colorStatus(a.status),
        a.accepted ? pc.green('accepted') : a.problems.length ? pc.red(`${a.problems.length} problem(s)`) : '-',
        formatCost(a.cost_usd),
      ]);
    lines.push('', plan.toString());
  }
  if (h.units.length) {
    const units = plainTable(['UNIT', 'TITLE', 'STATUS', 'ATTEMPTS', 'COST', 'LANDING']);
    for (const u of h.units)
      units.push([
        u.id,
        u.title.slice(0, 40),
        colorUnit(u.status),
        String(u.attempts),
        formatCost(u.cost_usd),
        [u.land, u.landed_commit?.slice(0, 10)].filter(Boolean).join(' '),
      ]);
    lines.push('', units.toString());
    for (const u of h.units.filter((x) => x.blocked_because))
      lines.push(pc.red(`  ${u.id} blocked: ${u.blocked_because!}`));
  }
  if (h.rejected_attempts.length) {
    lines.push('', pc.bold('attempts that did not land'));
    for (const r of h.rejected_attempts)
      lines.push(`  ${r.unit} round ${r.round} attempt ${r.attempt}: ${pc.red(r.why.replace(/\n/g, ' '))}`);
  }
  if (h.children.length) {
    const children = plainTable(['CHILD RUN', 'ROLE', 'STATUS', 'COST']);
    for (const c of h.children)
      children.push([
        c.workflow_id,
        c.unit ? `${c.role} ${c.unit}` : c.role,
        colorStatus(c.status),
        formatCost(c.cost_usd),
      ]);
    lines.push(
      '',
      children.toString(),
      pc.dim('  (each child is a component run: dkmv show <child run>, dkmv logs <child run>)'),
    );
  }
  if (h.gates?.length) lines.push('', pc.bold('gates'), ...h.gates.map((g) => `  ${g}`));
  if (h.quality) lines.push(...qualityLines(h.quality));
  return lines;
}

/** The quality loop: smoke runs, evaluator batches with their verdicts, the evidence files. */
function qualityLines(q: NonNullable<HarnessShow['quality']>): string[] {
  const lines = [
    '',
    `${pc.bold('quality')} ${q.outcome ? colorStatus(q.outcome === 'unverified' ? 'failed' : 'completed').replace(/completed|failed/, q.outcome) : 'running'}` +
      (q.replans ? `  re-planned ${q.replans}×` : '') +
      (q.pull_request ? `  PR ${q.pull_request}` : ''),
  ];
  const table = plainTable(['ROUND', 'CHECK', 'VERDICT', 'SCORE']);
  for (const s of q.smoke)
    table.push([String(s.round), 'smoke', s.passed ? pc.green('pass') : pc.red('fail'), s.summary?.slice(0, 60) ?? '']);
  for (const e of q.evals)
    table.push([
      String(e.round),
      `eval ${e.batch} (${e.units.join(', ') || '-'})${e.attempts > 1 ? ` ×${e.attempts}` : ''}`,
      e.verdict === 'PASS' ? pc.green(e.verdict) : pc.red(e.verdict),
      `${e.passed}/${e.total}`,
    ]);
  if (q.smoke.length + q.evals.length) lines.push(table.toString());
  if (q.fixes.length) {
    const fixes = plainTable(['ROUND', 'FIXING', 'FIXER', 'COST', 'LANDED']);
    for (const f of q.fixes)
      fixes.push([
        String(f.round),
        `${f.unit} (${f.cause})`,
        colorStatus(f.status),
        formatCost(f.cost_usd),
        f.landed
          ? pc.green(`yes${f.commit ? ` ${f.commit.slice(0, 10)}` : ''}`)
          : pc.red(`no: ${(f.why ?? '').replace(/\n/g, ' ')}`),
      ]);
    lines.push('', fixes.toString());
  }
  if (q.screenshots.length) lines.push('', pc.bold('screenshots'), ...q.screenshots.map((f) => `  ${f}`));
  if (q.reports.length) lines.push('', pc.bold('reports'), ...q.reports.map((f) => `  ${f}`));
  return lines;
}

function colorUnit(status: string): string {
  if (status === 'landed') return pc.green(status);
  if (status === 'blocked') return pc.red(status);
  if (status === 'building' || status === 'built' || status === 'retry') return pc.cyan(status);
  return pc.dim(status);
}

/** A run still going (its duration grows); a finished DKMV run has no ended_at but is not live. */
function isLive(status: string): boolean {
  return status === 'running' || status === 'awaiting_input';
}
