// The GitHub token for agent tasks (e2e): off by default — the agent's environment has no token;
// with the run's opt-in the agent gets GITHUB_TOKEN/GH_TOKEN and gh as git's credential helper,
// and the token is redacted from the stream and records even when the agent prints it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStatusView } from '../../core/engine/run-types.js';
import { DKMV_HOME } from '../../core/project.js';
import { componentWorkflow } from '../../workflows/index.js';
import { makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';

const MARKER = 'gh-agent-token-MARKER-7c1e9a';
const fixture = path.join(DKMV_HOME, 'test/e2e/fixtures/agent-token');
const hash16 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

describe('GitHub token for agent tasks (e2e)', () => {
  let worker: RunningWorker;
  let mock: Mock;
  const runs: Record<'off' | 'on', { view: RunStatusView; runDir: string }> = {} as never;
  const saved = process.env.GITHUB_TOKEN;

  beforeAll(async () => {
    process.env.GITHUB_TOKEN = MARKER;
    const root = tempDir('agent-token');
    const bare = makeBareRepo(root);
    mock = await startMock(path.join(fixture, 'model-script.yaml'), root);
    worker = await startTestWorker();
    const { client, close } = await testClient();
    try {
      for (const mode of ['off', 'on'] as const) {
        const input = {
          ...runInput({
            component: fixture,
            repo: bare,
            branch: `token/${mode}`,
            projectRoot: path.join(root, mode),
            modelUrl: mock.url,
          }),
          ...(mode === 'on' ? { agentGithubToken: true } : {}),
        };
        const handle = await client.workflow.start(componentWorkflow, {
          workflowId: input.runId,
          taskQueue: worker.target.taskQueue,
          args: [input],
        });
        runs[mode] = { view: await handle.result(), runDir: input.runDir };
      }
    } finally {
      await close();
    }
  }, 600_000);
  afterAll(async () => {
    await worker?.stop();
    await mock?.close();
    if (saved === undefined) delete process.env.GITHUB_TOKEN;
    else process.env.GITHUB_TOKEN = saved;
  });

  const read = (mode: 'off' | 'on', file: string) => readFileSync(path.join(runs[mode].runDir, file), 'utf8');

  it('is off by default: the agent sees no token and no credential helper', () => {
    expect(runs.off.view.status).toBe('completed');
    expect(read('off', 'token_hash.txt').trim()).toBe(hash16(''));
    expect(read('off', 'stream.jsonl')).toContain('agent sees: none');
    expect(read('off', 'stream.jsonl')).toContain('no helper');
  });

  it('with the opt-in the agent gets the token and gh as the helper; the token is redacted everywhere', () => {
    expect(runs.on.view.status).toBe('completed');
    expect(read('on', 'token_hash.txt').trim()).toBe(hash16(MARKER));
    const stream = read('on', 'stream.jsonl');
    expect(stream).toContain('agent sees: ');
    expect(stream).toContain('!gh auth git-credential');
    for (const file of ['stream.jsonl', 'result.json', 'tasks_result.json', 'prompts_log.md'])
      expect(read('on', file)).not.toContain(MARKER);
  });
});
