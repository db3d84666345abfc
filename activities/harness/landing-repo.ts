// The harness's landing clone: one host-side clone of the repository per harness run, where unit
// branches are fetched, checked for ownership and merged into the integration branch (with the
// merge activities of activities/merge/), and from where the integration branch is pushed.
// Every activity here is idempotent: a retry after a crash finds the clone, or makes it again.
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { workerCredentials } from '../engine/secrets.js';
import { cloneBranch, git, pushBranch } from '../git/workspace.js';
import { removeTree } from '../process/remove-tree.js';
import { hostTaskQueue } from '../sandbox/sandbox.js';
import { carryStart, type CarryFrom, type CarryResult } from './carry-branch.js';
import { stageEvaluatorFiles, stagePlannerFiles } from './previous-files.js';

export interface LandingRepo {
  repoDir: string;
  /** Landing activities go to this worker: the clone lives on its disk. */
  hostTaskQueue: string;
}

export interface OpenIntegrationInput {
  runId: string;
  repo: string;
  branch: string;
}

export interface OpenIntegrationResult extends LandingRepo {
  /** The integration head the run starts from (units branch from the head after the plan commit). */
  head: string;
  branchCreated: boolean;
}

function landingRoot(): string {
  return process.env.DKMV_HARNESS_DIR ?? path.join(os.tmpdir(), 'dkmv-harness');
}

function repoDirOf(runId: string): string {
  return path.join(landingRoot(), runId.replace(/[^A-Za-z0-9._-]/g, '_'), 'repo');
}

async function token(): Promise<string | undefined> {
  return (await workerCredentials()).githubToken;
}

/** Makes sure the clone exists and knows every remote branch; returns it. */
export async function ensureClone(
  repo: string,
  branch: string,
  runId: string,
): Promise<{ dir: string; created: boolean }> {
  const dir = repoDirOf(runId);
  const t = await token();
  if (!existsSync(path.join(dir, '.git'))) {
    await removeTree(dir);
    mkdirSync(path.dirname(dir), { recursive: true });
    const { branchCreated } = await cloneBranch(repo, branch, dir, t);
    // Merge commits made here need an identity whatever the machine's git config says.
    const g = git(dir, t);
    await g.raw(['config', 'user.name', 'dkmv']);
    await g.raw(['config', 'user.email', 'dkmv@localhost']);
    return { dir, created: branchCreated };
  }
  await fetchShared(dir, () => git(dir, t).raw(['fetch', '--prune', 'origin', '+refs/heads/*:refs/remotes/origin/*']));
  return { dir, created: false };
}

/**
 * Landing activities of one run can run at once (generators that end together), and two fetches
 * into the same clone race for the same remote refs ("cannot lock ref … expected …"). In this
 * process a clone has at most one fetch running and one queued: whoever asks while one runs waits
 * for the queued one (it starts after they asked, so it sees what they expect), shared by all of
 * them, instead of eight fetches in a row.
 */
const fetches = new Map<string, { running?: Promise<unknown>; queued?: Promise<unknown> }>();

function fetchShared(dir: string, fetch: () => Promise<unknown>): Promise<unknown> {
  const clone = fetches.get(dir) ?? {};
  fetches.set(dir, clone);
  const start = (): Promise<unknown> => {
    const running: Promise<unknown> = Promise.resolve(fetch()).finally(() => {
      if (clone.running === running) clone.running = undefined;
      if (!clone.running && !clone.queued) fetches.delete(dir);
    });
    clone.running = running;
    return running;
  };
  if (!clone.running) return start();
  clone.queued ??= clone.running
    .catch(() => undefined)
    .then(() => {
      clone.queued = undefined;
      return start();
    });
  return clone.queued;
}

/** Clones the repository on this host and makes sure the integration branch exists on the remote. */
export async function openIntegration(input: OpenIntegrationInput): Promise<OpenIntegrationResult> {
  const { dir, created } = await ensureClone(input.repo, input.branch, input.runId);
  const g = git(dir, await token());
  const remote = await g.remoteBranches();
  if (!remote.includes(`origin/${input.branch}`)) {
    await g.checkout(['-B', input.branch]);
    await pushBranch(dir, input.branch, { ...(await tokenOption()) });
  }
  await g.checkout(['-B', input.branch, `origin/${input.branch}`]);
  const head = (await g.revparse(['HEAD'])).trim();
  return { repoDir: dir, hostTaskQueue: hostTaskQueue(baseQueue()), head, branchCreated: created };
}

function baseQueue(): string {
  // Opened from the shared queue; a retry may come through the host queue (`<queue>@<host>`).
  return Context.current().info.taskQueue.replace(/@[^@]*$/, '');
}

