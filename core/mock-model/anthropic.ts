// Anthropic Messages wire format for a scripted turn: `bash` → Bash, `write` → Write (absolute file_path).
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import type { ScriptToolCall, ScriptUsage } from '../model-script/schema.js';
import { sendJson, sendSse, startSse } from './sse.js';

export interface ReplyPlan {
  text: string | undefined;
  calls: ScriptToolCall[];
  usage: ScriptUsage;
  turn: number;
  model: string;
  workspace: string | undefined;
}

type Block =
  { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function toolBlock(call: ScriptToolCall, id: string, workspace: string | undefined): Block {
  if (call.kind === 'bash') {
    return {
      type: 'tool_use',
      id,
      name: 'Bash',
      input: { command: call.command, description: 'Run a scripted command' },
    };
  }
  const filePath = path.posix.isAbsolute(call.path) || !workspace ? call.path : path.posix.join(workspace, call.path);
  return { type: 'tool_use', id, name: 'Write', input: { file_path: filePath, content: call.content } };
}

function blocksOf(plan: ReplyPlan): Block[] {
  const blocks: Block[] = [];
  if (plan.text !== undefined) blocks.push({ type: 'text', text: plan.text });
  plan.calls.forEach((c, n) => blocks.push(toolBlock(c, `toolu_dkmv_t${plan.turn}_${n}`, plan.workspace)));
  if (blocks.length === 0) blocks.push({ type: 'text', text: '' });
  return blocks;
}

function usageOf(u: ScriptUsage): Record<string, number> {
  return {
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
  };
}

export function anthropicMessage(plan: ReplyPlan): Record<string, unknown> {
  return {
    id: `msg_dkmv_t${plan.turn}_${Date.now().toString(36)}`,
    type: 'message',
    role: 'assistant',
    model: plan.model,
    content: blocksOf(plan),
    stop_reason: plan.calls.length ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: usageOf(plan.usage),
  };
}

export function sendAnthropicStream(res: ServerResponse, plan: ReplyPlan): void {
  const message = anthropicMessage(plan);
  const blocks = message.content as Block[];
  const usage = usageOf(plan.usage);
  startSse(res);
  sendSse(res, 'message_start', {
    type: 'message_start',
    message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
  });
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      sendSse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      sendSse(res, 'content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'text_delta', text: block.text },
      });
    } else {
      sendSse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      sendSse(res, 'content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
      });
    }
    sendSse(res, 'content_block_stop', { type: 'content_block_stop', index });
  });
  sendSse(res, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage,
  });
  sendSse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function sendAnthropicError(res: ServerResponse, status: number): void {
  const type = ERROR_TYPES[status] ?? 'api_error';
  sendJson(res, status, {
    type: 'error',
    error: { type, message: status === 529 ? 'Overloaded' : `Scripted error ${status}` },
  });
}
