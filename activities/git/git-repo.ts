// git in one repository folder, each command a process started by the launcher (not by the worker:
// see activities/process/launcher-helper.ts). It replaced simple-git, and keeps its rule for what
// fails: a command fails when git exits non-zero AND says why on stderr; a non-zero exit with a
// silent stderr is an answer (`merge-base` with no common base, `commit` with nothing new).
import { runProcess } from '../process/launcher.js';

/** A git command that failed: git's own output as the message, its exit code. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitRepoOptions {
  /** git's whole environment (default: the worker's). */
  env?: NodeJS.ProcessEnv;
  /** A command printing nothing for this long is killed (a hung transport). */
  silenceMs?: number;
}

export class GitRepo {
  constructor(
    readonly dir: string,
    private readonly options: GitRepoOptions = {},
  ) {}

  /** Runs `git args`; resolves with its stdout. */
  async raw(args: string[]): Promise<string> {
    const { silenceMs, env } = this.options;
    const result = await runProcess('git', args, { cwd: this.dir, env, silenceMs });
    const stdout = result.stdout.toString('utf8');
    const stderr = result.stderr.toString('utf8');
    if (result.killedBy) {
      throw new GitError(`git ${args[0]} printed nothing for ${Math.round(silenceMs! / 1000)} s: killed`, null);
    }
    if (result.code !== 0 && (stderr.length > 0 || result.signal)) {
      throw new GitError(`${stdout}${stderr}` || `git ${args[0]} ended by ${result.signal}`, result.code);
    }
    return stdout;
  }

  /** `git rev-parse args`, trimmed. */
  async revparse(args: string[]): Promise<string> {
    return (await this.raw(['rev-parse', ...args])).trim();
  }

  async add(files: string | string[]): Promise<void> {
    await this.raw(['add', ...[files].flat()]);
  }

  async checkout(args: string | string[]): Promise<void> {
    await this.raw(['checkout', ...[args].flat()]);
  }

  /** Remote-tracking branches as `origin/<name>` (the remote's HEAD alias left out). */
  async remoteBranches(): Promise<string[]> {
    const refs = await this.raw(['for-each-ref', '--format=%(refname:lstrip=2)', 'refs/remotes']);
    return refs.split('\n').filter((ref) => ref !== '' && !ref.endsWith('/HEAD'));
  }

  /** True inside a git work tree. */
  async isRepo(): Promise<boolean> {
    try {
      return (await this.revparse(['--is-inside-work-tree'])) === 'true';
    } catch {
      return false;
    }
  }

  /** True when tracked files differ from HEAD (staged or not); untracked files do not count. */
  async hasUncommittedChanges(): Promise<boolean> {
    const status = await this.raw(['status', '--porcelain']);
    return status.split('\n').some((line) => line !== '' && !line.startsWith('??'));
  }
}
