// docs/harness/report.md: what the harness did — plan summary, per-unit status, attempts and the
// commit each unit landed with last, why each attempt or fix did not land, what the structural merge
// resolved, blocked units, the CHECK and REVIEW gates, one section per fix round, and the cost of every
// child (summing to the total).
import { roundUsd } from '../engine/budget.js';
import { harnessOutcome, outcomeText } from './outcome.js';
import { runChildren } from './run-children.js';
import { gatesSection } from './gates-report.js';
import type { HarnessView, UnitView } from './types.js';
import { attemptWhy, fixWhy, lastLanding, rejectedAttempts } from './why.js';

function usd(v: number): string {
  return `$${v.toFixed(4)}`;
}

function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
}

function unitLine(view: HarnessView, u: UnitView): string {
  const last = lastLanding(view, u.id);
  const landed = last
    ? `${last.commit ? last.commit.slice(0, 10) : 'up-to-date'}${last.by === 'fix' ? ' (fix)' : ''}`
    : '–';
  const fixes = (view.quality?.fixes ?? []).filter((f) => f.unit === u.id).length;
  const attempts = `${u.attempts.length}${fixes ? ` + ${fixes} fix${fixes > 1 ? 'es' : ''}` : ''}`;
  return `| ${u.id} | ${cell(u.title)} | ${u.status} | ${attempts} | ${landed} | ${usd(u.costUsd)} |`;
}

/** A blocked unit's reason: what went wrong with its last attempt (the feedback's first line is only its heading). */
export function blockedWhy(u: UnitView): string {
  const last = u.attempts[u.attempts.length - 1];
  const why = last ? attemptWhy(last) : undefined;
  return (why ?? u.feedback ?? 'no reason recorded').replace(/\s*\n\s*/g, ' ');
}

function rejectedLines(view: HarnessView): string[] {
  const rejected = rejectedAttempts(view);
  if (!rejected.length) return [];
  return [
    '## Attempts that did not land',
    '',
    ...rejected.map((r) => `- ${r.unit} round ${r.round} attempt ${r.attempt}: ${r.why.replace(/\n/g, ' ')}`),
    '',
  ];
}

/** One section per fix round: what each fixer was fixing, whether it landed (or why not), and what the round's checks found. */
function fixRoundLines(view: HarnessView): string[] {
  const q = view.quality;
  if (!q?.fixes.length) return [];
  const rounds = [...new Set(q.fixes.map((f) => f.round))].sort((a, b) => a - b);
  const lines = ['## Fix rounds', ''];
  for (const round of rounds) {
    lines.push(`### Fix round ${round}`, '');
    for (const f of q.fixes.filter((x) => x.round === round)) {
      const result = f.landed
        ? `landed${f.commit ? ` ${f.commit.slice(0, 10)}` : ' (nothing new to merge)'}`
        : `did not land: ${(fixWhy(f) ?? f.childStatus).replace(/\n/g, ' ')}`;
      lines.push(
        `- ${f.unit} (${f.cause === 'smoke' ? 'smoke failure' : 'failing criteria'}): fixer ${f.childStatus}, ${usd(f.costUsd)}; ${result}`,
      );
    }
    const smoke = q.smoke.find((s) => s.round === round);
    if (smoke)
      lines.push(`- then smoke: ${smoke.passed ? 'passed' : `failed (${smoke.summary ?? 'see the smoke report'})`}`);
    const evals = q.evals.filter((e) => e.round === round);
    if (evals.length) {
      const passed = evals.reduce((n, e) => n + e.passed, 0);
      const total = evals.reduce((n, e) => n + e.total, 0);
      lines.push(
        `- then evaluation: ${passed}/${total} criteria passed (${evals.map((e) => `${e.batchId} ${e.verdict}`).join(', ')})`,
      );
    }
    lines.push('');
  }
  return lines;
}

