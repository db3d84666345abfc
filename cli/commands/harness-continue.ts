// `dkmv harness continue <run-id>`: a harness that ended failed, cancelled or out of budget starts
// again as a new run from its accepted plan (read back from the integration branch, Gate 1 again)
// and what landed; only the units that did not land are dispatched. Crashes never need this.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { resolveConfig } from '../../core/config/index.js';
import { UserError } from '../../core/errors.js';
import { checkPlan, formatProblems } from '../../core/harness/gate1.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import type { HarnessInput, HarnessView } from '../../core/harness/types.js';
import { makeRunId, random4hex } from '../../core/runs/run-id.js';
import { featureFromBranch } from '../run/repo.js';
import { followHarness } from './harness-follow.js';
import { printConfigNotices } from '../config-notices.js';

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The accepted plan committed on the integration branch (docs/harness/plan.json), through Gate 1. */
function planOnBranch(repo: string, branch: string): HarnessPlan {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-continue-'));
  try {
    execFileSync('git', ['clone', '-q', '--depth', '1', '-b', branch, repo, dir], { stdio: 'ignore' });
    const file = path.join(dir, 'docs', 'harness', 'plan.json');
    if (!existsSync(file)) throw new UserError(`branch ${branch} has no accepted plan (docs/harness/plan.json)`);
    const gate = checkPlan(JSON.parse(readFileSync(file, 'utf8')));
    if (!gate.ok)
      throw new UserError(`the plan on ${branch} no longer passes Gate 1:\n${formatProblems(gate.problems)}`);
    return gate.plan;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read the plan from ${repo} branch ${branch}: ${(err as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function previousView(client: Client, runDir: string, runId: string): Promise<HarnessView> {
  const recorded = readJson<HarnessView>(path.join(runDir, 'harness.json'));
  if (recorded) return recorded;
  try {
    const d = await client.workflow.getHandle(runId).describe();
    if (d.status.name === 'RUNNING')
      throw new UserError(`harness ${runId} is still running`, { hint: 'wait for it, or `dkmv stop` it first' });
  } catch (err) {
    if (err instanceof UserError) throw err;
  }
  throw new UserError(`no record of harness run ${runId} in ${runDir}`, {
    hint: 'run this where the harness was started',
  });
}

export async function continueHarness(
  client: Client,
  oldRunId: string,
  options: { json?: boolean; wait: boolean },
  start: (input: HarnessInput) => Promise<void>,
): Promise<number> {
  const config = resolveConfig({});
  printConfigNotices(config);
  const runDir = path.join(config.values.runs_dir, oldRunId);
  const old = readJson<HarnessInput & { kind?: string }>(path.join(runDir, 'config.json'));
  if (!old || old.kind !== 'harness')
    throw new UserError(`${oldRunId} is not a harness run started here`, { hint: 'list runs with `dkmv runs`' });
  const view = await previousView(client, runDir, oldRunId);
  if (
    view.status === 'completed' &&
    !view.budgetExhausted &&
    view.units.every((u) => u.status === 'landed' || u.status === 'empty')
  )
    throw new UserError(`harness ${oldRunId} completed with every unit landed; nothing to continue`);
  if (view.status === 'running' || view.status === 'awaiting_input')
    throw new UserError(`harness ${oldRunId} is still ${view.status}`, {
      hint: 'wait for it, or `dkmv stop` it first',
    });
  const plan = planOnBranch(old.repo, old.branch);
  const landed = view.units.filter((u) => u.status === 'landed' || u.status === 'empty').map((u) => u.id);
  const runId = makeRunId('harness', featureFromBranch(old.branch), new Date(), random4hex);
  const input: HarnessInput = {
    ...old,
    runId,
    runDir: path.join(config.values.runs_dir, runId),
    reviewPlan: false,
    resume: { fromRunId: oldRunId, plan, landed },
  };
  delete (input as { kind?: string }).kind;
  const redo = plan.units.length - landed.length;
  console.error(`${landed.length}/${plan.units.length} units landed before; re-dispatching ${redo}`);
  await start(input);
  if (!options.wait) {
    console.log(runId);
    return 0;
  }
  return (await followHarness(client, runId, { json: Boolean(options.json) })).code;
}
