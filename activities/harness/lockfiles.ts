// Lockfiles regenerated at integration (no agent). Units and fixers never land a lockfile (the
// landing puts it back: activities/merge/drop-derived.ts), so before SHIP the integration branch's
// lockfiles are regenerated from the merged manifests: the app's own install runs in a sandbox on
// the integration head, and the lockfiles it changed are committed to the integration branch from
// the landing clone. Which lockfiles: those the branch tracks and those a landed commit of this run
// touched (a unit's or fixer's `npm install`; the landing dropped them). Only names and the new head
// leave this activity, never a lockfile's content (workflow history stays small).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isNeverCommitted } from '../../core/engine/never-committed.js';
import { lockfileNames } from '../../core/merge/languages.js';
import { workerCredentials } from '../engine/secrets.js';
import type { GitRepo } from '../git/git-repo.js';
import { git } from '../git/workspace.js';
import { sandboxLayout } from '../sandbox/layout.js';
import { destroySandbox } from '../sandbox/sandbox.js';
import { openIntegrationSandbox, runTimed } from './integration-sandbox.js';
import { ensureClone, type RepoRef } from './landing-repo.js';
import { commitToIntegration } from './plan-file.js';
import { outputTail } from './sandbox-output.js';

export interface LockfilesInput extends RepoRef {
  /** The integration head the run started from: lockfiles touched by commits after it are due. */
  base: string;
  /** `app.install` of the plan. */
  install: string;
  timeoutS: number;
  image: string;
  memory?: string;
}

export interface LockfilesResult {
  /** Lockfiles committed (changed or new), repository-relative. */
  files: string[];
  /** The integration head after the activity (unchanged when nothing was committed). */
  head: string;
  /** Why lockfiles that were due were not regenerated (the install failed). */
  problem?: string;
}

/** What an install produced: each due lockfile's content after it (undefined: not there). */
export type InstallOutcome = { ok: true; files: Record<string, string | undefined> } | { ok: false; problem: string };

export type Installer = (input: LockfilesInput, lockfiles: string[]) => Promise<InstallOutcome>;

/** A text lockfile of the repository itself (bun.lockb is binary: its install keeps it current by itself). */
export function isLockfile(file: string): boolean {
  const name = path.basename(file);
  return lockfileNames.includes(name) && !name.endsWith('.lockb') && !isNeverCommitted(file);
}

/** Lockfiles the integration branch tracks or that a commit since `base` touched. */
async function dueLockfiles(g: GitRepo, branch: string, base: string): Promise<string[]> {
  const head = `origin/${branch}`;
  const tracked = await g.raw(['ls-tree', '-r', '--name-only', head]);
  const touched = await g.raw(['log', '--format=', '--name-only', `${base}..${head}`]);
  const files = `${tracked}\n${touched}`.split('\n').filter((f) => f.trim() !== '' && isLockfile(f));
  return [...new Set(files)].sort();
}

export async function regenerateLockfiles(input: LockfilesInput): Promise<LockfilesResult> {
  return regenerateLockfilesWith(input, installInSandbox);
}

/** The activity with its install step given (the workflow tier scripts it: no Docker there). */
export async function regenerateLockfilesWith(input: LockfilesInput, install: Installer): Promise<LockfilesResult> {
  const { dir } = await ensureClone(input.repo, input.branch, input.runId);
  const g = git(dir, (await workerCredentials()).githubToken);
  const headOf = async () => (await g.revparse([`origin/${input.branch}`])).trim();
  const due = await dueLockfiles(g, input.branch, input.base);
  if (due.length === 0) return { files: [], head: await headOf() };
  const installed = await install(input, due);
  if (!installed.ok) return { files: [], head: await headOf(), problem: installed.problem };
  const changed: Record<string, string> = {};
  for (const file of due) {
    const now = installed.files[file];
    const before = await g.raw(['show', `origin/${input.branch}:${file}`]).catch(() => undefined);
    if (now !== undefined && now !== before) changed[file] = now;
  }
  if (Object.keys(changed).length === 0) return { files: [], head: await headOf() };
  const { head } = await commitToIntegration({
    ...input,
    files: changed,
    message: `dkmv harness: regenerate ${Object.keys(changed).join(', ')} from the merged manifests`,
  });
  return { files: Object.keys(changed), head };
}

/** `install` in a sandbox on the integration head; the due lockfiles as it left them. */
async function installInSandbox(input: LockfilesInput, lockfiles: string[]): Promise<InstallOutcome> {
  const box = await openIntegrationSandbox({
    ...input,
    runId: `${input.runId}-lockfiles`,
    component: 'harness-lockfiles',
  });
  try {
    // npm's cache in /tmp, as for SMOKE: the image's ~/.npm may belong to root.
    const env = { CI: '1', npm_config_cache: '/tmp/dkmv-npm-cache' };
    const run = await runTimed(box.containerId, input.install, input.timeoutS, env);
    if (run.exitCode !== 0) {
      // One line for the report: the command, its exit code and its last output line.
      const last = outputTail(run.stdout + run.stderr, 1, 300);
      return { ok: false, problem: `\`${input.install}\` exited ${run.exitCode}${last ? ` (${last})` : ''}` };
    }
    const workspace = sandboxLayout(box.sandboxId).workspace;
    const files: Record<string, string | undefined> = {};
    for (const file of lockfiles) files[file] = readOrUndefined(path.join(workspace, file));
    return { ok: true, files };
  } finally {
    await destroySandbox(box, false);
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
