// The agent owns the workspace: dkmv must not read or write through links it planted there.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeInto } from '../../../activities/engine/workspace-files.js';
import { readableFile, readControlText } from '../../../activities/engine/workspace-guard.js';

function setup() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-guard-'));
  const workspace = path.join(root, 'ws');
  const outside = path.join(root, 'outside');
  mkdirSync(workspace);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), 'host secret');
  return { workspace, outside };
}

describe('workspace guard', () => {
  it('refuses to write through a linked folder', () => {
    const { workspace, outside } = setup();
    symlinkSync(outside, path.join(workspace, '.claude'));
    expect(() => writeInto(workspace, '.claude/CLAUDE.md', 'x')).toThrow(/symbolic link/);
    expect(existsSync(path.join(outside, 'CLAUDE.md'))).toBe(false);
  });

  it('replaces a linked file instead of writing into its target', () => {
    const { workspace, outside } = setup();
    mkdirSync(path.join(workspace, '.agent'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(workspace, '.agent', 'notes.md'));
    writeInto(workspace, '.agent/notes.md', 'ours');
    expect(readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('host secret');
    expect(readFileSync(path.join(workspace, '.agent', 'notes.md'), 'utf8')).toBe('ours');
  });

  it('does not read an output that is a link', () => {
    const { workspace, outside } = setup();
    mkdirSync(path.join(workspace, '.agent'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(workspace, '.agent', 'out.json'));
    expect(readableFile(workspace, '.agent/out.json')).toEqual({
      problem: '.agent/out.json is a symbolic link; outputs must be regular files in the workspace',
    });
    writeFileSync(path.join(workspace, '.agent', 'real.json'), '{}');
    expect(readableFile(workspace, '.agent/real.json').file).toBe(path.join(workspace, '.agent', 'real.json'));
    expect(readableFile(workspace, '.agent/missing.json')).toEqual({});
  });

  it('does not follow a link planted in a control folder', () => {
    const { workspace, outside } = setup();
    symlinkSync(path.join(outside, 'secret.txt'), path.join(workspace, 'env.json'));
    expect(() => readControlText(workspace, 'env.json')).toThrow(/ELOOP|symbolic/);
  });
});
