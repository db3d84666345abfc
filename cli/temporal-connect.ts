// The one place the CLI opens a connection to Temporal. A server that is not there, a namespace
// that does not exist, an API key or TLS against a plain server, or credentials the server refuses
// are the user's to fix: each becomes a UserError (exit 2) saying what, at which address, and how
// to fix it — fast (a refused port is seen at once, not after the gRPC connect timeout).
import net from 'node:net';
import { Connection } from '@temporalio/client';
import { connectOptions, type TemporalTarget } from '../core/temporal/connection-options.js';
import { classifyTemporalError, unreachable } from './temporal-errors.js';

/** How long the gRPC connect may take once the port answers (TLS handshake included). */
const CONNECT_TIMEOUT_MS = 4000;
const TCP_TIMEOUT_MS = 2500;

type TcpProbe = 'open' | 'refused' | 'timeout' | 'unknown-host' | 'error';

/** Whether something listens at host:port; a refused connection answers at once. */
export function probeTcp(address: string, timeoutMs = TCP_TIMEOUT_MS): Promise<TcpProbe> {
  const cut = address.lastIndexOf(':');
  const host = cut > 0 ? address.slice(0, cut).replace(/^\[|\]$/g, '') : address;
  const port = cut > 0 ? Number(address.slice(cut + 1)) : 7233;
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (result: TcpProbe): void => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done('open'));
    socket.once('timeout', () => done('timeout'));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(
        err.code === 'ECONNREFUSED'
          ? 'refused'
          : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
            ? 'unknown-host'
            : 'error',
      ),
    );
  });
}

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

/** Runs `fn` with a connection that is closed afterwards. */
export async function withTemporalConnection<T>(
  target: TemporalTarget,
  fn: (connection: Connection) => Promise<T>,
): Promise<T> {
  const connection = await openTemporalConnection(target);
  try {
    return await fn(connection);
  } catch (err) {
    throw classifyTemporalError(err, target) ?? err;
  } finally {
    await connection.close();
  }
}
