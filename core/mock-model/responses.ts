// OpenAI Responses wire format for a scripted turn, as Codex consumes it:
// `bash` → `exec_command` function call, `write` → the `apply_patch` tool (else a shell write).
import type { ServerResponse } from 'node:http';
import { callId } from '../model-script/match.js';
import type { ScriptToolCall } from '../model-script/schema.js';
import type { ReplyPlan } from './anthropic.js';
import { sendJson, sendSse, startSse } from './sse.js';

interface OfferedTool {
  type?: string;
  name?: string;
}

type OutputItem =
  | {
      type: 'message';
      id: string;
      role: 'assistant';
      status: string;
      content: { type: 'output_text'; text: string; annotations: [] }[];
    }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: string }
  | { type: 'custom_tool_call'; id: string; call_id: string; name: string; input: string; status: string };

/** An apply_patch "Add File" patch: overwrites the file with `content`. */
export function addFilePatch(file: string, content: string): string {
  const lines = content.length === 0 ? [] : content.replace(/\n$/, '').split('\n');
  return ['*** Begin Patch', `*** Add File: ${file}`, ...lines.map((l) => `+${l}`), '*** End Patch', ''].join('\n');
}

function shellWrite(file: string, content: string): string {
  const b64 = Buffer.from(content, 'utf8').toString('base64');
  const q = `'${file.replace(/'/g, `'\\''`)}'`;
  return `mkdir -p "$(dirname ${q})" && printf '%s' '${b64}' | base64 -d > ${q}`;
}

function execCall(id: string, cid: string, command: string): OutputItem {
  return {
    type: 'function_call',
    id,
    call_id: cid,
    name: 'exec_command',
    arguments: JSON.stringify({ cmd: command }),
    status: 'completed',
  };
}

function toolItem(call: ScriptToolCall, turn: number, n: number, tools: OfferedTool[]): OutputItem {
  const id = `fc_dkmv_t${turn}_${n}`;
  const cid = callId(turn, n);
  if (call.kind === 'bash') return execCall(id, cid, call.command);
  const patchTool = tools.find((t) => t.name === 'apply_patch');
  const patch = addFilePatch(call.path, call.content);
  if (patchTool?.type === 'custom') {
    return { type: 'custom_tool_call', id, call_id: cid, name: 'apply_patch', input: patch, status: 'completed' };
  }
  if (patchTool?.type === 'function') {
    return {
      type: 'function_call',
      id,
      call_id: cid,
      name: 'apply_patch',
      arguments: JSON.stringify({ input: patch }),
      status: 'completed',
    };
  }
  return execCall(id, cid, shellWrite(call.path, call.content));
}

function outputItems(plan: ReplyPlan, tools: OfferedTool[]): OutputItem[] {
  const items: OutputItem[] = [];
  if (plan.text !== undefined || plan.calls.length === 0) {
    items.push({
      type: 'message',
      id: `msg_dkmv_t${plan.turn}`,
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: plan.text ?? '', annotations: [] }],
    });
  }
  plan.calls.forEach((c, n) => items.push(toolItem(c, plan.turn, n, tools)));
  return items;
}

function usageOf(plan: ReplyPlan): Record<string, unknown> {
  const u = plan.usage;
  const cached = u.cache_read_input_tokens ?? 0;
  // Responses counts cached tokens inside input_tokens.
  const input = u.input_tokens + cached;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + u.output_tokens,
  };
}

function responseObject(
  plan: ReplyPlan,
  status: string,
  output: OutputItem[],
  withUsage: boolean,
): Record<string, unknown> {
  return {
    id: `resp_dkmv_t${plan.turn}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: plan.model,
    output,
    ...(withUsage ? { usage: usageOf(plan) } : {}),
  };
}

export function responsesJson(plan: ReplyPlan, tools: OfferedTool[]): Record<string, unknown> {
  return responseObject(plan, 'completed', outputItems(plan, tools), true);
}

export function sendResponsesStream(res: ServerResponse, plan: ReplyPlan, tools: OfferedTool[]): void {
  const items = outputItems(plan, tools);
  let seq = 0;
  const send = (type: string, data: Record<string, unknown>): void =>
    sendSse(res, type, { type, sequence_number: seq++, ...data });
  startSse(res);
  send('response.created', { response: responseObject(plan, 'in_progress', [], false) });
  items.forEach((item, output_index) => {
    if (item.type === 'message') {
      const text = item.content[0]?.text ?? '';
      send('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      send('response.content_part.added', {
        item_id: item.id,
        output_index,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      });
      send('response.output_text.delta', { item_id: item.id, output_index, content_index: 0, delta: text });
      send('response.output_text.done', { item_id: item.id, output_index, content_index: 0, text });
      send('response.content_part.done', { item_id: item.id, output_index, content_index: 0, part: item.content[0] });
    } else if (item.type === 'function_call') {
      send('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } });
      send('response.function_call_arguments.delta', { item_id: item.id, output_index, delta: item.arguments });
      send('response.function_call_arguments.done', { item_id: item.id, output_index, arguments: item.arguments });
    } else {
      send('response.output_item.added', { output_index, item: { ...item, input: '', status: 'in_progress' } });
      send('response.custom_tool_call_input.delta', { item_id: item.id, output_index, delta: item.input });
      send('response.custom_tool_call_input.done', { item_id: item.id, output_index, input: item.input });
    }
    send('response.output_item.done', { output_index, item });
  });
  send('response.completed', { response: responseObject(plan, 'completed', items, true) });
  res.end();
}

export function sendResponsesError(res: ServerResponse, status: number): void {
  const overloaded = status === 529 || status === 503;
  sendJson(res, status, {
    error: {
      message: overloaded
        ? 'Overloaded: the server is currently overloaded, please try again later'
        : `Scripted error ${status}`,
      type: overloaded ? 'server_is_overloaded' : status === 429 ? 'rate_limit_exceeded' : 'server_error',
      code: overloaded ? 'server_is_overloaded' : null,
      param: null,
    },
  });
}
