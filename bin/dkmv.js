#!/usr/bin/env node
// Entry point of the `dkmv` command: runs the TypeScript CLI through tsx so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/program.ts');
process.exitCode = await main();
