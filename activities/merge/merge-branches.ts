// Activity: merge branch `source` into branch `target` in a local repository. Git merges first (it is
// right for everything it merges cleanly, including renames); every file it leaves conflicted gets the
// structural merge from its three index stages. If conflicts remain, the merge is aborted (default) or
// left in place with symbol-level conflict markers for a person or an agent to finish.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import { languageOf, lockfileNames, mergeFile } from '../../core/merge/index.js';
import type { ConflictKind, MergeMethod } from '../../core/merge/index.js';
import { parsesCleanly } from '../../core/merge/parser.js';
import { GitRepo } from '../git/git-repo.js';
import { ensureDependencies, takeDependencyEntries, type DeclaredDependencies } from './declared-dependencies.js';
import { dropDerivedFiles } from './drop-derived.js';
import { readBlob, readStages } from './stages.js';

export interface MergeBranchesInput {
  /** Path of a local clone (not bare) with both branches present. */
  repoDir: string;
  /** Branch merged into; it is checked out and receives the merge commit. */
  target: string;
  /** Branch merged from. */
  source: string;
  /** Merge commit message; git's default message when absent. */
  message?: string;
  /** What to do when conflicts remain: 'abort' (default) restores the target; 'leave' keeps the merge in progress. */
  onConflict?: 'abort' | 'leave';
  /** Harness landings: lockfiles, installed dependencies and build output never land from `source`. */
  dropDerived?: boolean;
  /** Harness landings: the plan's dependencies of every unit landed so far, written into package.json. */
  ensureDependencies?: DeclaredDependencies;
  /** With `ensureDependencies`: `source` does not own package.json, so only its dependency entries land. */
  dependencyEntriesOnly?: boolean;
}

export interface FileConflictReport {
  file: string;
  /** The symbols still in conflict (or `(file)` when the file could not be merged structurally). */
  symbols: string[];
  kinds: ConflictKind[];
}

export interface ResolvedFileReport {
  file: string;
  method: MergeMethod;
  /** Symbols both branches changed that merged cleanly. */
  symbols: string[];
}

export interface MergeBranchesResult {
  status: 'merged' | 'up-to-date' | 'conflicts';
  /** The merge commit (or the fast-forwarded head) when status is 'merged'. */
  commit?: string;
  /** Files the merge brings into target (changed on source since the merge base). */
  mergedFiles: string[];
  /** Files git could not merge that the structural merge resolved. */
  resolvedConflicts: ResolvedFileReport[];
  /** Files still in conflict, with the symbols involved. */
  conflicts: FileConflictReport[];
  /** Merged files in a supported language that no longer parse (they did on target before). */
  unparsable: string[];
  /** Lockfiles both branches changed: target's copy was kept; reinstall to regenerate them. */
  regenerate: string[];
  /** With `dropDerived`: derived files the source changed that were left as the target had them. */
  dropped?: string[];
  /** With `ensureDependencies`: the package names the landing added to package.json. */
  addedDependencies?: string[];
}

export async function mergeBranches(input: MergeBranchesInput): Promise<MergeBranchesResult> {
  const git = new GitRepo(input.repoDir);
  await assertReady(git, input);
  await git.checkout(input.target);
  const before = (await git.revparse(['HEAD'])).trim();
  const mergedFiles = lines(await git.raw(['diff', '--name-only', `${before}...${input.source}`]));
  const gitClean = await tryGitMerge(git, input);
  const result: MergeBranchesResult = {
    status: 'merged',
    mergedFiles,
    resolvedConflicts: [],
    conflicts: [],
    unparsable: [],
    regenerate: [],
  };

  if (!gitClean) await resolveConflicts(git, input.repoDir, result, input.dependencyEntriesOnly === true);
  if (result.conflicts.length > 0) {
    result.status = 'conflicts';
    if ((input.onConflict ?? 'abort') === 'abort') await git.raw(['merge', '--abort']);
    return result;
  }
  if (!gitClean) await git.raw(['commit', '--no-edit', ...(input.message ? ['-m', input.message] : [])]);
  const mergeHead = (await git.revparse(['HEAD'])).trim();
  if (mergeHead === before) return { ...result, status: 'up-to-date' };
  if (input.dropDerived) result.dropped = await dropDerivedFiles(git, input.repoDir, before, mergedFiles);
  if (input.ensureDependencies) {
    const declared =
      input.dependencyEntriesOnly && mergedFiles.includes('package.json')
        ? await takeDependencyEntries(git, before, input.source, input.ensureDependencies)
        : input.ensureDependencies;
    result.addedDependencies = await ensureDependencies(git, input.repoDir, declared);
  }
  const after = (await git.revparse(['HEAD'])).trim();
  result.commit = after;
  result.unparsable = await unparsableFiles(git, before, mergedFiles);
  return result;
}

