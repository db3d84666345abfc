// Whole-file run records: a worker SIGKILLed between writing its temporary file and renaming it
// leaves `<file>.<pid>.tmp`; the next write of the same file removes it, and leaves the temporary
// file of a writer that is still alive alone.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRunFile } from '../../../activities/engine/run-folder.js';

describe('run folder temporary files', () => {
  it('the next write removes what a killed writer left, and only that', async () => {
    const runDir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-run-temps-'));
    const gone = spawnSync('true').pid!; // a process that has exited
    const alive = spawn('sleep', ['30']);
    try {
      const orphan = path.join(runDir, `result.json.${gone}.tmp`);
      const live = path.join(runDir, `result.json.${alive.pid}.tmp`);
      const other = path.join(runDir, `tasks_result.json.${gone}.tmp`);
      for (const f of [orphan, live, other]) writeFileSync(f, '{"half":');
      writeRunFile(runDir, 'result.json', '{"status":"completed"}\n');
      expect(readFileSync(path.join(runDir, 'result.json'), 'utf8')).toBe('{"status":"completed"}\n');
      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(live)).toBe(true); // a live writer renames or removes its own
      expect(existsSync(other)).toBe(true); // another file's: its own next write cleans it
    } finally {
      alive.kill();
    }
  });
});
