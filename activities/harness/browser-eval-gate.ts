// Gate 4's file half: read an evaluator's `.agent/eval_report.json` and screenshots (from its
// pushed branch, or from a local checkout), inspect every PNG, apply the pure rule
// (core/harness/eval-report.ts), and copy the usable screenshots and the report to the run folder
// (`eval/<batch>/`). The first invalid attempt comes back with the complaints for a re-run; the
// last attempt is settled (missing criteria score 0).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  EVAL_REPORT_PATH,
  gate4Feedback,
  parseEvalReport,
  screenshotPaths,
  settleEvalReport,
  type BatchExpectation,
  type SettledReport,
} from '../../core/harness/eval-report.js';
import { cloneBranch } from '../git/workspace.js';
import { removeTree } from '../process/remove-tree.js';
import { redactSecrets, workerCredentials } from '../engine/secrets.js';
import { inspectScreenshots } from './browser-screenshots.js';

export interface EvalGateInput {
  expectation: BatchExpectation;
  /** Host run folder: gets `eval/<batch>/` (screenshots, the report as received). */
  runDir: string;
  /** 1 = first attempt (an invalid report asks for a re-run); the last attempt is settled whatever it holds. */
  attempt: number;
  maxAttempts?: number;
}

export type EvalGateResult =
  | { status: 'valid'; report: SettledReport; screenshots: string[] }
  | { status: 'rerun'; complaints: string[]; feedback: string }
  | { status: 'settled'; report: SettledReport; screenshots: string[] };

/** Gate 4 on the evaluator's pushed branch (the harness's normal path). */
export async function gateEvalBranch(input: EvalGateInput & { repo: string; branch: string }): Promise<EvalGateResult> {
  const token = (await workerCredentials()).githubToken;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-eval-gate-'));
  try {
    await cloneBranch(input.repo, input.branch, path.join(dir, 'ws'), token);
    return gateEvalWorkspace({ ...input, workspace: path.join(dir, 'ws') });
  } finally {
    await removeTree(dir);
  }
}

/** Gate 4 on a local checkout of the evaluator's workspace. */
export function gateEvalWorkspace(input: EvalGateInput & { workspace: string }): EvalGateResult {
  const file = path.join(input.workspace, EVAL_REPORT_PATH);
  const raw = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const { report } = raw === undefined ? { report: undefined } : parseEvalReport(raw);
  const facts = report ? inspectScreenshots(input.workspace, screenshotPaths(report)) : {};
  const settled = settleEvalReport(raw ?? { missing: true }, input.expectation, facts);
  const complaints =
    raw === undefined ? [`${EVAL_REPORT_PATH} is missing: write it before you finish`] : settled.complaints;
  const last = input.attempt >= (input.maxAttempts ?? 2);
  if (complaints.length && !last) {
    const clean = complaints.map(redactSecrets);
    return { status: 'rerun', complaints: clean, feedback: gate4Feedback(clean) };
  }
  const outDir = path.join(input.runDir, 'eval', input.expectation.batchId);
  mkdirSync(outDir, { recursive: true });
  const copied: string[] = [];
  for (const shot of settled.screenshots) {
    const name = `${shot.id.replace(/[^\w.-]+/g, '_')}.png`;
    copyFileSync(path.join(input.workspace, shot.path), path.join(outDir, name));
    copied.push(path.join('eval', input.expectation.batchId, name));
  }
  if (raw !== undefined) writeFileSync(path.join(outDir, `report-a${input.attempt}.json`), redactSecrets(raw));
  const result = { ...settled, complaints: complaints.map(redactSecrets) };
  writeFileSync(path.join(outDir, 'settled.json'), `${JSON.stringify(result, null, 2)}\n`);
  return { status: complaints.length ? 'settled' : 'valid', report: result, screenshots: copied };
}
