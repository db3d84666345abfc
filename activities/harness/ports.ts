// Free loopback ports for the apps the quality loop starts: every evaluator and fixer sandbox runs
// the app on host networking, several at once, so each gets its own port (PORT, DKMV_APP_URL).
import getPort from 'get-port';

export async function allocateAppPorts(input: { count: number }): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < input.count) {
    const port = await getPort({ host: '127.0.0.1', exclude: ports });
    ports.push(port);
  }
  return ports;
}
