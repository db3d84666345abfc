// A Temporal client for CLI commands. Commands that start or signal runs make sure a server is
// there (bringing up the local stack if needed); read-only commands only connect. Connection
// settings come from core/temporal/connection-options (envconfig: env variables and profiles).
import { Client, Connection } from '@temporalio/client';
import { connectOptions, temporalTargetFromEnv, type TemporalTarget } from '../core/temporal/connection-options.js';
import { UserError } from '../core/errors.js';
import { ensureStack, webUiUrl } from './stack/local-stack.js';

export interface CliClient {
  client: Client;
  target: TemporalTarget;
  webUiUrl: string;
  close(): Promise<void>;
}

async function connect(target: TemporalTarget): Promise<CliClient> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...connectOptions(target), connectTimeout: 5000 });
  } catch (err) {
    throw new UserError(`cannot reach Temporal at ${target.address}: ${(err as Error).message}`, {
      hint: target.explicitAddress
        ? 'check TEMPORAL_ADDRESS / TEMPORAL_PROFILE (and the TLS and API key settings)'
        : 'start the local stack with `dkmv up`',
      exitCode: 1,
    });
  }
  return {
    client: new Client({ connection, namespace: target.namespace }),
    target,
    webUiUrl: webUiUrl(target),
    close: () => connection.close(),
  };
}

/** For commands that start or drive runs: local stack on demand, warning when no worker polls. */
export async function clientForRuns(): Promise<CliClient> {
  return connect(await ensureStack({ needWorker: true }));
}

/** For read-only commands (show, runs, logs): never starts anything. */
export async function clientReadOnly(): Promise<CliClient> {
  return connect(temporalTargetFromEnv());
}
