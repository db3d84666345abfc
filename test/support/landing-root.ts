// For unit tests of the harness's landing-clone activities (real git, local bare repos): a temporary
// DKMV_HARNESS_DIR for the test file, and git with an identity that keeps stderr out of the output.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export function gitIn(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', '-C', dir, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A temporary root for the file (landing clones under `<root>/landing`); returns its getter. */
export function useLandingRoot(prefix: string): () => string {
  let root = '';
  const saved = process.env.DKMV_HARNESS_DIR;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), `dkmv-${prefix}-`));
    process.env.DKMV_HARNESS_DIR = path.join(root, 'landing');
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.DKMV_HARNESS_DIR;
    else process.env.DKMV_HARNESS_DIR = saved;
  });
  return () => root;
}
