#!/usr/bin/env node
// Entry point of the `dkmv` command: runs the compiled CLI in dist/, compiling it first when the
// TypeScript sources changed since the last build (a check of a few milliseconds), so stale
// JavaScript never runs and no TypeScript is compiled at a normal start. Commands that only talk
// to Temporal start from the bundled CLI (dist/bundle/, faster to load: see scripts/build.js);
// the others, and all of them with DKMV_NO_BUNDLE=1, from the per-file build.
/* global URL */
import { existsSync } from 'node:fs';
import { BUNDLED_COMMANDS, ensureBuilt } from '../scripts/build.js';

// Node's runtime warnings are not for users (cli/runtime-warnings.ts shows them with DKMV_DEBUG=1);
// this covers the ones raised while the CLI loads, before that takes over.
process.removeAllListeners('warning');
process.on(
  'warning',
  (w) => process.env.DKMV_DEBUG && process.stderr.write(`(debug) node warning: ${w.name}: ${w.message}\n`),
);
ensureBuilt();
const bundled =
  BUNDLED_COMMANDS.includes(process.argv[2] ?? '') &&
  process.env.DKMV_NO_BUNDLE !== '1' &&
  existsSync(new URL('../dist/bundle/program.js', import.meta.url));
const { main } = await import(bundled ? '../dist/bundle/program.js' : '../dist/cli/program.js');
process.exitCode = await main();
