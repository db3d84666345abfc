// The container side of `network: allowlist`: which proxy variables it gets, and which allowlisted
// host-loopback services the relay forwards onto the container's own loopback.
import { describe, expect, it } from 'vitest';
import { CONTAINER_PROXY_PORT, loopbackForwards, proxyEnv, relayCommand } from '../../../activities/sandbox/egress.js';

describe('proxyEnv', () => {
  it('points every usual variable at the relay and keeps loopback direct', () => {
    const env = proxyEnv();
    for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy'])
      expect(env).toContain(`${k}=http://127.0.0.1:${CONTAINER_PROXY_PORT}`);
    expect(env).toContain('NO_PROXY=localhost,127.0.0.1,::1');
    expect(env).toContain('no_proxy=localhost,127.0.0.1,::1');
  });
});

describe('loopbackForwards', () => {
  it('forwards IPv4-loopback and localhost entries only, never onto the proxy port', () => {
    expect(
      loopbackForwards([
        '127.0.0.1:4010',
        'localhost:8080',
        'api.anthropic.com:443',
        '10.0.0.1:80',
        '[::1]:9',
        `127.0.0.1:${CONTAINER_PROXY_PORT}`,
      ]),
    ).toEqual([
      { host: '127.0.0.1', port: 4010 },
      { host: 'localhost', port: 8080 },
    ]);
  });

  it('become relay listeners next to the proxy listener', () => {
    const [, , script] = relayCommand(['127.0.0.1:4010', 'registry.npmjs.org:443']);
    expect(script).toContain(`proxy:${CONTAINER_PROXY_PORT} forward:4010:127.0.0.1 &`);
    expect(script).not.toContain('registry');
  });
});
