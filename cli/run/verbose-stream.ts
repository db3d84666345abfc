// `--verbose`: the agent's events as they happen, read from the run folder's stream.jsonl.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import path from 'node:path';
import pc from 'picocolors';

export class VerboseStream {
  private offset = 0;
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly runDir: string) {}

  /** New formatted lines since the last call (reads only the bytes added since then). */
  poll(): string[] {
    const file = path.join(this.runDir, 'stream.jsonl');
    if (!existsSync(file)) return [];
    const size = statSync(file).size;
    if (size <= this.offset) return [];
    const buf = Buffer.alloc(size - this.offset);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const lines = (this.pending + this.decoder.write(buf)).split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap((l) => formatEvent(l));
  }
}

export function formatEvent(line: string): string[] {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trim() ? [pc.dim(line.trim())] : [];
  }
  const type = event.type;
  if (event.lifecycle === true) return [pc.cyan(`── ${lifecycleLine(event)}`)];
  if (type === 'dkmv')
    return [pc.cyan(`── task ${String(event.task)} (${String(event.event)}, ${String(event.agent)})`)];
  if (type === 'assistant') {
    const content = ((event.message as { content?: unknown[] })?.content ?? []) as Record<string, unknown>[];
    return content.flatMap((c) => {
      if (c.type === 'text') return [`  ${String(c.text).trim()}`];
      if (c.type === 'tool_use') return [pc.yellow(`  → ${String(c.name)} ${JSON.stringify(c.input).slice(0, 160)}`)];
      return [];
    });
  }
  if (type === 'result')
    return [
      pc.green(
        `  ✓ result: ${String(event.subtype)} turns=${String(event.num_turns)} cost=$${String(event.total_cost_usd)}`,
      ),
    ];
  if (type === 'item.completed') {
    const item = event.item as Record<string, unknown>;
    if (item?.type === 'agent_message') return [`  ${String(item.text).trim()}`];
    if (item?.type === 'command_execution') return [pc.yellow(`  → $ ${String(item.command)}`)];
    if (item?.type === 'file_change') return [pc.yellow(`  → edit ${JSON.stringify(item.changes).slice(0, 160)}`)];
  }
  if (type === 'turn.completed') return [pc.dim('  turn completed')];
  return [];
}

/** One line for a lifecycle event (run_started, task_start, task_completed, pause_requested, …). */
function lifecycleLine(event: Record<string, unknown>): string {
  const task = event.task_name !== undefined ? ` ${String(event.task_name)}` : '';
  const cost = typeof event.total_cost_usd === 'number' ? ` $${event.total_cost_usd.toFixed(4)}` : '';
  const error = event.error_message ? `: ${String(event.error_message)}` : '';
  const action = event.action ? ` → ${String(event.action)}` : '';
  return `${String(event.type)}${task}${action}${cost}${error}`;
}
