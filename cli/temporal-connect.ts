// The gRPC side of the connection module (cli/temporal/connection.ts), the one module that loads
// @temporalio/client for the CLI (imported lazily, only when gRPC is the path). A server that is not there, a namespace
// that does not exist, an API key or TLS against a plain server, or credentials the server refuses
// are the user's to fix: each becomes a UserError (exit 2) saying what, at which address, and how
// to fix it — fast (a refused port is seen at once, not after the gRPC connect timeout).
import { Client, Connection } from '@temporalio/client';
import { connectOptions, type TemporalTarget } from '../core/temporal/connection-options.js';
import { classifyTemporalError, unreachable } from './temporal-errors.js';
import { probeTcp, TCP_TIMEOUT_MS } from './temporal/tcp-probe.js';

/** How long the gRPC connect may take once the port answers (TLS handshake included). */
const CONNECT_TIMEOUT_MS = 4000;

/**
 * Opens a connection and checks the namespace (one round trip), so a wrong namespace or refused
 * credentials are reported here, before anything is started.
 */
export async function openTemporalConnection(target: TemporalTarget): Promise<Connection> {
  const tcp = await probeTcp(target.address);
  if (tcp === 'refused') return Promise.reject(unreachable(target, 'nothing listens there (connection refused)'));
  if (tcp === 'unknown-host') return Promise.reject(unreachable(target, 'the host name does not resolve'));
  if (tcp === 'timeout') return Promise.reject(unreachable(target, `no answer within ${TCP_TIMEOUT_MS / 1000}s`));
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ ...connectOptions(target), connectTimeout: CONNECT_TIMEOUT_MS });
    await connection.workflowService.describeNamespace({ namespace: target.namespace });
    return connection;
  } catch (err) {
    await connection?.close().catch(() => undefined);
    throw classifyTemporalError(err, target) ?? unreachable(target, err instanceof Error ? err.message : String(err));
  }
}

/** The SDK client on a checked connection, and how to close it. */
export async function openSdkClient(target: TemporalTarget): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await openTemporalConnection(target);
  return { client: new Client({ connection, namespace: target.namespace }), close: () => connection.close() };
}

/** True when a Temporal frontend answers gRPC at `address`. */
export async function grpcServerAnswers(address: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}
