// Following a harness run: a live tree (phase, plan attempts, each unit's status, attempt, turns,
// cost and landing result), printed line by line as it changes; `--json` prints the final view only.
import type { Client } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import pc from 'picocolors';
import { harnessExitCode, harnessOutcome, outcomeText } from '../../core/harness/outcome.js';
import { checkLines, reviewLines } from '../../core/harness/gates-report.js';
import type { HarnessView, UnitView } from '../../core/harness/types.js';
import { attemptWhy, fixWhy } from '../../core/harness/why.js';
import { harnessStatusQuery } from '../../workflows/index.js';
import { EXIT } from '../run/follow.js';

function unitLine(u: UnitView): string[] {
  const last = u.attempts[u.attempts.length - 1];
  const land = last?.land
    ? `  ${last.land.status}${last.land.resolved.length ? ` (structural: ${last.land.resolved.map((r) => r.file).join(', ')})` : ''}`
    : '';
  const turns = last ? `  turns ${last.turns}` : '';
  const lines = [
    `  ${u.id}  ${u.status.padEnd(14)} attempt ${u.attempts.length}${turns}  $${u.costUsd.toFixed(4)}${land}`,
  ];
  // Why an attempt did not land, as soon as it is known (the retry or the block follows from it).
  for (const a of u.attempts) {
    const why = attemptWhy(a);
    if (why) lines.push(`    attempt ${a.attempt} did not land: ${why.replace(/\n/g, ' ')}`);
  }
  return lines;
}

/** The quality loop as it goes: each smoke run, each evaluator batch's verdict, which unit each fix round fixes. */
function qualityProgress(view: HarnessView): string[] {
  const q = view.quality;
  if (!q) return [];
  const lines: string[] = [];
  const rounds = [
    ...new Set([...q.smoke.map((s) => s.round), ...q.evals.map((e) => e.round), ...q.fixes.map((f) => f.round)]),
  ];
  for (const round of rounds.sort((a, b) => a - b)) {
    for (const f of q.fixes.filter((x) => x.round === round)) {
      const why = fixWhy(f);
      const state = f.landed
        ? `landed${f.commit ? ` ${f.commit.slice(0, 10)}` : ''}`
        : why
          ? `not landed: ${why.replace(/\n/g, ' ')}`
          : f.childStatus;
      lines.push(
        `  fix round ${round}: fixing ${f.unit} (${f.cause === 'smoke' ? 'smoke failure' : 'failing criteria'})  ${state}  $${f.costUsd.toFixed(4)}`,
      );
    }
    for (const s of q.smoke.filter((x) => x.round === round))
      lines.push(
        `  smoke round ${round}: ${s.passed ? 'pass' : `fail${s.summary ? ` (${s.summary.split('\n')[0]})` : ''}`}`,
      );
    for (const e of q.evals.filter((x) => x.round === round)) {
      const cost = (e.children ?? []).reduce((n, c) => n + c.costUsd, 0);
      lines.push(
        `  eval round ${round}: ${e.batchId} (${e.units.join(', ')})  ${e.verdict}  ${e.passed}/${e.total}  $${cost.toFixed(4)}`,
      );
    }
  }
  return lines;
}

/** The tree as lines; a line is printed when it is new or changed. */
export function treeLines(view: HarnessView): string[] {
  const lines = [
    `harness ${view.runId}  ${view.status}  phase ${view.phase}  round ${view.round}  $${view.costUsd.toFixed(4)}`,
  ];
  for (const a of view.planAttempts) {
    const state = a.accepted
      ? 'accepted'
      : a.problems.length
        ? `rejected (${a.problems.length} problem(s))`
        : a.childStatus;
    lines.push(`  plan  attempt ${a.attempt}  ${state}  $${a.costUsd.toFixed(4)}`);
  }
  lines.push(...view.units.flatMap(unitLine), ...qualityProgress(view));
  if (view.pending) lines.push(`  waiting for a decision: dkmv approve ${view.runId}`);
  return lines;
}

async function finalView(client: Client, runId: string): Promise<HarnessView | undefined> {
  try {
    return (await client.workflow.getHandle(runId).result()) as HarnessView;
  } catch (err) {
    if (err instanceof WorkflowFailedError)
      return (err.cause as { details?: unknown[] } | undefined)?.details?.[0] as HarnessView | undefined;
    throw err;
  }
}

export async function followHarness(
  client: Client,
  runId: string,
  options: { json?: boolean; log?: (line: string) => void; pollMs?: number },
): Promise<{ code: number; view: HarnessView | undefined }> {
  const log = options.log ?? ((l: string) => console.log(l));
  const printed = new Set<string>();
  const handle = client.workflow.getHandle(runId);
  for (;;) {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') break;
    const view = await handle.query(harnessStatusQuery).catch(() => undefined);
    if (view && !options.json) {
      for (const line of treeLines(view)) {
        if (!printed.has(line)) log(line);
        printed.add(line);
      }
    }
    if (view?.status === 'awaiting_input') {
      if (options.json) log(JSON.stringify(view, null, 2));
      return { code: EXIT.waiting, view };
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 1000));
  }
  const view = await finalView(client, runId);
  if (options.json) log(JSON.stringify(view ?? null, null, 2));
  else if (view) {
    for (const line of treeLines(view)) if (!printed.has(line)) log(line);
    const outcome = harnessOutcome(view);
    const colour = outcome === 'passed' ? pc.green : outcome === 'with_issues' ? pc.yellow : pc.red;
    log(colour(`${view.status}${view.error ? `: ${view.error.split('\n')[0]}` : ''}`));
    if (outcome !== 'passed' && outcome !== 'failed')
      log(colour(`outcome: ${outcomeText(outcome)} (exit ${harnessExitCode(view)})`));
    if (view.error && view.error.includes('\n'))
      for (const l of view.error.split('\n').slice(1, 20)) log(pc.red(`  ${l}`));
    for (const line of qualityLines(view)) log(line);
    // The CHECK and REVIEW gates, one line each (as in the report's "Gates" section).
    for (const line of [...checkLines(view), ...reviewLines(view)]) log(line.replace(/^- /, 'gate: '));
  }
  return { code: harnessExitCode(view), view };
}

/** How the quality loop ended: the outcome, the evidence in the run folder, the PR or where the report is. */
function qualityLines(view: HarnessView): string[] {
  const q = view.quality;
  if (!q?.outcome) return [];
  const shots = q.smoke.filter((s) => s.screenshotPath).length + q.evals.reduce((n, e) => n + e.screenshots.length, 0);
  const last = q.evals.filter((e) => e.round === Math.max(...q.evals.map((x) => x.round)));
  const passed = last.reduce((n, e) => n + e.passed, 0);
  const total = last.reduce((n, e) => n + e.total, 0);
  const lines = [
    q.outcome === 'unverified'
      ? 'unverified: the app never passed its check or smoke test; the branch is kept and no pull request was opened'
      : `quality: ${q.outcome === 'passed' ? 'PASS' : 'shipped with remaining issues'}, ${passed}/${total} criteria, round ${view.round}${q.replanCount ? `, ${q.replanCount} re-plan` : ''}`,
    `evidence: ${q.smoke.length} smoke run(s), ${q.evals.length} evaluator report(s), ${shots} screenshot(s) in the run folder (dkmv show ${view.runId})`,
  ];
  if (q.pullRequest) lines.push(`pull request: ${q.pullRequest.url}`);
  else if (q.outcome !== 'unverified')
    lines.push(
      `report: docs/harness/report.md on ${view.branch}${q.compareUrl ? ` (open a PR: ${q.compareUrl})` : ''}`,
    );
  return lines;
}
