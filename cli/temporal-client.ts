// Temporal clients for CLI commands, all through the connection module (cli/temporal/connection.ts).
// Commands that start or signal runs make sure a server is there (bringing up the local stack if
// needed); read-only commands only connect.
//   - session*: the everyday commands (runs, show, status, run --no-wait, approve, stop): the HTTP
//     API where it is known, else gRPC, behind one interface (cli/temporal/client-like.ts).
//   - client*: the SDK's whole client over gRPC, for what follows runs or starts harnesses.
import type { Client } from '@temporalio/client';
import { temporalTargetFromEnv, type TemporalTarget } from '../core/temporal/connection-options.js';
import { openTemporal, type TemporalSession } from './temporal/connection.js';
import { ensureStack, webUiUrl } from './stack/local-stack.js';

export interface CliClient {
  client: Client;
  target: TemporalTarget;
  webUiUrl: string;
  close(): Promise<void>;
}

export type CliSession = TemporalSession & { webUiUrl: string };

async function session(target: TemporalTarget, options: { httpUrl?: string } = {}): Promise<CliSession> {
  // Unreachable server, unknown namespace, refused credentials: UserErrors from here (exit 2).
  return { ...(await openTemporal(target, options)), webUiUrl: webUiUrl(target) };
}

async function connect(target: TemporalTarget): Promise<CliClient> {
  const opened = await openTemporal(target, { transport: 'grpc' });
  return { client: await opened.sdk(), target, webUiUrl: webUiUrl(target), close: opened.close };
}

/** For commands that start or drive runs: local stack on demand, warning when no worker polls. */
export async function clientForRuns(options: { requireWorker?: boolean } = {}): Promise<CliClient> {
  return connect(await ensureStack({ needWorker: true, ...options }));
}

/** For read-only commands that need the whole SDK client: never starts anything. */
export async function clientReadOnly(): Promise<CliClient> {
  return connect(temporalTargetFromEnv());
}

/** As clientForRuns, over the HTTP API where it is known. */
export async function sessionForRuns(options: { requireWorker?: boolean; httpUrl?: string } = {}): Promise<CliSession> {
  const { httpUrl, ...stack } = options;
  return session(await ensureStack({ needWorker: true, ...stack }), httpUrl ? { httpUrl } : {});
}

/** For read-only commands (show, runs, stop, clean): never starts anything; HTTP where known. */
export async function sessionReadOnly(options: { httpUrl?: string } = {}): Promise<CliSession> {
  return session(temporalTargetFromEnv(), options);
}
