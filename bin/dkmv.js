#!/usr/bin/env node
// Entry point of the `dkmv` command: runs the compiled CLI in dist/, compiling it first when the
// TypeScript sources changed since the last build (a check of a few milliseconds), so stale
// JavaScript never runs and no TypeScript is compiled at a normal start.
import { ensureBuilt } from '../scripts/build.js';

ensureBuilt();
const { main } = await import('../dist/cli/program.js');
process.exitCode = await main();
