// Test helpers: components built in temp folders.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { UserError } from '../../../core/errors.js';
import type { ComponentRef } from '../../../core/component/index.js';
import type { PlanOptions } from '../../../core/component/index.js';

export function tempDir(prefix = 'dkmv-unit-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes `files` (relative path → content) into a new folder; returns a path ComponentRef. */
export function makeComponent(files: Record<string, string>, root = tempDir()): ComponentRef {
  const dir = path.join(root, 'comp');
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return { name: 'comp', dir, source: 'path' };
}

export function planOptions(vars: Record<string, string> = {}, extra: Partial<PlanOptions> = {}): PlanOptions {
  return {
    context: {
      repo: 'https://example.test/r.git',
      branch: 'feature/x',
      feature_name: 'x',
      run_id: '260101-1200-comp-x-abcd',
      vars,
    },
    defaults: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 100, timeout_minutes: 30 },
    ...extra,
  };
}

/** Runs `fn`, expects a UserError, returns it for further checks. */
export function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}
