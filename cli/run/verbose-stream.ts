// `--verbose`: the agent's events as they happen, read from the run folder's stream.jsonl.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';

export class VerboseStream {
  private offset = 0;
  private pending = '';

  constructor(private readonly runDir: string) {}

  /** New formatted lines since the last call. */
  poll(): string[] {
    const file = path.join(this.runDir, 'stream.jsonl');
    if (!existsSync(file) || statSync(file).size <= this.offset) return [];
    const buf = readFileSync(file);
    const text = this.pending + buf.subarray(this.offset).toString('utf8');
    this.offset = buf.length;
    const lines = text.split('\n');
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