async function assertReady(git: GitRepo, input: MergeBranchesInput): Promise<void> {
  if (!(await git.isRepo())) throw new UserError(`not a git repository: ${input.repoDir}`);
  if (await git.hasUncommittedChanges())
    throw new UserError(`the working tree of ${input.repoDir} has uncommitted changes`, {
      hint: 'commit or stash them before merging',
    });
  for (const branch of [input.target, input.source]) {
    try {
      await git.revparse(['--verify', `${branch}^{commit}`]);
    } catch {
      throw new UserError(`branch not found: ${branch}`, { location: { file: input.repoDir } });
    }
  }
}

/**
 * Git attributes that stop git from merging lockfiles as text (`-merge`: both changed = conflict), so
 * they reach the structural merge, which keeps ours and reports them for regeneration.
 */
function lockfileAttributes(): Promise<string> {
  // Written once per process, in a directory of its own: concurrent merges never see it half-written.
  attributesFile ??= (async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'dkmv-merge-')), 'lockfiles.gitattributes');
    await writeFile(file, lockfileNames.map((name) => `${name} -merge\n`).join(''));
    return file;
  })();
  return attributesFile;
}

let attributesFile: Promise<string> | undefined;

/** Runs git's own merge; true when it finished without conflicts (merge commit made). */
async function tryGitMerge(git: GitRepo, input: MergeBranchesInput): Promise<boolean> {
  const args = [
    '-c',
    `core.attributesFile=${await lockfileAttributes()}`,
    'merge',
    '--no-ff',
    '--no-edit',
    ...(input.message ? ['-m', input.message] : []),
    input.source,
  ];
  // git may or may not say why on stderr when a merge conflicts; the index is the ground truth.
  let failure: unknown;
  try {
    await git.raw(args);
  } catch (error) {
    failure = error;
  }
  const unmerged = lines(await git.raw(['diff', '--name-only', '--diff-filter=U']));
  if (unmerged.length > 0) return false;
  // Not a content conflict. Histories git refuses to merge stay that way on retry: a user error
  // (non-retryable at the activity boundary); anything else (a lock, a full disk) may pass.
  if (failure && /unrelated histories|not something we can merge/i.test(String(failure))) {
    throw new UserError(`git cannot merge ${input.source} into ${input.target}: ${(failure as Error).message.trim()}`);
  }
  if (failure) throw failure;
  return true;
}

async function resolveConflicts(
  git: GitRepo,
  repoDir: string,
  result: MergeBranchesResult,
  dependencyEntriesOnly: boolean,
): Promise<void> {
  for (const [file, stages] of await readStages(git)) {
    const [base, ours, theirs] = await Promise.all([1, 2, 3].map((s) => readBlob(git, stages.get(s))));
    if (dependencyEntriesOnly && file === 'package.json' && ours !== undefined) {
      // Only the source's dependency entries land (after the merge): keep the target's manifest.
      await writeFile(path.join(repoDir, file), ours);
      await git.add(file);
      result.resolvedConflicts.push({ file, method: 'lockfile', symbols: [] });
      continue;
    }
    if (ours === undefined || theirs === undefined || [base, ours, theirs].some((t) => t?.includes('\0'))) {
      // Deleted on one side, or binary: nothing symbol-level to do.
      result.conflicts.push({ file, symbols: ['(file)'], kinds: ['delete-modify'] });
      continue;
    }
    const merged = await mergeFile({ file, base: base ?? '', ours, theirs });
    if (merged.clean) {
      await writeFile(path.join(repoDir, file), merged.text);
      await git.add(file);
      result.resolvedConflicts.push({ file, method: merged.method, symbols: merged.resolved });
      if (merged.regenerate) result.regenerate.push(file);
      continue;
    }
    // Keep git's own markers for a line fallback; our per-symbol markers are smaller otherwise.
    if (merged.method === 'structural') await writeFile(path.join(repoDir, file), merged.text);
    result.conflicts.push({
      file,
      symbols: merged.conflicts.map((c) => c.symbol),
      kinds: merged.conflicts.map((c) => c.kind),
    });
  }
}

async function unparsableFiles(git: GitRepo, before: string, files: string[]): Promise<string[]> {
  const broken: string[] = [];
  for (const file of files) {
    const language = languageOf(file);
    if (!language) continue;
    const now = await readBlob(git, `HEAD:${file}`);
    if (now === undefined || parsesCleanly(now, language)) continue;
    const was = await readBlob(git, `${before}:${file}`);
    if (was === undefined || parsesCleanly(was, language)) broken.push(file);
  }
  return broken;
}

function lines(output: string): string[] {
  return output.split('\n').filter((l) => l.trim() !== '');
}
