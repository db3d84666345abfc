// The egress proxy of one sandbox in `network: allowlist` mode. Runs on the HOST as its own process
// (it outlives a crashed worker, so a running agent keeps reaching its model), listening on a unix
// socket that is bind-mounted into the container. The container itself has no network; a relay in
// it (egress-relay.cjs) forwards its HTTP(S)_PROXY port to this socket. Only `host:port` pairs on the
// allowlist are reached: CONNECT for HTTPS and absolute-URI requests for plain HTTP; anything else
// gets 403. It exits when its socket file is removed (the sandbox was destroyed or cleaned).
// Usage: node egress-proxy.cjs <socket file, relative to cwd> <allowlist JSON: ["host:port", ...]>
/* global require, process, console, setInterval, URL */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: started as a plain node script */
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');

const socketFile = process.argv[2];
const allow = new Set(JSON.parse(process.argv[3]).map((e) => e.toLowerCase()));

/** `host:port` as clients name it; IPv6 literals keep their brackets. */
function allowed(host, port) {
  return allow.has(`${String(host).toLowerCase()}:${port}`);
}

function log(line) {
  // Only the target (never a path or query, which may carry tokens).
  console.error(`${new Date().toISOString()} ${line}`);
}

/** Splits CONNECT's `host:port` (or `[v6]:port`). */
function splitTarget(target) {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(target || '');
  return m ? { host: m[1], port: Number(m[2]) } : undefined;
}

const server = http.createServer((req, res) => {
  // Plain HTTP through a proxy: the request line holds the absolute URL.
  let url;
  try {
    url = new URL(req.url);
  } catch {
    res.writeHead(400).end('dkmv egress proxy: absolute http:// URL expected\n');
    return;
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (url.protocol !== 'http:' || !allowed(url.hostname, port)) {
    log(`denied http ${url.host}`);
    res
      .writeHead(403, { 'content-type': 'text/plain' })
      .end(`dkmv egress policy: ${url.host} is not on the allowlist\n`);
    return;
  }
  const headers = { ...req.headers };
  delete headers['proxy-connection'];
  delete headers['proxy-authorization'];
  const upstream = http.request(
    { host: url.hostname.replace(/^\[|\]$/g, ''), port, method: req.method, path: url.pathname + url.search, headers },
    (up) => {
      res.writeHead(up.statusCode || 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    log(`upstream error http ${url.host}: ${err.code || err.message}`);
    if (!res.headersSent) res.writeHead(502).end('dkmv egress proxy: upstream unreachable\n');
    else res.destroy();
  });
  req.pipe(upstream);
});

server.on('connect', (req, clientSocket, head) => {
  const target = splitTarget(req.url);
  if (!target || !allowed(target.host, target.port)) {
    log(`denied connect ${req.url}`);
    clientSocket.end(
      `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\ndkmv egress policy: ${req.url} is not on the allowlist\n`,
    );
    return;
  }
  const upstream = net.connect({ host: target.host.replace(/^\[|\]$/g, ''), port: target.port }, () => {
    clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head && head.length) upstream.write(head);
    upstream.pipe(clientSocket);
    clientSocket.pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    clientSocket.destroy();
  };
  upstream.on('error', (err) => {
    log(`upstream error connect ${req.url}: ${err.code || err.message}`);
    if (!clientSocket.destroyed) clientSocket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  clientSocket.on('error', close);
});

server.on('clientError', (_err, socket) => socket.destroy());
// An agent pauses between model calls while it runs tools; with Node's 5 s default the proxy would
// close the connection the agent is about to reuse, and a busy agent loses a request (and one of its
// API retries) to the reset. Keep idle connections as long as a hosted API does.
server.keepAliveTimeout = 10 * 60_000;

fs.rmSync(socketFile, { force: true });
server.listen(socketFile, () => {
  // The container's user is not the worker's: let it connect.
  fs.chmodSync(socketFile, 0o666);
  log(`listening; allow=${[...allow].join(',') || '(nothing)'}`);
});

// The sandbox is gone when its socket file is: nothing else would stop this process.
setInterval(() => {
  if (!fs.existsSync(socketFile)) process.exit(0);
}, 2000).unref();
