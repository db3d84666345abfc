// Runs INSIDE a sandbox container that has no network (`network: allowlist`): listens on the
// container's own loopback (the HTTP(S)_PROXY port) and relays each connection to the host's egress
// proxy through the bind-mounted unix socket. It adds no rights: the proxy on the host decides.
// Usage: node egress-relay.cjs <socket path> <port>
/* global require, process, console */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: mounted as a plain node script */
'use strict';

const net = require('node:net');

const [socketPath, port] = process.argv.slice(2);

net
  .createServer((client) => {
    const upstream = net.connect(socketPath);
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  })
  .on('error', (err) => {
    console.error(`dkmv egress relay: ${err.message}`);
    process.exit(1);
  })
  .listen(Number(port), '127.0.0.1');
