// Runs the bad-input corpus (cases.ts) against the compiled CLI, as a user would: `node bin/dkmv.js`
// in a fresh temporary git project per row. Rows that need Temporal share a dev server of this
// file's own (it checks that no row started a workflow on it, while the project's other files start
// theirs on the shared one); the others point at a dead port, so a check that let bad input
// through would fail loudly there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type TestDevServer } from '../support/dev-server.js';
import { spawnDkmv } from '../support/dkmv-cli.js';
import { BASE_FILES, CASES, type BadInput } from './cases.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dkmv.js');
const DEAD_ADDRESS = '127.0.0.1:1';

let address: string;
let scratch: string;
let outside: string;
let workflowsBefore: number;

async function countWorkflows(): Promise<number> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    let n = 0;
    for await (const _ of client.workflow.list()) n++;
    return n;
  } finally {
    await connection.close();
  }
}

/** The environment of one row: nothing of the caller's Temporal or dkmv settings leaks in. */
function envFor(c: BadInput, project: string, tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(TEMPORAL_|DKMV_)/.test(k)) env[k] = v;
  Object.assign(env, {
    TEMPORAL_ADDRESS: c.temporal ? address : DEAD_ADDRESS,
    DKMV_MODEL_URL: 'http://127.0.0.1:9', // credentials are not what these rows test
    DKMV_STACK_PORT: '1', // never the user's local stack
    TMPDIR: tmp, // `dkmv test` makes its throwaway folders here: must stay empty
    NO_COLOR: '1',
  });
  for (const [k, v] of Object.entries(c.env ?? {})) env[k] = v.replace('$PROJECT', project);
  return env;
}

function makeProject(c: BadInput): { project: string; tmp: string } {
  const dir = mkdtempSync(path.join(scratch, `${c.id}-`));
  const project = path.join(dir, 'project');
  const tmp = path.join(dir, 'tmp');
  mkdirSync(project);
  mkdirSync(tmp);
  spawnSync('git', ['init', '-q', project]);
  mkdirSync(path.join(project, '.dkmv', 'runs'), { recursive: true });
  const files: Record<string, string> = {
    '.dkmv/config.json': JSON.stringify({ version: 1, name: 'badinput', repo: project, defaults: {} }),
    '.dkmv/components.json': '{}',
    ...BASE_FILES,
    ...c.files,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
    writeFileSync(path.join(project, rel), text);
  }
  for (const [rel, bytes] of Object.entries(c.bytes ?? {})) writeFileSync(path.join(project, rel), bytes);
  for (const [rel, target] of Object.entries(c.links ?? {})) {
    mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
    symlinkSync(target === '$OUTSIDE' ? outside : target, path.join(project, rel));
  }
  return { project, tmp };
}

async function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  const { code, out } = await spawnDkmv(args, { cwd, env, timeoutMs: 60_000 });
  return { code, out };
}

let server: TestDevServer | undefined;

beforeAll(async () => {
  server = await startDevServer();
  address = server.address;
  scratch = mkdtempSync(path.join(os.tmpdir(), 'dkmv-badinput-'));
  outside = path.join(scratch, 'host-secret.txt');
  writeFileSync(outside, 'HOST-ONLY TEXT THAT MUST NOT TRAVEL\n');
  spawnSync(process.execPath, [BIN, '--version']); // builds dist/ once if stale, before rows race for it
  workflowsBefore = await countWorkflows();
}, 120_000);

afterAll(async () => {
  const workflowsAfter = await countWorkflows();
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
  // No row started a workflow on the server (so no container, no spend).
  expect(workflowsAfter).toBe(workflowsBefore);
});

describe.concurrent('bad input', () => {
  it('has at least 60 rows covering every kind of input', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    expect(new Set(CASES.map((c) => c.kind)).size).toBe(12);
  });

  it.each(CASES.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const { project, tmp } = makeProject(c);
    const { code, out } = await runCli(c.args, project, envFor(c, project, tmp));
    const shown = `dkmv ${c.args.join(' ')}\n${out}`;
    expect(code, shown).toBe(2);
    expect(out, shown).not.toMatch(/^\s+at .+\(?.*:\d+:\d+\)?$/m); // no stack frames
    expect(out, shown).not.toMatch(/this is a bug|unexpected error/i);
    expect(out, shown).toMatch(/^error: /m);
    for (const pattern of c.says) expect(out, shown).toMatch(pattern);
    expect(out, shown).toMatch(/hint: |--help|allowed choices/i); // how to fix it
    expect(out, shown).not.toContain('HOST-ONLY TEXT'); // a link's target never shows up
    // Nothing written: no run folder, no throwaway folder of `dkmv test`.
    expect(readdirSync(path.join(project, '.dkmv', 'runs')), shown).toEqual([]);
    expect(readdirSync(tmp), shown).toEqual([]);
  });
});
