// The bounded run-folder read a host's worker sends to a remote CLI: caps, line-aligned log tails,
// only listed saved outputs, and what a missing folder looks like.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RECORD_LIMITS, readRunRecordsAt, tailOf } from '../../../core/runs/remote-records.js';

let dir: string;

function folder(files: Record<string, string>): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'remote-records-'));
  const run = path.join(dir, '250101-0000-hello-x-ab12');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(run, name)), { recursive: true });
    writeFileSync(path.join(run, name), text);
  }
  return run;
}

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const request = { runId: '250101-0000-hello-x-ab12', runDir: '/elsewhere/250101-0000-hello-x-ab12' };

describe('readRunRecordsAt', () => {
  it('sends the records, the saved outputs and a whole small log', () => {
    const run = folder({
      'config.json': JSON.stringify({ component: 'hello', kind: 'component' }),
      'result.json': JSON.stringify({ status: 'completed', cost_usd: 0.01 }),
      'stream.jsonl': '{"type":"a"}\n{"type":"b"}\n',
      'greeting.json': '{"greeting":"hi"}',
      'tasks/greet/greeting.json': '{"greeting":"hi"}',
    });
    const reply = readRunRecordsAt(run, 'host-a', { ...request, logTailBytes: 1024, output: 'greeting.json' });
    expect(reply).toMatchObject({ host: 'host-a', dir: run, found: true, outputs: ['greeting.json'] });
    expect(reply.folder?.result?.status).toBe('completed');
    expect(reply.log).toEqual({ text: '{"type":"a"}\n{"type":"b"}\n', bytes: 26, truncated: false });
    expect(reply.output).toEqual({ path: 'greeting.json', text: '{"greeting":"hi"}', bytes: 17, truncated: false });
  });

  it('never sends a file that is not a listed saved output', () => {
    const run = folder({ 'config.json': '{}', 'greeting.json': 'x', 'stream.jsonl': 'secret-ish\n' });
    for (const wanted of ['stream.jsonl', 'config.json', '../../etc/passwd', '/etc/passwd']) {
      const reply = readRunRecordsAt(run, 'h', { ...request, output: wanted });
      expect(reply.output).toBeUndefined();
      expect(reply.outputMissing).toBe(wanted);
    }
  });

  it('caps the log tail at a line boundary and a large output at its start', () => {
    const line = `${JSON.stringify({ text: 'y'.repeat(100) })}\n`;
    const run = folder({
      'config.json': '{}',
      'stream.jsonl': line.repeat(5000),
      'big.md': 'z'.repeat(RECORD_LIMITS.outputBytes + 10),
    });
    const reply = readRunRecordsAt(run, 'h', { ...request, logTailBytes: 10 * 1024 * 1024, output: 'big.md' });
    expect(reply.log!.truncated).toBe(true);
    expect(reply.log!.bytes).toBe(line.length * 5000);
    expect(Buffer.byteLength(reply.log!.text)).toBeLessThanOrEqual(RECORD_LIMITS.logTailBytes);
    for (const l of reply.log!.text.split('\n').filter(Boolean)) expect(() => JSON.parse(l) as unknown).not.toThrow();
    expect(reply.output!.truncated).toBe(true);
    expect(reply.output!.text.length).toBe(RECORD_LIMITS.outputBytes);
  });

  it('leaves out records larger than the cap, and says so', () => {
    const run = folder({ 'config.json': JSON.stringify({ vars: { big: 'v'.repeat(RECORD_LIMITS.recordsBytes) } }) });
    const reply = readRunRecordsAt(run, 'h', request);
    expect(reply.folder).toBeUndefined();
    expect(reply.recordsTooLarge).toBe(true);
  });

  it('reports a folder that is not there', () => {
    expect(readRunRecordsAt('/nonexistent/run', 'h', request)).toEqual({
      host: 'h',
      dir: '/nonexistent/run',
      found: false,
      outputs: [],
    });
    expect(tailOf('/nonexistent/stream.jsonl', 10)).toBeUndefined();
  });
});
