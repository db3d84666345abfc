// The REVIEW gate's file half: read a reviewer's `.agent/review.json` from its pushed branch, judge
// it with the pure rule (core/harness/review-gate.ts), and keep the file as received and the verdict
// in the run folder (`review/<unit>-r<r>a<a>.json`): the review a unit lands with is attached there.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gateReview, REVIEW_PATH, type ReviewVerdict } from '../../core/harness/review-gate.js';
import { cloneBranch } from '../git/workspace.js';
import { removeTree } from '../process/remove-tree.js';
import { redactSecrets, workerCredentials } from '../engine/secrets.js';

export interface ReviewGateInput {
  repo: string;
  /** The reviewer's branch. */
  branch: string;
  unit: string;
  round: number;
  attempt: number;
  minScore: number;
  runDir: string;
}

export interface ReviewGateResult {
  verdict: ReviewVerdict;
  /** Run-folder-relative path of the saved review and verdict. */
  reviewPath: string;
}

export async function gateReviewBranch(input: ReviewGateInput): Promise<ReviewGateResult> {
  const token = (await workerCredentials()).githubToken;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-review-gate-'));
  try {
    await cloneBranch(input.repo, input.branch, path.join(dir, 'ws'), token);
    const file = path.join(dir, 'ws', REVIEW_PATH);
    const raw = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const verdict = gateReview(raw === undefined ? undefined : redactSecrets(raw), input.minScore);
    const reviewPath = path.join('review', `${input.unit}-r${input.round}a${input.attempt}.json`);
    mkdirSync(path.join(input.runDir, 'review'), { recursive: true });
    const saved = { unit: input.unit, round: input.round, attempt: input.attempt, minScore: input.minScore, verdict };
    writeFileSync(path.join(input.runDir, reviewPath), `${JSON.stringify(saved, null, 2)}\n`);
    return { verdict, reviewPath };
  } finally {
    await removeTree(dir);
  }
}
