// A Temporal client for CLI commands. Commands that start or signal runs make sure a server is
// there (bringing up the local stack if needed); read-only commands only connect. Connection
// settings come from core/temporal/connection-options (envconfig: env variables and profiles).
import { Client } from '@temporalio/client';
import { temporalTargetFromEnv, type TemporalTarget } from '../core/temporal/connection-options.js';
import { openTemporalConnection } from './temporal-connect.js';
import { ensureStack, webUiUrl } from './stack/local-stack.js';

export interface CliClient {
  client: Client;
  target: TemporalTarget;
  webUiUrl: string;
  close(): Promise<void>;
}

async function connect(target: TemporalTarget): Promise<CliClient> {
  // Unreachable server, unknown namespace, refused credentials: UserErrors from here (exit 2).
  const connection = await openTemporalConnection(target);
  return {
    client: new Client({ connection, namespace: target.namespace }),
    target,
    webUiUrl: webUiUrl(target),
    close: () => connection.close(),
  };
}

/** For commands that start or drive runs: local stack on demand, warning when no worker polls. */
export async function clientForRuns(options: { requireWorker?: boolean } = {}): Promise<CliClient> {
  return connect(await ensureStack({ needWorker: true, ...options }));
}

/** For read-only commands (show, runs, logs): never starts anything. */
export async function clientReadOnly(): Promise<CliClient> {
  return connect(temporalTargetFromEnv());
}
