// SHIP: open the harness's pull request through the GitHub REST API when the remote is on GitHub
// and the worker has a token; otherwise (or when the API refuses) hand back the compare URL so the
// same body goes to docs/harness/report.md. The token is read here, on the worker, and never
// appears in the input, the result, an error or a log line.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { redact } from '../../core/agents/index.js';
import { REPORT_PATH } from '../../core/harness/pr-body.js';
import { redactSecrets, workerCredentials } from '../engine/secrets.js';

export const DEFAULT_GITHUB_API = 'https://api.github.com';

export interface PullRequestInput {
  /** The remote's URL as the run knows it (https, ssh or scp-like). */
  repo: string;
  /** The pushed branch holding the build. */
  head: string;
  /** The branch the PR targets. */
  base: string;
  title: string;
  body: string;
  /** REST API root; default DKMV_GITHUB_API_URL, else api.github.com (a test points it at a loopback fake). */
  apiBaseUrl?: string;
}

export type PullRequestResult =
  | { kind: 'pull_request'; url: string; number: number; created: boolean }
  | { kind: 'report'; compareUrl: string | null; reportPath: string; reason: string };

export interface GitHubRepo {
  owner: string;
  name: string;
}

/** owner/name of a github.com remote (https with or without credentials, ssh, scp-like); null otherwise. */
export function parseGitHubRemote(url: string): GitHubRepo | null {
  const m =
    /^(?:https?:\/\/(?:[^@/]+@)?github\.com\/|ssh:\/\/git@github\.com(?::\d+)?\/|git@github\.com:)([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/i.exec(
      url.trim(),
    );
  return m ? { owner: m[1]!, name: m[2]! } : null;
}

export function compareUrl(repo: GitHubRepo, base: string, head: string): string {
  return `https://github.com/${repo.owner}/${repo.name}/compare/${encodeURIComponent(base)}...${encodeURIComponent(head)}?expand=1`;
}

/** The activity: the token comes from the worker's environment or credential files. */
export async function openPullRequest(input: PullRequestInput): Promise<PullRequestResult> {
  const token = (await workerCredentials()).githubToken;
  return openPullRequestWith(input, token);
}

/** Same, with the token given (tests, callers that resolved credentials themselves). */
export async function openPullRequestWith(
  input: PullRequestInput,
  token: string | undefined,
): Promise<PullRequestResult> {
  const gh = parseGitHubRemote(input.repo);
  const report = (reason: string): PullRequestResult => ({
    kind: 'report',
    compareUrl: gh ? compareUrl(gh, input.base, input.head) : null,
    reportPath: REPORT_PATH,
    reason,
  });
  if (!gh) return report('the remote is not on GitHub');
  if (!token) return report('no GitHub token (set GITHUB_TOKEN or GH_TOKEN, or log in with gh)');
  const clean = (text: string) => redactSecrets(redact(text, [token]));
  const api = new GitHubApi(input.apiBaseUrl ?? process.env.DKMV_GITHUB_API_URL ?? DEFAULT_GITHUB_API, token);
  try {
    const body = clean(input.body);
    const created = await api.call('POST', `/repos/${gh.owner}/${gh.name}/pulls`, {
      title: clean(input.title),
      head: input.head,
      base: input.base,
      body,
    });
    if (created.status === 201) {
      const pr = created.json as { html_url: string; number: number };
      return { kind: 'pull_request', url: pr.html_url, number: pr.number, created: true };
    }
    if (created.status === 422 && /already exists/i.test(created.text)) {
      // A re-run of SHIP (retry, continue): the PR is there; refresh its body.
      const query = `?head=${encodeURIComponent(`${gh.owner}:${input.head}`)}&state=open`;
      const open = await api.call('GET', `/repos/${gh.owner}/${gh.name}/pulls${query}`);
      const pr = (open.json as { html_url: string; number: number }[] | undefined)?.[0];
      if (pr) {
        await api.call('PATCH', `/repos/${gh.owner}/${gh.name}/pulls/${pr.number}`, { body });
        return { kind: 'pull_request', url: pr.html_url, number: pr.number, created: false };
      }
    }
    return report(clean(`GitHub refused the pull request (HTTP ${created.status}: ${summary(created)})`));
  } catch (err) {
    return report(clean(`GitHub API unreachable: ${(err as Error).message}`));
  }
}

interface ApiAnswer {
  status: number;
  text: string;
  json: unknown;
}

function summary(answer: ApiAnswer): string {
  const j = answer.json as { message?: string; errors?: { message?: string }[] } | undefined;
  const parts = [j?.message, ...(j?.errors ?? []).map((e) => e.message)].filter(Boolean);
  return (parts.length ? parts.join('; ') : answer.text).slice(0, 300);
}

class GitHubApi {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async call(method: string, route: string, body?: unknown): Promise<ApiAnswer> {
    const res = await fetch(`${this.base.replace(/\/+$/, '')}${route}`, {
      method,
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${this.token}`,
        'X-GitHub-Api-Version': '2022-11-28',
        'User-Agent': 'dkmv-harness',
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  }
}

/** Writes the body to docs/harness/report.md in a checkout (the caller commits and pushes it). */
export async function writeHarnessReport(checkout: string, body: string): Promise<string> {
  await workerCredentials(); // so the worker's secrets are known to the redaction
  const file = path.join(checkout, REPORT_PATH);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, redactSecrets(body));
  return REPORT_PATH;
}
