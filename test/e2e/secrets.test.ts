// Secrets never reach workflow history, run folders or the branch: a run with marker credentials
// in the worker's environment, then a search for the markers everywhere dkmv wrote.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DKMV_HOME } from '../../core/project.js';
import type { ComponentRunInput, RunStatusView } from '../../core/engine/run-types.js';
import { componentWorkflow } from '../../workflows/index.js';
import { fileOnBranch, makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';
import { startReceiver, type Receiver } from '../workflow/webhook-receiver.js';

const MARKERS = ['dkmv-test-marker-anthropic-4f7d1c', 'dkmv-test-marker-github-5e0a8b'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('secrets (e2e)', () => {
  let worker: RunningWorker;
  let mock: Mock;
  let input: ComponentRunInput;
  let bare: string;
  let view: RunStatusView;
  let history: string;
  let receiver: Receiver;
  const saved = { anthropic: process.env.ANTHROPIC_API_KEY, github: process.env.GITHUB_TOKEN };

  beforeAll(async () => {
    process.env.ANTHROPIC_API_KEY = MARKERS[0];
    process.env.GITHUB_TOKEN = MARKERS[1];
    const root = tempDir('secrets');
    bare = makeBareRepo(root);
    mock = await startMock(path.join(DKMV_HOME, 'components/examples/hello/model-script.yaml'), root);
    worker = await startTestWorker();
    receiver = await startReceiver();
    input = runInput({
      component: 'hello',
      repo: bare,
      branch: 'secret/check',
      projectRoot: path.join(root, 'p'),
      modelUrl: mock.url,
    });
    input.notify = { urls: [receiver.url], namespace: 'default' };
    const { client, close } = await testClient();
    try {
      const handle = await client.workflow.start(componentWorkflow, {
        workflowId: input.runId,
        taskQueue: worker.target.taskQueue,
        args: [input],
      });
      view = await handle.result();
      history = JSON.stringify(await handle.fetchHistory());
    } finally {
      await close();
    }
  });
  afterAll(async () => {
    await worker?.stop();
    await mock?.close();
    await receiver?.close();
    process.env.ANTHROPIC_API_KEY = saved.anthropic;
    process.env.GITHUB_TOKEN = saved.github;
    if (saved.anthropic === undefined) delete process.env.ANTHROPIC_API_KEY;
    if (saved.github === undefined) delete process.env.GITHUB_TOKEN;
  });

  it('runs with the marker credentials', () => {
    expect(view.status).toBe('completed');
    // The key did reach the agent: the mock saw requests from it.
    expect(mock.requests().length).toBeGreaterThan(0);
  });

  it('keeps them out of workflow history', () => {
    for (const marker of MARKERS) expect(history).not.toContain(marker);
  });

  it('keeps them out of webhook notifications', () => {
    // The run's end is notified before the run closes.
    expect(receiver.received.map((r) => r.body.event)).toEqual(['completed']);
    for (const r of receiver.received) for (const marker of MARKERS) expect(r.raw).not.toContain(marker);
  });

  it('keeps them out of the run folder', () => {
    const files = filesUnder(input.runDir);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files)
      for (const marker of MARKERS) expect(readFileSync(file, 'utf8'), file).not.toContain(marker);
  });

  it('gives a `credentials: [github]` script the token, and redacts it from the script log', async () => {
    const script = runInput({
      component: path.join(DKMV_HOME, 'test/e2e/fixtures/github-cred'),
      repo: bare,
      branch: 'secret/script',
      projectRoot: path.join(path.dirname(input.runDir), '..', '..', 'q'),
      modelUrl: mock.url,
    });
    const { client, close } = await testClient();
    try {
      const handle = await client.workflow.start(componentWorkflow, {
        workflowId: script.runId,
        taskQueue: worker.target.taskQueue,
        args: [script],
      });
      expect((await handle.result()).status).toBe('completed');
      expect(JSON.stringify(await handle.fetchHistory())).not.toContain(MARKERS[1]);
    } finally {
      await close();
    }
    const hash = createHash('sha256')
      .update(MARKERS[1] as string)
      .digest('hex')
      .slice(0, 16);
    expect(fileOnBranch(bare, 'secret/script', '.agent/token_hash.txt').trim()).toBe(hash);
    const log = readFileSync(path.join(script.runDir, 'script_pr.log'), 'utf8');
    expect(log).toContain('careless script prints the token: [REDACTED]');
    expect(log).not.toContain(MARKERS[1]);
  });

  it('keeps them out of the branch', () => {
    const all = execFileSync('git', ['--git-dir', bare, 'log', '-p', 'secret/check'], { encoding: 'utf8' });
    for (const marker of MARKERS) expect(all).not.toContain(marker);
  });
});
