// Activities for harnessWorkflow tests: the real harness and merge activities (real git on a local
// bare repo) plus componentWorkflow's fakes for the children, whose commitTask writes the files a
// test scripts for that child onto the child's branch (so landing merges real commits). The lockfile
// step is real but for its install (a sandbox needs Docker: test/e2e), which derives a lockfile from
// the integration head's package.json as npm would.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import * as harness from '../../activities/harness/index.js';
import {
  regenerateLockfilesWith,
  type InstallOutcome,
  type LockfilesInput,
} from '../../activities/harness/lockfiles.js';
import { checkBranchOwnership, mergeBranches } from '../../activities/merge/index.js';
import { runProcess } from '../../activities/process/launcher.js';
import type { MergeBranchesInput, MergeBranchesResult } from '../../activities/merge/index.js';
import type { CommitTaskInput, FinishTaskInput, FinishTaskResult } from '../../core/engine/activity-types.js';
import { fakeActivities } from './fakes.js';

/** A file's new content (text or bytes), a function of its old content (undefined when new), or null: delete it. */
export type Edit = string | Buffer | null | ((old: string | undefined) => string);

/** Files each child writes, by child workflow id. */
export const childEdits = new Map<string, Record<string, Edit>>();
/** mergeBranches answers `conflicts` for these unit-branch heads' units (by branch name prefix), once each. */
export const forcedConflicts = new Set<string>();

/** Started by the launcher, like the product's git: a fork of the test worker costs far more. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await runProcess('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], { cwd });
  if (result.code !== 0) throw new Error(`git ${args[0]} failed (exit ${result.code}): ${result.stderr.toString()}`);
  return result.stdout.toString('utf8');
}

async function applyEdits(repo: string, branch: string, edits: Record<string, Edit>): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-hfake-'));
  try {
    await commitEdits(dir, repo, branch, edits);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function commitEdits(dir: string, repo: string, branch: string, edits: Record<string, Edit>): Promise<void> {
  await git(dir, 'clone', '-q', '-b', branch, repo, '.');
  for (const [file, edit] of Object.entries(edits)) {
    const full = path.join(dir, file);
    const old = existsSync(full) ? readFileSync(full, 'utf8') : undefined;
    if (edit === null) {
      rmSync(full, { force: true });
      continue;
    }
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, typeof edit === 'function' ? edit(old) : edit);
  }
  await git(dir, 'add', '-f', '-A');
  await git(dir, 'commit', '-qm', `fake child work on ${branch}`);
  await git(dir, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
}

/** The lockfile npm would write for a manifest (what the scripted install produces). */
export function derivedLockfile(manifest: { name?: string; dependencies?: Record<string, string> }): string {
  const root = { ...(manifest.name ? { name: manifest.name } : {}), dependencies: manifest.dependencies ?? {} };
  return `${JSON.stringify({ ...root, lockfileVersion: 3, requires: true, packages: { '': root } }, null, 2)}\n`;
}

/** The install, scripted: package-lock.json from the integration head's package.json. */
async function scriptedInstall(input: LockfilesInput, lockfiles: string[]): Promise<InstallOutcome> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-hfake-install-'));
  try {
    await git(dir, 'clone', '-q', '-b', input.branch, input.repo, '.');
    const manifest = path.join(dir, 'package.json');
    const parsed = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as object) : {};
    const files = Object.fromEntries(
      lockfiles.map((f) => [f, f === 'package-lock.json' ? derivedLockfile(parsed) : undefined]),
    );
    return { ok: true, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const harnessTestActivities = {
  ...fakeActivities,
  ...harness,
  checkBranchOwnership,
  regenerateLockfiles: (input: LockfilesInput) => regenerateLockfilesWith(input, scriptedInstall),
  async mergeBranches(input: MergeBranchesInput): Promise<MergeBranchesResult> {
    for (const unit of forcedConflicts) {
      if (input.message?.includes(`land ${unit} `)) {
        forcedConflicts.delete(unit);
        return {
          status: 'conflicts',
          mergedFiles: [],
          resolvedConflicts: [],
          conflicts: [{ file: 'public/widgets.js', symbols: ['createTodo'], kinds: ['both-modified' as never] }],
          unparsable: [],
          regenerate: [],
        };
      }
    }
    return mergeBranches(input);
  },
  async commitTask(input: CommitTaskInput): Promise<{ committed: boolean; head: string }> {
    const result = await fakeActivities.commitTask(input);
    const id = Context.current().info.workflowExecution?.workflowId ?? '';
    const edits = childEdits.get(id);
    if (edits) await applyEdits(input.run.repo, input.run.branch, edits);
    return result;
  },
  /** The one-trip outputs check + commit (patched 'finish-task-one-trip') commits the same way. */
  async finishTask(input: FinishTaskInput): Promise<FinishTaskResult> {
    const check = await fakeActivities.checkOutputs(input);
    if (!check.ok || !input.task.commit) return { check };
    const { run, sandbox, task, message } = input;
    return {
      check,
      commit: await harnessTestActivities.commitTask({ run, sandbox, task, message, forceAdd: check.saved }),
    };
  },
};
