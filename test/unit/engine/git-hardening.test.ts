// Host-side git never runs what the agent put into .git: hooks and fsmonitor are switched off.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll } from '../../../activities/git/workspace.js';

describe('host git hardening', () => {
  it('does not run a pre-commit hook or an fsmonitor planted in the workspace', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-git-'));
    execFileSync('git', ['init', '-q', dir]);
    const marker = path.join(dir, '..', `${path.basename(dir)}-pwned`);
    const hook = path.join(dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(hook, 0o755);
    execFileSync('git', ['-C', dir, 'config', 'core.fsmonitor', `touch ${marker}-fsmonitor; true`]);
    writeFileSync(path.join(dir, 'a.txt'), 'a');
    const result = await commitAll(dir, 'test commit');
    expect(result.committed).toBe(true);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(`${marker}-fsmonitor`)).toBe(false);
  });
});
