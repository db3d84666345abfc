// Reading the planner's `.agent/plan.json` from its branch (then Gate 1), and committing the accepted
// plan to the integration branch as docs/harness/plan.json + plan.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkPlan } from '../../core/harness/gate1.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { renderPlanMd } from '../../core/harness/plan-views.js';
import { workerCredentials } from '../engine/secrets.js';
import { git, pushBranch } from '../git/workspace.js';
import { ensureClone, type RepoRef } from './landing-repo.js';

export type ReadPlanResult = { accepted: true; plan: HarnessPlan } | { accepted: false; problems: string[] };

/** The plan on the planner's branch through Gate 1; a missing or malformed file is a G1.1 problem. */
export async function readPlan(input: RepoRef & { plannerBranch: string }): Promise<ReadPlanResult> {
  const { dir } = await ensureClone(input.repo, input.branch, input.runId);
  const g = git(dir, (await workerCredentials()).githubToken);
  let text: string;
  try {
    text = await g.raw(['show', `origin/${input.plannerBranch}:.agent/plan.json`]);
  } catch {
    return {
      accepted: false,
      problems: ['G1.1: .agent/plan.json was not written (write the plan to that exact path)'],
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { accepted: false, problems: [`G1.1: .agent/plan.json is not valid JSON: ${(err as Error).message}`] };
  }
  const gate = checkPlan(raw);
  return gate.ok ? { accepted: true, plan: gate.plan } : { accepted: false, problems: gate.problems };
}

/** Writes files on the integration branch, commits and pushes them; returns the new head. */
export async function commitToIntegration(
  input: RepoRef & { files: Record<string, string>; message: string },
): Promise<{ head: string }> {
  const { dir } = await ensureClone(input.repo, input.branch, input.runId);
  const token = (await workerCredentials()).githubToken;
  const g = git(dir, token);
  await g.raw(['merge', '--abort']).catch(() => undefined);
  await g.raw(['reset', '--hard']);
  await g.checkout(['-B', input.branch, `origin/${input.branch}`]);
  for (const [file, content] of Object.entries(input.files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  await g.add(Object.keys(input.files));
  const staged = (await g.raw(['diff', '--cached', '--name-only'])).trim();
  if (staged) {
    await g.raw(['commit', '-m', input.message]);
    await pushBranch(dir, input.branch, token ? { token } : {});
  }
  return { head: (await g.revparse(['HEAD'])).trim() };
}

/** The accepted plan on the integration branch. */
export async function commitPlan(input: RepoRef & { plan: HarnessPlan }): Promise<{ head: string }> {
  return commitToIntegration({
    ...input,
    files: {
      'docs/harness/plan.json': `${JSON.stringify(input.plan, null, 2)}\n`,
      'docs/harness/plan.md': renderPlanMd(input.plan),
    },
    message: 'dkmv harness: accepted plan',
  });
}
