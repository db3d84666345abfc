// The planner's self-check script: plan-check-entry (Gate 1 and zod) bundled by esbuild into one
// self-contained file, once per worker process, and staged into the planner's branch as
// `.agent/check-plan.mjs` (never through history: it is ~0.5 MB).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

let bundled: Promise<string> | undefined;

export function planCheckScript(): Promise<string> {
  bundled ??= bundle();
  return bundled;
}

async function bundle(): Promise<string> {
  const here = fileURLToPath(import.meta.url);
  // Beside this module: plan-check-entry.ts from source (tests), .js from dist/.
  const entry = path.join(path.dirname(here), `plan-check-entry${path.extname(here)}`);
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return `// dkmv harness: Gate 1 for .agent/plan.json (node .agent/check-plan.mjs)\n${out.outputFiles[0]!.text}`;
}
