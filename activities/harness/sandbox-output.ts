// Small shared pieces of the harness's agent-less sandbox activities (CHECK, SMOKE): the redacted
// tail of a command's output that a fixer reads, bash quoting, and a heartbeat that is harmless
// outside an activity.
import { Context } from '@temporalio/activity';
import { redactSecrets } from '../engine/secrets.js';

/** The last `maxLines` lines (at most `maxChars` characters) of `text`, secrets redacted. */
export function outputTail(text: string, maxLines: number, maxChars: number): string {
  const lines = text.trimEnd().split('\n').slice(-maxLines).join('\n');
  return redactSecrets(lines.length > maxChars ? lines.slice(-maxChars) : lines);
}

/** Single-quotes a string for bash. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Heartbeats when called inside an activity; a no-op elsewhere (tests, the CLI). */
export function heartbeat(details: string): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // called outside an activity: nothing to report to
  }
}
