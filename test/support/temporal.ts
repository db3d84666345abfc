// Helpers for tests against the real dev server: a client, and a worker on a task queue of its own.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';
import type { TemporalTarget } from '../../core/temporal/connection-options.js';
import { createWorker } from '../../workers/worker.js';

// Keep test output readable: the SDK logs worker state changes at INFO.
Runtime.install({ logger: new DefaultLogger('WARN') });

export function testTarget(
  taskQueue = `test-${randomUUID().slice(0, 8)}`,
  address = inject('temporalAddress'),
): TemporalTarget {
  return { address, namespace: 'default', taskQueue, explicitAddress: true };
}

export async function testClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  return { client: new Client({ connection, namespace: 'default' }), close: () => connection.close() };
}

export interface RunningWorker {
  target: TemporalTarget;
  stop: () => Promise<void>;
}

/** Starts a worker (real activities unless stubs are given) on a fresh task queue. */
export async function startTestWorker(
  options: { activities?: object; taskQueue?: string; address?: string } = {},
): Promise<RunningWorker> {
  const target = testTarget(options.taskQueue, options.address);
  const worker = await createWorker({
    target,
    ...(options.activities ? { activities: options.activities } : {}),
  });
  const running = worker.run();
  return {
    target,
    stop: async () => {
      worker.shutdown();
      await running;
      await worker.connection.close();
    },
  };
}
