// The CHECK report: what the plan's `check` commands (build, type check, tests) did on the
// integration head, the pass rule, and which unit owns each failure. Pure: the activity
// (activities/harness/check.ts) runs the commands, this file judges the results and maps them.
import { filesMentioned, INTEGRATION, ownerOfFile, type OwnerManifest } from './verdict-owners.js';
import { indent, type OwnedFailure } from './smoke-report.js';

/** One command of the check, as run in the sandbox. */
export interface CheckCommandResult {
  command: string;
  /** null: not run (an earlier command failed). */
  exit_code: number | null;
  duration_ms: number;
  timed_out: boolean;
  /** The tail of its combined output, secrets redacted (quoted verbatim to the fixer). */
  output: string;
}

export interface CheckReport {
  round: number;
  commit: string;
  commands: CheckCommandResult[];
  passed: boolean;
  failure_summary: string | null;
}

/** passed = every command ran and exited 0 (they run in order; the first failure stops the rest). */
export function judgeCheck(facts: Omit<CheckReport, 'passed' | 'failure_summary'>): CheckReport {
  const failed = facts.commands.filter((c) => c.exit_code !== 0 && c.exit_code !== null);
  const none = facts.commands.length === 0;
  const summary = none
    ? 'the plan has no check command'
    : failed.map((c) => `\`${c.command}\` ${describeExit(c)}`).join('; ');
  const passed = !none && failed.length === 0 && facts.commands.every((c) => c.exit_code === 0);
  return { ...facts, passed, failure_summary: passed ? null : summary || 'the check did not run' };
}

function describeExit(c: CheckCommandResult): string {
  return c.timed_out ? 'timed out' : `exited ${c.exit_code}`;
}

/**
 * Each failing command goes to every unit owning a file its failure lines name (a failing test
 * file, a compiler error's path, a stack frame), else any file its output names, in order of first
 * mention; when it names none the plan knows, to the aggregation owner (else the integration
 * fixer). The output is quoted verbatim.
 */
export function ownersOfCheckFailures(report: CheckReport, manifest: OwnerManifest): OwnedFailure[] {
  if (report.passed) return [];
  const out: OwnedFailure[] = [];
  for (const c of report.commands) {
    if (c.exit_code === 0 || c.exit_code === null) continue;
    // Lines that report the failure (a failing test, an error, a stack frame) name its owner best;
    // a test runner also lists the files that passed, which must not pull in their owners.
    const failing = c.output
      .split('\n')
      .filter((l) => FAILURE_LINE.test(l))
      .join('\n');
    let owners = ownersNamed(failing, manifest);
    if (owners.size === 0) owners = ownersNamed(c.output, manifest);
    if (owners.size === 0) owners.add(manifest.aggregationOwner ?? INTEGRATION);
    for (const unit of owners) {
      out.push({ unit, error: `\`${c.command}\` ${describeExit(c)}`, evidence: c.output || '(no output)' });
    }
  }
  if (out.length === 0) {
    out.push({ unit: manifest.aggregationOwner ?? INTEGRATION, error: report.failure_summary ?? 'the check failed' });
  }
  return out;
}

// A line reporting a failure: TAP `not ok`, a cross mark, FAIL/error/assertion words, a stack frame.
const FAILURE_LINE = /\bnot ok\b|✖|✗|\bfail(ed|ing|ure)?\b|\berror\b|assert|expected|^\s*at\s|\bat\s+\S+:\d+/i;

/** The units owning the files a text names, in order of first mention. */
function ownersNamed(text: string, manifest: OwnerManifest): Set<string> {
  const owners = new Set<string>();
  for (const file of filesMentioned(text)) {
    const owner = ownerOfFile(manifest, file);
    if (owner) owners.add(owner);
  }
  return owners;
}

/** A unit's check failures as the fixer prompt quotes them: the command, then its output verbatim. */
export function formatCheckFailures(failures: OwnedFailure[], commands: readonly string[]): string {
  const how = commands.length ? `\n  Run it yourself until it passes: \`${commands.join(' && ')}\`` : '';
  return failures
    .map((f) => `- Check: ${f.error}${how}${f.evidence ? `\n  Output:\n${indent(f.evidence)}` : ''}`)
    .join('\n');
}