async function tokenOption(): Promise<{ token?: string }> {
  const t = await token();
  return t ? { token: t } : {};
}

export interface RepoRef {
  runId: string;
  repo: string;
  /** The integration branch. */
  branch: string;
}

/** Files staged onto a new role branch (activities/harness/previous-files.ts). */
export interface RoleFiles {
  /** The planner's tools; `previous`: the planner branch whose plan a re-run gets. */
  plannerFiles?: { previous?: string };
  /** Earlier evaluator branches of the batch, most relevant first: the first report found is staged. */
  evaluatorFiles?: { previous: string[] };
}

/** Creates (or moves) branch `name` on the remote to commit `from`. */
export async function createBranchAt(
  input: RepoRef & RoleFiles & { name: string; from: string; carry?: CarryFrom },
): Promise<CarryResult & { previousReportFrom?: string }> {
  const { dir } = await ensureClone(input.repo, input.branch, input.runId);
  const g = git(dir, await token());
  const start = input.carry ? await carryStart(g, input.from, input.carry) : undefined;
  let commit = start?.start ?? input.from;
  if (input.plannerFiles) commit = await stagePlannerFiles(g, commit, input.plannerFiles.previous);
  let previousReportFrom: string | undefined;
  if (input.evaluatorFiles) {
    const staged = await stageEvaluatorFiles(g, commit, input.evaluatorFiles.previous);
    commit = staged.start;
    previousReportFrom = staged.reportFrom;
  }
  await g.raw(['push', '--force', 'origin', `${commit}:refs/heads/${input.name}`]);
  return {
    ...(start ?? { carried: 'none', files: [], start: input.from }),
    ...(previousReportFrom ? { previousReportFrom } : {}),
  };
}

export interface UnitBranchState {
  /** The branch's head on the remote ('' when it does not exist). */
  head: string;
  /** No commit beyond `base`, or no file changed since it. */
  empty: boolean;
  filesChanged: string[];
}

/** Fetches a unit branch into the landing clone (as `origin/<branch>`) and describes it. */
export async function fetchUnitBranch(input: RepoRef & { unitBranch: string; base: string }): Promise<UnitBranchState> {
  const { dir } = await ensureClone(input.repo, input.branch, input.runId);
  const g = git(dir, await token());
  let head: string;
  try {
    head = (await g.revparse(['--verify', `origin/${input.unitBranch}^{commit}`])).trim();
  } catch {
    return { head: '', empty: true, filesChanged: [] };
  }
  const files = (await g.raw(['diff', '--name-only', `${input.base}...${head}`])).split('\n').filter(Boolean);
  return { head, empty: head === input.base || files.length === 0, filesChanged: files };
}

/** Resets the local integration branch to the remote's (a clean tree), ready for mergeBranches. */
export async function syncIntegration(input: RepoRef): Promise<{ head: string }> {
  const { dir } = await ensureClone(input.repo, input.branch, input.runId);
  const g = git(dir, await token());
  await g.raw(['merge', '--abort']).catch(() => undefined);
  await g.raw(['reset', '--hard']);
  await g.raw(['clean', '-fdq']);
  await g.checkout(['-B', input.branch, `origin/${input.branch}`]);
  return { head: (await g.revparse(['HEAD'])).trim() };
}

/**
 * Pushes the local integration branch after a merge. `expect` is the merge commit: when this clone
 * lost it (a new host after a crash), the push fails with LandingLost and the unit is landed again.
 */
export async function pushIntegration(input: RepoRef & { expect: string }): Promise<{ head: string }> {
  const { dir } = await ensureClone(input.repo, input.branch, input.runId);
  const g = git(dir, await token());
  const head = (await g.revparse(['HEAD'])).trim();
  if (head !== input.expect) {
    const onRemote = (await g.raw(['branch', '-r', '--contains', input.expect]).catch(() => '')).includes(
      `origin/${input.branch}`,
    );
    if (onRemote) return { head: input.expect };
    throw ApplicationFailure.nonRetryable(`landing clone lost commit ${input.expect}`, 'LandingLost');
  }
  await pushBranch(dir, input.branch, { ...(await tokenOption()) });
  return { head };
}

/** Removes the landing clone at the end of the run. */
export async function removeLandingRepo(input: { runId: string }): Promise<void> {
  await removeTree(path.dirname(repoDirOf(input.runId)));
}

/** The landing clone's path for a run (on the host that opened it). */
export function landingRepoDir(runId: string): string {
  return repoDirOf(runId);
}
