// CHECK (no agent): in a sandbox on the integration head, run the app's install and then the plan's
// check commands (build, type check, tests) in order, stopping at the first failure. The facts are
// judged by core/harness/check-report.ts; the report goes to the run folder (`check/r<round>.json`)
// and each failure comes back with the unit owning the files its output names.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  judgeCheck,
  ownersOfCheckFailures,
  type CheckCommandResult,
  type CheckReport,
} from '../../core/harness/check-report.js';
import type { OwnedFailure } from '../../core/harness/smoke-report.js';
import type { OwnerManifest } from '../../core/harness/verdict-owners.js';
import { destroySandbox } from '../sandbox/sandbox.js';
import { openIntegrationSandbox, runTimed } from './integration-sandbox.js';
import { heartbeat, outputTail } from './sandbox-output.js';

const OUTPUT_TAIL_LINES = 80;
const OUTPUT_TAIL_CHARS = 8000;

export interface CheckInput {
  /** Names the sandbox (`<runId>-check-r<round>`). */
  runId: string;
  repo: string;
  /** The integration branch; its head is what gets checked. */
  branch: string;
  round: number;
  /** `app.install` (run first, reported as the first command), then `check.commands`. */
  install: string;
  commands: string[];
  timeoutS: number;
  manifest: OwnerManifest;
  /** Host folder of the run: gets `check/r<round>.json`. */
  runDir: string;
  image: string;
  memory?: string;
}

export interface CheckResult {
  report: CheckReport;
  /** Each failure with the unit that owns it; empty when passed. */
  failures: OwnedFailure[];
  /** Run-folder-relative path of the report. */
  reportPath: string;
}

export async function runCheck(input: CheckInput): Promise<CheckResult> {
  const box = await openIntegrationSandbox({
    ...input,
    runId: `${input.runId}-check-r${input.round}`,
    component: 'harness-check',
  });
  try {
    const commands = await runCommands(input, box.containerId);
    const report = judgeCheck({ round: input.round, commit: box.head, commands });
    return saveReport(input, report);
  } finally {
    await destroySandbox(box, false);
  }
}

/** Install, then each check command, in order; after a failure the rest are listed as not run. */
async function runCommands(input: CheckInput, containerId: string): Promise<CheckCommandResult[]> {
  const all = [...(input.install.trim() ? [input.install.trim()] : []), ...input.commands];
  const out: CheckCommandResult[] = [];
  let failed = false;
  for (const command of all) {
    if (failed) {
      out.push({ command, exit_code: null, duration_ms: 0, timed_out: false, output: '' });
      continue;
    }
    heartbeat(command);
    const t = Date.now();
    const run = await runTimed(containerId, command, input.timeoutS, { CI: '1' });
    const timedOut = run.exitCode === 124;
    out.push({
      command,
      exit_code: run.exitCode,
      duration_ms: Date.now() - t,
      timed_out: timedOut,
      output: outputTail(run.stdout + run.stderr, OUTPUT_TAIL_LINES, OUTPUT_TAIL_CHARS),
    });
    failed = run.exitCode !== 0;
  }
  return out;
}

function saveReport(input: CheckInput, report: CheckReport): CheckResult {
  const dir = path.join(input.runDir, 'check');
  mkdirSync(dir, { recursive: true });
  const reportPath = `check/r${input.round}.json`;
  writeFileSync(path.join(input.runDir, reportPath), `${JSON.stringify(report, null, 2)}\n`);
  return { report, failures: ownersOfCheckFailures(report, input.manifest), reportPath };
}
