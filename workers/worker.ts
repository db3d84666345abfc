// The dkmv worker: polls the task queue for workflow and activity tasks. It owns the Docker host
// it runs on: sandbox containers of the runs it serves are created here.
import os from 'node:os';
import { NativeConnection, Worker } from '@temporalio/worker';
import * as allActivities from '../activities/index.js';
import { connectOptions, type TemporalTarget } from '../core/temporal/connection-options.js';
import { workflowBundle } from './bundle.js';

export interface WorkerOptions {
  target: TemporalTarget;
  /** Activities to register; tests may pass stubs. Defaults to every dkmv activity. */
  activities?: object;
  identity?: string;
}

export async function createWorker(options: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect(connectOptions(options.target));
  const worker = await Worker.create({
    connection,
    namespace: options.target.namespace,
    taskQueue: options.target.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: options.activities ?? allActivities,
    identity: options.identity ?? `dkmv-worker@${os.hostname()}:${process.pid}`,
    // Long agent turns: give running activities time to notice cancellation and clean up.
    shutdownGraceTime: '20s',
  });
  return { worker, connection };
}

/**
 * Runs a worker in the foreground until SIGINT/SIGTERM, then drains (in-flight activities get the
 * grace time; their heartbeats let a new worker pick up where this one left off).
 */
export async function runWorker(options: WorkerOptions, log: (line: string) => void = console.log): Promise<void> {
  const { worker, connection } = await createWorker(options);
  const { address, namespace, taskQueue } = options.target;
  log(`dkmv worker ready: ${address} namespace=${namespace} task-queue=${taskQueue} pid=${process.pid}`);
  try {
    await worker.run();
    log('dkmv worker stopped');
  } finally {
    await connection.close();
  }
}
