// Stateless conversation tracking for the mock model: which session serves a request, and which turn.
// Everything is derived from the request body, so the mock survives restarts and serves parallel sessions.
import type { ModelScript, ScriptSession } from './schema.js';

/** The conversation view of one request, in protocol-neutral terms. */
export interface ConversationView {
  /** System prompt plus the first user message (what `match` is tested against). */
  matchText: string;
  /** How many assistant turns the conversation already holds: the turn to answer. */
  turnIndex: number;
  /** The agent's working directory when the request names it. */
  workspace: string | undefined;
}

export function matchSession(script: ModelScript, matchText: string): ScriptSession | undefined {
  return script.sessions.find((s) => s.match === undefined || s.match.test(matchText));
}

// ---- Anthropic Messages ----------------------------------------------------------------------

interface AnthropicBlock {
  type?: string;
  text?: string;
  content?: unknown;
}
interface AnthropicMessage {
  role?: string;
  content?: string | AnthropicBlock[];
}
export interface AnthropicRequest {
  system?: string | AnthropicBlock[];
  messages?: AnthropicMessage[];
}

function blocksText(content: string | AnthropicBlock[] | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b) => (typeof b?.text === 'string' ? b.text : typeof b?.content === 'string' ? b.content : ''))
    .filter(Boolean)
    .join('\n');
}

export function viewAnthropic(body: AnthropicRequest): ConversationView {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const firstUser = messages.find((m) => m.role === 'user');
  const system = blocksText(body.system);
  const user = blocksText(firstUser?.content);
  return {
    matchText: `${system}\n${user}`,
    turnIndex: messages.filter((m) => m.role === 'assistant').length,
    workspace: findWorkspace(`${user}\n${system}`),
  };
}

// ---- OpenAI Responses ------------------------------------------------------------------------

interface ResponsesItem {
  type?: string;
  role?: string;
  call_id?: string;
  content?: string | { type?: string; text?: string }[];
}
export interface ResponsesRequest {
  instructions?: string;
  input?: string | ResponsesItem[];
}

const TOOL_CALL_TYPES = new Set(['function_call', 'custom_tool_call', 'local_shell_call', 'tool_search_call']);
const TOOL_OUTPUT_TYPES = new Set(['function_call_output', 'custom_tool_call_output', 'local_shell_call_output']);

/** Call ids the mock hands out carry their turn: `call_dkmv_t<turn>_<n>`. */
export function callId(turn: number, n: number): string {
  return `call_dkmv_t${turn}_${n}`;
}
const CALL_TURN = /^call_dkmv_t(\d+)_\d+$/;

function itemText(item: ResponsesItem): string {
  if (typeof item.content === 'string') return item.content;
  if (!Array.isArray(item.content)) return '';
  return item.content.map((c) => (typeof c?.text === 'string' ? c.text : '')).join('\n');
}

export function viewResponses(body: ResponsesRequest): ConversationView {
  const items: ResponsesItem[] =
    typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : (body.input ?? []);
  // Everything before the first assistant-side item is the opening request (instructions, context, prompt).
  const opening: string[] = [body.instructions ?? ''];
  for (const item of items) {
    if (isAssistantSide(item)) break;
    if (item.type === 'message' || item.type === undefined) opening.push(itemText(item));
  }
  const text = opening.join('\n');
  return { matchText: text, turnIndex: countResponsesTurns(items), workspace: findWorkspace(text) };
}

function isAssistantSide(item: ResponsesItem): boolean {
  return (item.type ?? 'message') === 'message'
    ? item.role === 'assistant'
    : TOOL_CALL_TYPES.has(item.type ?? '') || item.type === 'reasoning';
}

/**
 * Counts assistant turns in a Responses `input`. Tool calls the mock made carry their turn in the
 * call id; other assistant items (text, reasoning, foreign calls) join the turn of the call that
 * follows them directly, else they form a turn of their own.
 */
export function countResponsesTurns(items: ResponsesItem[]): number {
  const turns = new Set<string>();
  let pending = false; // untagged assistant items waiting to be grouped
  let open: string | undefined; // group key of the current run of assistant items
  let anon = 0;
  for (const item of items) {
    if (isAssistantSide(item)) {
      const tag = TOOL_CALL_TYPES.has(item.type ?? '') ? CALL_TURN.exec(item.call_id ?? '')?.[1] : undefined;
      if (tag !== undefined) {
        turns.add(`t${tag}`);
        open = `t${tag}`;
        pending = false;
      } else if (TOOL_CALL_TYPES.has(item.type ?? '')) {
        if (open === undefined) turns.add((open = `a${anon++}`));
        pending = false;
      } else if (open === undefined) {
        pending = true;
      }
      continue;
    }
    // A user message or a tool output closes the current run.
    if (TOOL_OUTPUT_TYPES.has(item.type ?? '') || item.role === 'user') {
      if (pending) turns.add(`a${anon++}`);
      pending = false;
      open = undefined;
    }
  }
  if (pending) turns.add(`a${anon++}`);
  return turns.size;
}

const WORKDIR = /Primary working directory:\s*(\S+)|<cwd>([^<]+)<\/cwd>/;

function findWorkspace(text: string): string | undefined {
  const m = WORKDIR.exec(text);
  const dir = (m?.[1] ?? m?.[2])?.trim();
  return dir || undefined;
}
