// The dkmv worker: polls the shared task queue for workflow and activity tasks, and a queue of
// its own host (`<queue>@<host>`) for the sandbox activities of runs whose containers live on
// this Docker host.
import { NativeConnection, Worker } from '@temporalio/worker';
import * as allActivities from '../activities/index.js';
import { workerCredentials } from '../activities/engine/secrets.js';
import { failureBoundary } from '../activities/failure-boundary.js';
import { livenessHeartbeat } from '../activities/liveness.js';
import { oneAttemptAtATime } from '../activities/one-attempt.js';
import { testHooksEnabled, testPauseInterceptor } from '../activities/test-hooks.js';
import { hostTaskQueue } from '../activities/sandbox/sandbox.js';
import { connectOptions, type TemporalTarget } from '../core/temporal/connection-options.js';
import { sandboxPolicy } from '../core/sandbox/policy.js';
import { workflowBundle } from './bundle.js';
import { workerIdentity } from '../core/worker-identity.js';
import { workerConcurrency } from './concurrency.js';
import { ensureSearchAttributes } from './search-attributes.js';

export interface WorkerOptions {
  target: TemporalTarget;
  /** Activities to register; tests may pass stubs. Defaults to every dkmv activity. */
  activities?: object;
  identity?: string;
}

export interface DkmvWorker {
  connection: NativeConnection;
  /** Resolves when both pollers have drained and stopped. */
  run(): Promise<void>;
  shutdown(): void;
  hostQueue: string;
}

export async function createWorker(options: WorkerOptions): Promise<DkmvWorker> {
  // Load the credentials once up front: every file the activities write is redacted against them.
  await workerCredentials();
  // A bad sandbox policy (DKMV_SANDBOX_NETWORK/ALLOW/PIDS) stops the worker before it takes work.
  sandboxPolicy();
  const connection = await NativeConnection.connect(connectOptions(options.target));
  try {
    const added = await ensureSearchAttributes(connection.operatorService, options.target);
    if (added.length) console.log(`dkmv worker: registered search attributes ${added.join(', ')}`);
  } catch (err) {
    await connection.close();
    throw err;
  }
  const identity = options.identity ?? workerIdentity();
  const activities = options.activities ?? allActivities;
  const common = {
    connection,
    namespace: options.target.namespace,
    activities,
    identity,
    // One failure protocol: every activity error is mapped to retryable / non-retryable by rule.
    // Liveness heartbeats let a killed worker's short activities be retried within seconds; a retry
    // of one that was only slow waits for its earlier attempt here (beating meanwhile). The
    // crash-matrix TEST HOOK is installed only when its variable is set (never in production).
    interceptors: {
      activity: [
        failureBoundary,
        livenessHeartbeat,
        oneAttemptAtATime,
        ...(testHooksEnabled() ? [testPauseInterceptor] : []),
      ],
    },
    // Deliberate limits (workers/concurrency.ts), overridable by environment.
    ...workerConcurrency(),
    // Long agent turns: give running activities time to notice cancellation and clean up.
    shutdownGraceTime: '20s',
    // Agent activities heartbeat once a second with their turns and cost; by default the SDK sends
    // at most one heartbeat per 0.8 × heartbeat timeout (24 s), so the CLI's live progress stood
    // still for a whole task. One per second is one small RPC per running task.
    maxHeartbeatThrottleInterval: '1 second',
  };
  const main = await Worker.create({
    ...common,
    taskQueue: options.target.taskQueue,
    workflowBundle: await workflowBundle(),
  });
  const hostQueue = hostTaskQueue(options.target.taskQueue);
  const host = await Worker.create({ ...common, taskQueue: hostQueue });
  return {
    connection,
    hostQueue,
    run: async () => {
      // If one poller fails, stop the other too, so nothing runs on a connection about to close.
      const runs = [main, host].map((w) =>
        w.run().catch((err: unknown) => {
          for (const other of [main, host]) if (other !== w && other.getState() === 'RUNNING') other.shutdown();
          throw err;
        }),
      );
      const results = await Promise.allSettled(runs);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    shutdown: () => {
      for (const w of [main, host]) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
}

/**
 * Runs a worker in the foreground until SIGINT/SIGTERM, then drains (in-flight activities get the
 * grace time; their heartbeats let a new worker pick up where this one left off).
 */
export async function runWorker(options: WorkerOptions, log: (line: string) => void = console.log): Promise<void> {
  const worker = await createWorker(options);
  const { address, namespace, taskQueue } = options.target;
  log(
    `dkmv worker ready: ${address} namespace=${namespace} task-queue=${taskQueue} host-queue=${worker.hostQueue} pid=${process.pid}`,
  );
  try {
    await worker.run();
    log('dkmv worker stopped');
  } finally {
    await worker.connection.close();
  }
}
