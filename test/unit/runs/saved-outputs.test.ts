// Saved outputs where DKMV's readers look: `tasks/<name>/` (`tasks/<name>__idx_<i>/` for the i-th
// run of a for_each task) with a `.meta.json` that carries DKMV's `original_path`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSavedOutput, saveTaskOutput, taskFolderName } from '../../../activities/engine/run-folder.js';

describe('saved outputs in DKMV layout', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('names for_each folders <name>__idx_<i>, others by task name', () => {
    expect(taskFolderName({ id: 'scan', name: 'scan' })).toBe('scan');
    expect(taskFolderName({ id: 'phase-1', name: 'phase' })).toBe('phase__idx_0');
    expect(taskFolderName({ id: 'phase-3', name: 'phase' })).toBe('phase__idx_2');
    expect(taskFolderName({ id: 'phase-2', name: 'phase-2' })).toBe('phase-2'); // a name with a number in it
  });

  it('writes the file, its .meta.json with original_path, and reads it back', () => {
    vi.stubEnv('DKMV_WORKER_RUNS_DIR', '');
    const runDir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-saved-'));
    try {
      const task = { id: 'phase-2', name: 'phase' };
      saveTaskOutput(runDir, task, '.agent/plan.json', '{"a":1}\n');
      const dir = path.join(runDir, 'tasks', 'phase__idx_1');
      expect(readFileSync(path.join(dir, 'plan.json'), 'utf8')).toBe('{"a":1}\n');
      const meta = JSON.parse(readFileSync(path.join(dir, 'plan.json.meta.json'), 'utf8')) as Record<string, unknown>;
      expect(meta).toMatchObject({ task_name: 'phase', original_path: '.agent/plan.json', path: '.agent/plan.json' });
      expect(readSavedOutput(runDir, task, '.agent/plan.json')).toBe('{"a":1}\n');
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
