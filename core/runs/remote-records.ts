// Reading a run folder for a CLI on another machine: what the CLI asks for, what the worker that
// holds the folder sends back, and the bounded reading itself. Pure file reading (no Temporal):
// the records activity runs it on the folder's host, the CLI's tests run it directly. Everything
// sent back lands in the history of a short-lived reader workflow, so every part has a size cap
// and the folder's files are already redacted (the activity redacts once more).
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { readRunFolder, savedOutputs, type RunFolder } from './run-folder.js';

/** Caps on what one read may carry (Temporal warns on payloads above 512 KiB). */
export const RECORD_LIMITS = {
  /** The tail of stream.jsonl sent to `dkmv logs`. */
  logTailBytes: 256 * 1024,
  /** One saved output sent to `dkmv show --output`. */
  outputBytes: 128 * 1024,
  /** config.json + result.json + tasks_result.json as parsed (larger records are left out). */
  recordsBytes: 64 * 1024,
  /** Names of saved outputs listed. */
  outputNames: 500,
} as const;

/** What the CLI asks the folder's host for. */
export interface RunRecordsRequest {
  runId: string;
  /** The path the CLI chose when it started the run (the worker may keep the folder elsewhere). */
  runDir: string;
  /** Bytes of the end of stream.jsonl to send (0: none; capped by RECORD_LIMITS.logTailBytes). */
  logTailBytes?: number;
  /** One saved output to send, by its path relative to the run folder (as `dkmv show` lists it). */
  output?: string;
}

/** A file's text, possibly only its end or its start. */
export interface BoundedText {
  text: string;
  /** Size of the whole file. */
  bytes: number;
  truncated: boolean;
}

/** What the folder's host sends back. */
export interface RunRecordsReply {
  /** The host that answered (its DKMV_HOST_ID) and where the folder is there. */
  host: string;
  dir: string;
  found: boolean;
  folder?: RunFolder;
  /** True when the records were larger than RECORD_LIMITS.recordsBytes and were left out. */
  recordsTooLarge?: boolean;
  outputs: string[];
  /** Size of stream.jsonl there (absent: no agent events yet). */
  streamBytes?: number;
  log?: BoundedText;
  output?: BoundedText & { path: string };
  /** Set when the requested output is not one of the folder's saved outputs. */
  outputMissing?: string;
}

function readRange(file: string, start: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, start);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The last `max` bytes of a file, starting at a line boundary when cut (no half JSON line). */
export function tailOf(file: string, max: number): BoundedText | undefined {
  if (!existsSync(file)) return undefined;
  const bytes = statSync(file).size;
  if (bytes <= max) return { text: readRange(file, 0, bytes).toString('utf8'), bytes, truncated: false };
  const buf = readRange(file, bytes - max, max);
  const firstNewline = buf.indexOf(0x0a);
  return { text: buf.subarray(firstNewline + 1).toString('utf8'), bytes, truncated: true };
}

/** The first `max` bytes of a file (cut at a character boundary). */
export function headOf(file: string, max: number): BoundedText {
  const bytes = statSync(file).size;
  const buf = readRange(file, 0, Math.min(bytes, max));
  // Drop a multi-byte character cut in half at the end.
  let end = buf.length;
  if (bytes > max) while (end > 0 && (buf[end - 1]! & 0xc0) === 0x80) end--;
  if (bytes > max && end > 0 && buf[end - 1]! >= 0xc0) end--;
  return { text: buf.subarray(0, end).toString('utf8'), bytes, truncated: bytes > max };
}

/** Reads what `request` asks for from the folder `dir` on this machine, within RECORD_LIMITS. */
export function readRunRecordsAt(dir: string, host: string, request: RunRecordsRequest): RunRecordsReply {
  if (!existsSync(dir)) return { host, dir, found: false, outputs: [] };
  const folder = readRunFolder(dir);
  const tooLarge = folder !== undefined && Buffer.byteLength(JSON.stringify(folder)) > RECORD_LIMITS.recordsBytes;
  const outputs = savedOutputs(dir).slice(0, RECORD_LIMITS.outputNames);
  const reply: RunRecordsReply = {
    host,
    dir,
    found: true,
    ...(folder && !tooLarge ? { folder } : {}),
    ...(tooLarge ? { recordsTooLarge: true } : {}),
    outputs,
  };
  const stream = path.join(dir, 'stream.jsonl');
  if (existsSync(stream)) reply.streamBytes = statSync(stream).size;
  const tailBytes = Math.min(request.logTailBytes ?? 0, RECORD_LIMITS.logTailBytes);
  if (tailBytes > 0) {
    const log = tailOf(stream, tailBytes);
    if (log) reply.log = log;
  }
  if (request.output !== undefined) {
    // Only a listed saved output: a request can never name a file outside the folder or a record.
    const wanted = path.normalize(request.output);
    if (outputs.includes(wanted))
      reply.output = { path: wanted, ...headOf(path.join(dir, wanted), RECORD_LIMITS.outputBytes) };
    else reply.outputMissing = request.output;
  }
  return reply;
}
