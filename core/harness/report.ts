// docs/harness/report.md: what the harness did — plan summary, per-unit status and attempts, what
// landed and what the structural merge resolved, blocked units, cost and time per role.
import { gatesSection } from './gates-report.js';
import type { HarnessView, UnitView } from './types.js';

function usd(v: number): string {
  return `$${v.toFixed(4)}`;
}

function unitLine(u: UnitView): string {
  const last = u.attempts[u.attempts.length - 1];
  const land = last?.land;
  const landed = land ? `${land.status}${land.commit ? ` ${land.commit.slice(0, 10)}` : ''}` : '–';
  return `| ${u.id} | ${u.title.replace(/\|/g, '\\|')} | ${u.status} | ${u.attempts.length} | ${landed} | ${usd(u.costUsd)} |`;
}

export function renderReport(view: HarnessView): string {
  const planCost = view.planAttempts.reduce((s, a) => s + a.costUsd, 0);
  const genCost = view.units.reduce((s, u) => s + u.costUsd, 0);
  const landed = view.units.filter((u) => u.status === 'landed' || u.status === 'empty');
  const blocked = view.units.filter((u) => u.status === 'blocked');
  const resolved = view.units.flatMap((u) =>
    u.attempts.flatMap((a) => (a.land?.resolved ?? []).map((r) => ({ unit: u.id, ...r }))),
  );
  const lines = [
    '# Harness report',
    '',
    `Prompt: ${view.prompt}`,
    '',
    `Run \`${view.runId}\` on \`${view.branch}\`${view.continuedFrom ? ` (continued from \`${view.continuedFrom}\`)` : ''}: ` +
      `${landed.length}/${view.units.length} units landed, ${blocked.length} blocked.`,
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
    '| Unit | Title | Status | Attempts | Landing | Cost |',
    '|---|---|---|---|---|---|',
    ...view.units.map(unitLine),
    '',
  ];
  lines.push(...gatesSection(view));
  if (resolved.length) {
    lines.push('## Merged structurally', '');
    for (const r of resolved) lines.push(`- ${r.unit}: \`${r.file}\` (${r.symbols.join(', ') || 'whole file'})`);
    lines.push('');
  }
  if (blocked.length) {
    lines.push('## Blocked units', '');
    for (const u of blocked) lines.push(`- ${u.id}: ${(u.feedback ?? 'no reason recorded').split('\n')[0]}`);
    lines.push('');
  }
  lines.push(
    '## Cost',
    '',
    `| Role | Children | Cost |`,
    '|---|---|---|',
    `| planner | ${view.planAttempts.length} | ${usd(planCost)} |`,
    `| generator | ${view.units.reduce((s, u) => s + u.attempts.length, 0)} | ${usd(genCost)} |`,
    `| total | | ${usd(view.costUsd)}${view.maxBudgetUsd !== undefined ? ` of ${usd(view.maxBudgetUsd)}` : ''} |`,
    '',
    `Started ${view.startedAt}${view.endedAt ? `, ended ${view.endedAt}` : ''}.`,
    '',
  );
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}
