// Smoke: a trivial workflow round-trips through the real Temporal dev server and a real worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pingWorkflow } from '../../workflows/index.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';

describe('platform smoke', () => {
  let worker: RunningWorker;
  beforeAll(async () => {
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it('runs pingWorkflow through the dev server and a worker', async () => {
    const { client, close } = await testClient();
    try {
      const result = await client.workflow.execute(pingWorkflow, {
        args: ['hello'],
        taskQueue: worker.target.taskQueue,
        workflowId: `smoke-${Date.now()}`,
      });
      expect(result).toMatch(/^pong: hello \(from .+\)$/);
    } finally {
      await close();
    }
  });
});
