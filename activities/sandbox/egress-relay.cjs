// Runs INSIDE a sandbox container that has no network (`network: allowlist`) and relays to the
// host's egress proxy through the bind-mounted unix socket. It adds no rights: the proxy decides.
// Two kinds of listener on the container's own loopback:
//   proxy:<port>              the HTTP(S)_PROXY port; bytes are passed to the proxy as they are
//   forward:<port>:<host>     an allowlisted service on the HOST's loopback (a local model gateway, the
//                             mock model) shows up on the same port here: each connection is tunnelled
//                             with CONNECT <host>:<port>, so clients that skip proxies for loopback work
// Usage: node egress-relay.cjs <socket path> <spec>...
/* global require, process, console, Buffer */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: mounted as a plain node script */
'use strict';

const net = require('node:net');

const [socketPath, ...specs] = process.argv.slice(2);

function fail(err) {
  console.error(`dkmv egress relay: ${err.message}`);
  process.exit(1);
}

function pipeBoth(a, b) {
  a.pipe(b);
  b.pipe(a);
  const close = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', close);
  b.on('error', close);
  a.on('close', close);
  b.on('close', close);
}

/** Opens a CONNECT tunnel through the proxy; calls back with the socket once it answers 200. */
function tunnel(target, client) {
  const upstream = net.connect(socketPath);
  let head = Buffer.alloc(0);
  const onData = (chunk) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    upstream.off('data', onData);
    if (!/^HTTP\/1\.[01] 200/.test(head.toString('latin1'))) {
      console.error(`dkmv egress relay: ${target} refused: ${head.toString('latin1').split('\r\n')[0]}`);
      upstream.destroy();
      client.destroy();
      return;
    }
    const rest = head.subarray(end + 4);
    if (rest.length) client.write(rest);
    pipeBoth(client, upstream);
  };
  upstream.on('data', onData);
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  upstream.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
}

for (const spec of specs) {
  const [kind, port, host] = spec.split(':');
  const server =
    kind === 'proxy'
      ? net.createServer((client) => pipeBoth(client, net.connect(socketPath)))
      : net.createServer((client) => tunnel(`${host}:${port}`, client));
  server.on('error', fail).listen(Number(port), '127.0.0.1');
}
