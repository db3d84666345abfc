// The stream copier: whole lines only, never a line twice across attempts (its state file and the
// heartbeat cursor), multi-byte characters split across reads kept intact.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamCopier } from '../../../activities/engine/stream-copy.js';

function dirs() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-copier-'));
  return { runDir: path.join(root, 'run'), state: path.join(root, 'copied') };
}

/** The copied text with the copier's `_ts` stamps taken out (they hold the wall-clock time). */
const copiedText = (runDir: string) =>
  existsSync(path.join(runDir, 'stream.jsonl')) ? unstamp(readFileSync(path.join(runDir, 'stream.jsonl'), 'utf8')) : '';
const unstamp = (text: string) => text.replace(/,"_ts":"[^"]*"/g, '');

describe('StreamCopier', () => {
  it('copies whole lines only, holding a partial line until its newline (or flush)', () => {
    const { runDir, state } = dirs();
    const c = new StreamCopier(runDir, state);
    c.push(Buffer.from('{"a":1}\n{"b":'), 0);
    expect(copiedText(runDir)).toBe('{"a":1}\n');
    expect(c.copiedUpTo).toBe(8);
    c.push(Buffer.from('2}\n{"c":3}'), 13);
    expect(copiedText(runDir)).toBe('{"a":1}\n{"b":2}\n');
    c.flush();
    expect(copiedText(runDir)).toBe('{"a":1}\n{"b":2}\n{"c":3}\n');
    expect(Number(readFileSync(state, 'utf8'))).toBe(c.copiedUpTo);
  });

  it('a new attempt reading from offset 0 skips what the heartbeat cursor says was copied', () => {
    const { runDir, state } = dirs();
    const c = new StreamCopier(runDir, state, 8); // heartbeat: the first line is in the run folder
    c.push(Buffer.from('{"a":1}\n{"b":2}\n'), 0);
    expect(copiedText(runDir)).toBe('{"b":2}\n');
  });

  it('the state file wins over a heartbeat that lagged behind', () => {
    const { runDir, state } = dirs();
    const first = new StreamCopier(runDir, state);
    first.push(Buffer.from('one\ntwo\n'), 0);
    const second = new StreamCopier(runDir, state, 4); // the last heartbeat only knew "one\n"
    expect(second.copiedUpTo).toBe(8);
    second.push(Buffer.from('one\ntwo\nthree\n'), 0);
    expect(copiedText(runDir)).toBe('one\ntwo\nthree\n');
  });

  it('keeps a multi-byte character split across two reads intact', () => {
    const { runDir, state } = dirs();
    const bytes = Buffer.from('{"t":"héllo ✓"}\n');
    const cut = bytes.indexOf(Buffer.from('✓')) + 1; // inside the 3-byte check mark
    const c = new StreamCopier(runDir, state);
    c.push(bytes.subarray(0, cut), 0);
    c.push(bytes.subarray(cut), cut);
    expect(copiedText(runDir)).toBe('{"t":"héllo ✓"}\n');
  });
});
