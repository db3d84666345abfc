// Copies an agent's stdout into the run folder's stream.jsonl line by line (redacted), starting
// after what an earlier attempt already copied, so a re-attach does not duplicate lines. Works on
// bytes, so a multi-byte character split across reads is never garbled, and keeps its position in
// a host-only file (heartbeats are throttled and could lag behind after a crash). Each JSON event
// gets a `_ts` (when it was copied), as DKMV's stream.jsonl has.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { appendRunFile } from './run-folder.js';

const NEWLINE = 0x0a;

export class StreamCopier {
  private pending: Buffer = Buffer.alloc(0);
  private pendingStart = 0;
  copiedUpTo: number;

  constructor(
    private readonly runDir: string,
    /** Host-only file holding the byte offset copied so far. */
    private readonly stateFile: string,
    /** What the last heartbeat said was copied (a fallback for older attempts). */
    heartbeatCopied = 0,
  ) {
    const saved = existsSync(stateFile) ? Number(readFileSync(stateFile, 'utf8')) || 0 : 0;
    this.copiedUpTo = Math.max(saved, heartbeatCopied);
  }

  /** Feeds a chunk read at `offset` of the source. */
  push(chunk: Buffer, offset: number): void {
    if (!this.pending.length) this.pendingStart = offset;
    this.pending = Buffer.concat([this.pending, chunk]);
    const lastNewline = this.pending.lastIndexOf(NEWLINE);
    if (lastNewline < 0) return;
    const complete = this.pending.subarray(0, lastNewline + 1);
    this.pending = this.pending.subarray(lastNewline + 1);
    this.copy(complete, this.pendingStart);
    this.pendingStart += complete.length;
  }

  /** A last line without a newline. */
  flush(): void {
    if (this.pending.length)
      this.copy(Buffer.concat([this.pending, Buffer.from('\n')]), this.pendingStart, this.pending.length);
    this.pending = Buffer.alloc(0);
  }

  private copy(bytes: Buffer, start: number, length = bytes.length): void {
    const end = start + length;
    if (end <= this.copiedUpTo) return;
    const fresh = bytes.subarray(Math.max(0, this.copiedUpTo - start));
    appendRunFile(this.runDir, 'stream.jsonl', stampLines(fresh.toString('utf8'), new Date().toISOString()));
    this.copiedUpTo = end;
    writeFileSync(this.stateFile, String(end));
  }
}

/** Adds `_ts` to every line that is a JSON object without one; other lines pass unchanged. */
export function stampLines(text: string, ts: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith('{')) return line;
      try {
        const event = JSON.parse(line) as Record<string, unknown>;
        return '_ts' in event ? line : JSON.stringify({ ...event, _ts: ts });
      } catch {
        return line;
      }
    })
    .join('\n');
}
