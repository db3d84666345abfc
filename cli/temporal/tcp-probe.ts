// Whether something listens at a host:port, without any Temporal client: a refused connection
// answers at once, so a stopped local stack is seen immediately (not after a connect timeout).
import net from 'node:net';

export type TcpProbe = 'open' | 'refused' | 'timeout' | 'unknown-host' | 'error';

export const TCP_TIMEOUT_MS = 2500;

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
