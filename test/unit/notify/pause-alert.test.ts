// `dkmv run` following a run that pauses: the terminal bell (only on a terminal) and a desktop
// notification through notify-send when one is on PATH.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertPause, type AlertDeps } from '../../../cli/run/pause-alert.js';

function deps(isTTY: boolean, PATH: string) {
  const written: string[] = [];
  const ran: { file: string; args: string[] }[] = [];
  const d: AlertDeps = {
    env: { PATH },
    terminal: { isTTY, write: (t: string) => written.push(t) },
    run: (file, args) => ran.push({ file, args }),
  };
  return { d, written, ran };
}

describe('pause alert', () => {
  it('rings the bell on a terminal and calls notify-send from PATH with the run and its question', () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'dkmv-alert-'));
    const notifySend = path.join(bin, 'notify-send');
    writeFileSync(notifySend, '#!/bin/sh\n');
    chmodSync(notifySend, 0o755);
    const { d, written, ran } = deps(true, bin);
    alertPause('r-1', [{ question: 'How big?' }], d);
    expect(written).toEqual(['\x07']);
    expect(ran).toHaveLength(1);
    expect(ran[0]!.file).toBe(notifySend);
    expect(ran[0]!.args.join(' ')).toContain('r-1 is waiting for you');
    expect(ran[0]!.args.join(' ')).toContain('How big?');
  });

  it('no bell into a pipe, nothing run without notify-send', () => {
    const { d, written, ran } = deps(false, mkdtempSync(path.join(os.tmpdir(), 'dkmv-alert-')));
    alertPause('r-1', [], d);
    expect(written).toEqual([]);
    expect(ran).toEqual([]);
  });
});
