// Incremental line splitting for a stream read in arbitrary chunks (partial lines, split UTF-8).
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  /** Returns the complete lines in `chunk` (without newlines); keeps a trailing partial line. */
  push(chunk: string | Uint8Array): string[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(Buffer.from(chunk)));
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /** The final line, if the stream did not end with a newline. */
  end(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest.trim() ? [rest] : [];
  }
}

/** Parses one JSON line; undefined for blank or non-JSON lines (CLIs sometimes print plain text). */
export function parseJsonLine(line: string): Record<string, unknown> | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
