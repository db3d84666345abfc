// The mock model: a scripted model on 127.0.0.1 that speaks Anthropic Messages (SSE and plain JSON) at
// POST /v1/messages and OpenAI Responses (SSE) at POST /v1/responses. Stateless: the session comes
// from matching the request text, the turn from counting the assistant turns already in it.
import { appendFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loadModelScript } from '../model-script/parse.js';
import { matchSession, viewAnthropic, viewResponses } from '../model-script/match.js';
import type { AnthropicRequest, ConversationView, ResponsesRequest } from '../model-script/match.js';
import type { ModelScript, ScriptTurn } from '../model-script/schema.js';
import { anthropicMessage, sendAnthropicError, sendAnthropicStream } from './anthropic.js';
import type { ReplyPlan } from './anthropic.js';
import { responsesJson, sendResponsesError, sendResponsesStream } from './responses.js';
import { sendJson } from './sse.js';

export interface MockModelOptions {
  script?: ModelScript;
  scriptPath?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Every request is appended here as one JSON line. */
  logFile?: string;
  /**
   * Awaited before a scripted turn is answered: tests use it to act at a point the agent cannot have
   * passed yet (it is waiting on this very answer), e.g. to take a git remote away before the push.
   */
  beforeTurn?: (session: number, turn: number) => void | Promise<void>;
}

export interface MockModel {
  /** Base URL without `/v1`, e.g. http://127.0.0.1:40123 (Claude's ANTHROPIC_BASE_URL; Codex uses `${url}/v1`). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** One line of the request log. */
export interface MockRequestLog {
  time: string;
  method: string;
  path: string;
  protocol: 'anthropic' | 'responses' | 'other';
  stream: boolean;
  model: string | undefined;
  session: number | null;
  turn: number | null;
  served: 'turn' | 'final' | 'error' | 'no_session' | 'not_found' | 'bad_request';
  status: number;
  calls?: string[];
  error?: string;
}

const MAX_BODY = 32 * 1024 * 1024;

/**
 * How long an idle keep-alive connection stays open. Node's default (5 s) is shorter than an agent's
 * pause between two turns (it runs the tools in between), so the server would close the connection
 * the agent is about to reuse; on a busy machine the agent writes its next request before it sees
 * the close, gets a reset, and spends one of its API retries on it (an "unknown" api_retry). A
 * hosted model API keeps connections far longer; so does this one.
 */
export const KEEP_ALIVE_MS = 10 * 60_000;

export async function startMockModel(options: MockModelOptions): Promise<MockModel> {
  const script = options.script ?? (options.scriptPath ? await loadModelScript(options.scriptPath) : undefined);
  if (!script) throw new Error('startMockModel needs `script` or `scriptPath`');
  const sockets = new Set<Socket>();
  let logChain: Promise<void> = Promise.resolve();
  const log = (entry: MockRequestLog): void => {
    if (!options.logFile) return;
    const file = options.logFile;
    logChain = logChain.then(() => appendFile(file, `${JSON.stringify(entry)}\n`)).catch(() => undefined);
  };

  // Requests seen per `session:turn`, for errors scripted to happen only the first `times` times.
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    handle(script, req, res, log, seen, options.beforeTurn).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err) } });
      else res.end();
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      await logChain;
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The error status for the `count`-th request (from 0) of a turn, if any is left. */
function scriptedError(turn: ScriptTurn, count: number): number | undefined {
  let left = count;
  for (const e of turn.errors) {
    if (e.times === undefined || left < e.times) return e.status;
    left -= e.times;
  }
  return undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function handle(
  script: ModelScript,
  req: IncomingMessage,
  res: ServerResponse,
  log: (e: MockRequestLog) => void,
  seen: Map<string, number>,
  beforeTurn: MockModelOptions['beforeTurn'],
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  const base = { time: new Date().toISOString(), method, path, session: null, turn: null };
  const raw = method === 'POST' ? await readBody(req) : '';
  let body: Record<string, unknown> = {};
  if (raw) {
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      log({ ...base, protocol: 'other', stream: false, model: undefined, served: 'bad_request', status: 400 });
      return sendJson(res, 400, {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'body is not JSON' },
      });
    }
  }
  const model = typeof body.model === 'string' ? body.model : undefined;
  const stream = body.stream === true;

  if (method === 'POST' && path.endsWith('/messages/count_tokens')) {
    log({ ...base, protocol: 'anthropic', stream: false, model, served: 'turn', status: 200 });
    return sendJson(res, 200, { input_tokens: Math.ceil(raw.length / 4) });
  }
  const protocol =
    method === 'POST' && path.endsWith('/messages')
      ? 'anthropic'
      : method === 'POST' && path.endsWith('/responses')
        ? 'responses'
        : 'other';
  if (protocol === 'other') {
    log({ ...base, protocol, stream, model, served: 'not_found', status: 404 });
    return sendJson(res, 404, {
      type: 'error',
      error: { type: 'not_found_error', message: `mock model: no route ${method} ${path}` },
    });
  }

  const view: ConversationView =
    protocol === 'anthropic' ? viewAnthropic(body as AnthropicRequest) : viewResponses(body as ResponsesRequest);
  const session = matchSession(script, view.matchText);
  const scripted: ScriptTurn | undefined = session?.turns[view.turnIndex];
  const key = `${session?.index}:${view.turnIndex}`;
  const count = seen.get(key) ?? 0;
  seen.set(key, count + 1);
  // Errors scripted `times` times are served that often, in order; afterwards the turn answers normally.
  const turn = scripted ? { ...scripted, error: scriptedError(scripted, count) } : undefined;
  const plan: ReplyPlan = {
    text: turn ? turn.text : (session?.finalText ?? 'The model script has no session for this conversation.'),
    calls: turn?.calls ?? [],
    usage: turn?.usage ?? session?.turns.at(-1)?.usage ?? { input_tokens: 0, output_tokens: 0 },
    turn: view.turnIndex,
    model: model ?? 'mock',
    workspace: view.workspace,
  };
  const served: MockRequestLog['served'] = !session ? 'no_session' : !turn ? 'final' : turn.error ? 'error' : 'turn';
  const entry: MockRequestLog = {
    ...base,
    protocol,
    stream,
    model,
    session: session?.index ?? null,
    turn: view.turnIndex,
    served,
    status: turn?.error ?? 200,
    ...(plan.calls.length
      ? { calls: plan.calls.map((c) => (c.kind === 'bash' ? `bash: ${c.command}` : `write: ${c.path}`)) }
      : {}),
  };
  if (turn?.delayMs) await sleep(turn.delayMs);
  if (session && beforeTurn) await beforeTurn(session.index, view.turnIndex);
  log(entry);

  if (turn?.error) {
    return protocol === 'anthropic' ? sendAnthropicError(res, turn.error) : sendResponsesError(res, turn.error);
  }
  const tools = Array.isArray(body.tools) ? (body.tools as { type?: string; name?: string }[]) : [];
  if (protocol === 'anthropic') {
    return stream ? sendAnthropicStream(res, plan) : sendJson(res, 200, anthropicMessage(plan));
  }
  return stream ? sendResponsesStream(res, plan, tools) : sendJson(res, 200, responsesJson(plan, tools));
}
