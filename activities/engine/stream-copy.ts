// Copies an agent's stdout into the run folder's stream.jsonl line by line (redacted), starting
// after what an earlier attempt already copied, so a re-attach does not duplicate lines.
import { appendRunFile } from './run-folder.js';

export class StreamCopier {
  private pending = '';
  private pendingStart: number;

  constructor(
    private readonly runDir: string,
    /** Byte offset in the source up to which lines were already copied. */
    public copiedUpTo: number,
  ) {
    this.pendingStart = 0;
  }

  /** Feeds a chunk read at `offset` of the source. */
  push(chunk: Buffer, offset: number): void {
    if (!this.pending) this.pendingStart = offset;
    this.pending += chunk.toString('utf8');
    const lastNewline = this.pending.lastIndexOf('\n');
    if (lastNewline < 0) return;
    const complete = this.pending.slice(0, lastNewline + 1);
    this.pending = this.pending.slice(lastNewline + 1);
    const end = this.pendingStart + Buffer.byteLength(complete);
    if (end > this.copiedUpTo) {
      const skip = Math.max(0, this.copiedUpTo - this.pendingStart);
      const fresh = Buffer.from(complete).subarray(skip).toString('utf8');
      if (fresh) appendRunFile(this.runDir, 'stream.jsonl', fresh);
      this.copiedUpTo = end;
    }
    this.pendingStart = end;
  }

  /** A last line without a newline. */
  flush(): void {
    if (this.pending && this.pendingStart >= this.copiedUpTo) {
      appendRunFile(this.runDir, 'stream.jsonl', `${this.pending}\n`);
      this.copiedUpTo = this.pendingStart + Buffer.byteLength(this.pending);
    }
    this.pending = '';
  }
}
