// Preloaded into a CLI process (NODE_OPTIONS=--require <this file>, DKMV_GRPC_TRACE=<file>): at exit,
// appends one JSON line saying which gRPC / protobuf / Temporal client modules the process asked
// for. Works for the bundled CLI too: its gRPC code still requires Node's `http2` through
// Module._load (fetch-free HTTP code never does), and the per-file build shows in require.cache.
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload, loaded with --require */
const Module = require('node:module');
const { appendFileSync } = require('node:fs');

const GRPC = /^(node:)?http2$|@grpc\/|@temporalio\/(client|proto)|protobufjs/;
const seen = new Set();
const load = Module._load;
Module._load = function (request, ...rest) {
  if (GRPC.test(request)) seen.add(request);
  return load.call(this, request, ...rest);
};
process.on('exit', () => {
  for (const file of Object.keys(require.cache)) if (GRPC.test(file)) seen.add(file);
  appendFileSync(process.env.DKMV_GRPC_TRACE, `${JSON.stringify({ argv: process.argv.slice(2), grpc: [...seen] })}\n`);
});
