// `dkmv cost` as a user runs it (`node bin/dkmv.js` child processes): spend of the project's runs
// from Temporal visibility (DkmvCostUsd and friends as the workflows set them), grouped, as a table
// and as JSON, with today's state of the project's budget ledger; bad flags are usage errors.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DkmvBranch,
  DkmvComponent,
  DkmvCostUsd,
  DkmvRepo,
  DkmvRunKind,
  DkmvStatus,
} from '../../core/temporal/search-attributes.js';
import { ledgerWorkflowId } from '../../core/ledger/accounting.js';
import { budgetLedgerWorkflow, grantUpdate } from '../../workflows/ledger/workflow.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import { clearOfUtcMidnight } from '../support/utc-day.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/dkmv.js');
const REPO = `https://example.invalid/acme/app-${randomUUID().slice(0, 8)}.git`;

let client: Client;
let close: () => Promise<void>;
let worker: RunningWorker;
let project: string;
const projectName = `cost-${randomUUID().slice(0, 8)}`;
const started: string[] = [];

/** A run as visibility sees it: started (on a queue nobody polls) with the attributes runs set. */
async function visibleRun(type: string, component: string, branch: string, cost: number, repo = REPO) {
  const id = `cost-test-${randomUUID().slice(0, 8)}`;
  await client.workflow.start(type, {
    workflowId: id,
    taskQueue: `nobody-${id}`,
    args: [],
    typedSearchAttributes: [
      { key: DkmvRunKind, value: type === 'harnessWorkflow' ? 'harness' : 'component' },
      { key: DkmvComponent, value: component },
      { key: DkmvBranch, value: branch },
      { key: DkmvRepo, value: repo },
      { key: DkmvStatus, value: 'completed' },
      { key: DkmvCostUsd, value: cost },
    ],
  });
  started.push(id);
}

function dkmv(...args: string[]) {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 120_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

beforeAll(async () => {
  // The grant below and the `dkmv cost` calls must see the same UTC day.
  await clearOfUtcMidnight(2 * 60_000);
  ({ client, close } = await testClient());
  worker = await startTestWorker();
  project = mkdtempSync(path.join(os.tmpdir(), 'dkmv-cost-'));
  mkdirSync(path.join(project, '.dkmv'));
  writeFileSync(
    path.join(project, '.dkmv', 'config.json'),
    JSON.stringify({ version: 1, name: projectName, repo: REPO, defaults: { max_daily_budget_usd: 10 } }),
  );
  await visibleRun('componentWorkflow', 'dev', 'feature/a', 0.5);
  await visibleRun('componentWorkflow', 'dev', 'feature/b', 0.25);
  await visibleRun('harnessWorkflow', 'harness', 'feature/a', 2);
  await visibleRun('componentWorkflow', 'dev', 'feature/z', 7, 'https://example.invalid/other.git');
  // A run in flight holds a grant on the project's ledger (as a run's ledgerGrant activity asks).
  await client.workflow.executeUpdateWithStart(grantUpdate, {
    args: [{ runId: 'in-flight', wantUsd: 2.5, ceilingUsd: 10 }],
    startWorkflowOperation: new WithStartWorkflowOperation(budgetLedgerWorkflow, {
      workflowId: ledgerWorkflowId(projectName),
      taskQueue: worker.target.taskQueue,
      args: [{ project: projectName }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
  started.push(ledgerWorkflowId(projectName));
  // Visibility is eventually consistent: wait until the four runs are listed.
  for (let i = 0; i < 100; i++) {
    const n = await client.workflow.count(`WorkflowId STARTS_WITH 'cost-test-' AND DkmvCostUsd > 0`);
    if (n.count >= 4) break;
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterAll(async () => {
  for (const id of started)
    await client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  await worker?.stop();
  await close?.();
});

describe('dkmv cost', () => {
  it('sums the project’s runs by component as JSON, with today’s ledger', () => {
    const res = dkmv('cost', '--by', 'component', '--json');
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as {
      by: string;
      repo: string;
      rows: { key: string; runs: number; cost_usd: number }[];
      total_usd: number;
      runs: number;
      ledger: { ceiling_usd: number; reserved_usd: number; spent_usd: number; available_usd: number };
    };
    expect(out.by).toBe('component');
    expect(out.repo).toBe(REPO);
    expect(out.rows).toEqual([
      { key: 'harness', runs: 1, cost_usd: 2 },
      { key: 'dev', runs: 2, cost_usd: 0.75 },
    ]);
    expect(out.total_usd).toBe(2.75);
    expect(out.ledger).toMatchObject({ ceiling_usd: 10, reserved_usd: 2.5, spent_usd: 0, available_usd: 7.5 });
  });

  it('prints a table by branch; --all-repos includes other repositories', () => {
    const res = dkmv('cost', '--by', 'branch', '--since', '1d');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/feature\/a\s*│\s*2\s*│\s*2\.5000/);
    expect(res.stdout).toMatch(/total\s*│\s*3\s*│\s*2\.7500/);
    expect(res.stdout).toContain('$7.5000 left of the $10 daily ceiling');
    const all = JSON.parse(dkmv('cost', '--all-repos', '--json').stdout) as { total_usd: number };
    expect(all.total_usd).toBeGreaterThanOrEqual(9.75);
  });

  it('rejects a bad --since or --by with exit code 2 and a hint', () => {
    const since = dkmv('cost', '--since', 'yesterday');
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since yesterday: not a duration or a date');
    expect(since.stderr).not.toMatch(/at .*\.ts:\d+/);
    const by = dkmv('cost', '--by', 'repo');
    expect(by.code).toBe(2);
    expect(by.stderr).toContain('one of component, branch, day');
  });
});