/** Every child with its cost; a row for cost no recorded child accounts for, so the rows sum to the total. */
function costLines(view: HarnessView): string[] {
  const children = runChildren(view);
  const sum = roundUsd(children.reduce((s, c) => s + c.costUsd, 0));
  const unattributed = roundUsd(view.costUsd - sum);
  const lines = ['## Cost', '', '| Child | Role | For | Status | Cost |', '|---|---|---|---|---|'];
  for (const c of children)
    lines.push(`| \`${c.childId}\` | ${c.role} | ${cell(c.subject ?? '')} | ${c.status} | ${usd(c.costUsd)} |`);
  if (Math.abs(unattributed) >= 0.0001) lines.push(`| (not recorded per child) | | | | ${usd(unattributed)} |`);
  const cap = view.maxBudgetUsd !== undefined ? ` of ${usd(view.maxBudgetUsd)}` : '';
  lines.push(`| **total** | ${children.length} children | | | ${usd(view.costUsd)}${cap} |`, '');
  return lines;
}

/** The lockfiles regenerated from the merged manifests before SHIP (or why they were not). */
function lockfileLines(view: HarnessView): string[] {
  const lock = view.lockfiles;
  if (!lock) return [];
  const files = lock.files.map((f) => `\`${f}\``).join(', ');
  return [
    '## Lockfiles',
    '',
    lock.problem
      ? `- Not regenerated: ${lock.problem}`
      : `- Regenerated from the merged manifests and committed: ${files} (${(lock.commit ?? '').slice(0, 10)})`,
    '',
  ];
}

export function renderReport(view: HarnessView): string {
  const landed = view.units.filter((u) => u.status === 'landed' || u.status === 'empty');
  const blocked = view.units.filter((u) => u.status === 'blocked');
  const resolved = view.units.flatMap((u) =>
    u.attempts.flatMap((a) => (a.land?.resolved ?? []).map((r) => ({ unit: u.id, ...r }))),
  );
  const ended =
    view.status === 'running' || view.status === 'awaiting_input'
      ? ''
      : ` Outcome: ${outcomeText(harnessOutcome(view))}.`;
  const lines = [
    '# Harness report',
    '',
    `Prompt: ${view.prompt}`,
    '',
    `Run \`${view.runId}\` on \`${view.branch}\`${view.continuedFrom ? ` (continued from \`${view.continuedFrom}\`)` : ''}: ` +
      `${landed.length}/${view.units.length} units landed, ${blocked.length} blocked.${ended}`,
    view.budgetExhausted ? '\n**Budget exhausted**: dispatching stopped; what was done has landed.' : '',
    '',
    '## Plan',
    '',
    `Accepted after ${view.planAttempts.length} planner attempt(s).`,
    ...view.planAttempts
      .filter((a) => !a.accepted && a.problems.length)
      .map((a) => `- attempt ${a.attempt} rejected: ${a.problems.length} problem(s), first: ${a.problems[0]}`),
    '',
    '## Units',
    '',
    '| Unit | Title | Status | Attempts | Landed last | Cost |',
    '|---|---|---|---|---|---|',
    ...view.units.map((u) => unitLine(view, u)),
    '',
    ...rejectedLines(view),
  ];
  lines.push(...gatesSection(view));
  if (resolved.length) {
    lines.push('## Merged structurally', '');
    for (const r of resolved) lines.push(`- ${r.unit}: \`${r.file}\` (${r.symbols.join(', ') || 'whole file'})`);
    lines.push('');
  }
  lines.push(...lockfileLines(view));
  if (blocked.length) {
    lines.push('## Blocked units', '');
    for (const u of blocked) lines.push(`- ${u.id}: ${blockedWhy(u)}`);
    lines.push('');
  }
  lines.push(...fixRoundLines(view), ...costLines(view));
  lines.push(`Started ${view.startedAt}${view.endedAt ? `, ended ${view.endedAt}` : ''}.`, '');
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}
