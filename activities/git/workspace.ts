// Host-side git for a sandbox workspace: clone the branch, commit what the agent did, push it.
// Every task commits and pushes, so a lost container or worker never loses finished work.
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { neverCommittedPathspecs } from '../../core/engine/never-committed.js';
import { gitEnv } from './git-env.js';
import { GitRepo } from './git-repo.js';
import { pushOnce, runInRepo } from './run-git.js';

/**
 * Folders that belong to dkmv and the agent CLIs, never to the user's branch; `/AGENTS.md` is the
 * Codex instructions file the engine writes (ignored only while untracked: a repository's own
 * AGENTS.md stays the repository's).
 */
export const IGNORED_DIRS = ['.agent/', '.claude/', '.codex/', '/AGENTS.md'];

/** git in `dir` with the host environment (gitEnv); a command silent for `silenceMs` is killed. */
export function git(dir: string, token?: string, silenceMs = 300_000): GitRepo {
  return new GitRepo(dir, { env: gitEnv(token), silenceMs });
}

export interface CloneResult {
  branchCreated: boolean;
  head: string;
}

/** Clones `repo` into `dir` and checks out `branch`, creating it from the default branch if needed. */
export async function cloneBranch(repo: string, branch: string, dir: string, token?: string): Promise<CloneResult> {
  mkdirSync(path.dirname(dir), { recursive: true });
  await git(path.dirname(dir), token).raw(['clone', '--no-tags', repo, dir]);
  const g = git(dir, token);
  const remote = await g.remoteBranches();
  const branchCreated = !remote.includes(`origin/${branch}`);
  if (!branchCreated) await g.checkout(['-B', branch, `origin/${branch}`]);
  else {
    // A remote whose HEAD names a missing branch clones with nothing checked out: start from its main line.
    const base = await defaultBase(g, remote);
    await g.checkout(base ? ['-b', branch, base] : ['--orphan', branch]);
  }
  excludeDkmvFolders(dir);
  return { branchCreated, head: await headOf(g) };
}

async function defaultBase(g: GitRepo, remote: string[]): Promise<string | undefined> {
  try {
    await g.revparse(['--verify', 'HEAD']);
    return 'HEAD';
  } catch {
    return ['origin/main', 'origin/master'].find((b) => remote.includes(b)) ?? remote[0];
  }
}

async function headOf(g: GitRepo): Promise<string> {
  try {
    return (await g.revparse(['HEAD'])).trim();
  } catch {
    return ''; // an empty repository: no commit yet
  }
}

function excludeDkmvFolders(dir: string): void {
  const exclude = path.join(dir, '.git', 'info', 'exclude');
  mkdirSync(path.dirname(exclude), { recursive: true });
  appendFileSync(
    exclude,
    `\n# dkmv: agent workspace files, never committed unless saved as outputs\n${IGNORED_DIRS.join('\n')}\n`,
  );
}

export interface CommitResult {
  committed: boolean;
  head: string;
}

/**
 * The commit as one shell process (each process a large worker spawns costs ~20 ms; git inside the
 * shell costs a few): force-add the saved outputs given as arguments, add the rest, commit, then
 * print `committed` or `unchanged` and the head. git's own "nothing to commit" is not an error.
 * Installed dependencies and virtualenvs (core/engine/never-committed.ts) are left out even when the
 * repository does not ignore them.
 */
const COMMIT_SCRIPT = `set -e
if [ "$#" -gt 0 ]; then git add -f -- "$@"; fi
git add -A -- . ${neverCommittedPathspecs()
  .map((spec) => `'${spec}'`)
  .join(' ')}
if out=$(git commit -q -m "$DKMV_COMMIT_MESSAGE" 2>&1); then echo committed; else
  case "$out" in
    *"nothing to commit"*|*"nothing added to commit"*|*"no changes added"*) echo unchanged ;;
    *) printf '%s\\n' "$out" >&2; exit 1 ;;
  esac
fi
git rev-parse -q --verify HEAD || true`;

/** Commits everything except dkmv's folders; `forceAdd` paths (saved outputs) are added even if ignored. */
export async function commitAll(dir: string, message: string, forceAdd: string[] = []): Promise<CommitResult> {
  const present = forceAdd.filter((rel) => existsSync(path.join(dir, rel)));
  const out = await runInRepo(dir, 'sh', ['-c', COMMIT_SCRIPT, 'dkmv-commit', ...present], {
    DKMV_COMMIT_MESSAGE: message,
  });
  if (out.code !== 0) throw new Error(`git commit failed: ${(out.stderr || out.stdout).trim()}`);
  const [status, head] = out.stdout.trim().split('\n');
  return { committed: status === 'committed', head: head?.trim() ?? '' };
}

export interface PushOptions {
  token?: string;
  attempts?: number;
  /** Abort an attempt after this long without any output from git (progress keeps it alive). */
  silenceTimeoutMs?: number;
  onRetry?: (attempt: number, error: string) => void;
}

/** Pushes `branch` with retries and exponential backoff; large pushes survive as long as git makes progress. */
export async function pushBranch(dir: string, branch: string, options: PushOptions = {}): Promise<void> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      await pushOnce(dir, branch, options.token, options.silenceTimeoutMs ?? 300_000);
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
      options.onRetry?.(attempt, err instanceof Error ? err.message : String(err));
      await new Promise((r) => setTimeout(r, 2000 * 2 ** (attempt - 1)));
    }
  }
}
