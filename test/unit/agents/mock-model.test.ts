// The mock model's wire protocols, exercised with plain fetch.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelScript } from '../../../core/model-script/parse.js';
import { callId } from '../../../core/model-script/match.js';
import { KEEP_ALIVE_MS, startMockModel } from '../../../core/mock-model/server.js';
import type { MockModel, MockRequestLog } from '../../../core/mock-model/server.js';

const SCRIPT = `
sessions:
  - match: "claude task"
    usage: { input_tokens: 50, output_tokens: 7, cache_read_input_tokens: 3 }
    turns:
      - [ { text: "Working." }, { bash: "ls -la" }, { write: { path: "out/a.txt", content: "A\\n" } } ]
      - error: 529
  - match: "codex task"
    turns:
      - [ { bash: "echo hi" }, { write: { path: "b.txt", content: "B" } } ]
      - text: "Finished."
  - match: "flaky task"
    turns:
      - [ { error: 500, times: 1 }, { error: 529, times: 2 }, { text: "Recovered." } ]
  - match: "slow"
    delay_ms: 300
    turns: [ { text: "late" } ]
`;

let mock: MockModel;
let dir: string;
let log: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dkmv-mock-'));
  log = path.join(dir, 'requests.jsonl');
  mock = await startMockModel({ script: parseModelScript(SCRIPT), logFile: log });
});
afterAll(async () => {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});

const post = (p: string, body: unknown) =>
  fetch(`${mock.url}${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Parses an SSE body into [event, data] pairs. */
async function sse(res: Response): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((b) => b.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
      return { event, data };
    });
}

const claudeFirst = {
  model: 'claude-sonnet-4-5',
  max_tokens: 100,
  system: [{ type: 'text', text: 'You are Claude Code' }],
  messages: [
    {
      role: 'user',
      content: [{ type: 'text', text: 'Primary working directory: /home/dkmv/workspace\n\nclaude task' }],
    },
  ],
};

describe('Anthropic Messages', () => {
  it('answers non-streaming with tool_use blocks mapped onto Bash and Write (absolute path)', async () => {
    const res = await post('/v1/messages', claudeFirst);
    expect(res.status).toBe(200);
    const msg = (await res.json()) as Record<string, unknown>;
    expect(msg).toMatchObject({
      type: 'message',
      role: 'assistant',
      stop_reason: 'tool_use',
      usage: { input_tokens: 50, output_tokens: 7, cache_read_input_tokens: 3 },
      content: [
        { type: 'text', text: 'Working.' },
        { type: 'tool_use', name: 'Bash', input: { command: 'ls -la' } },
        { type: 'tool_use', name: 'Write', input: { file_path: '/home/dkmv/workspace/out/a.txt', content: 'A\n' } },
      ],
    });
  });

  it('streams the SSE sequence a Messages client expects', async () => {
    const res = await post('/v1/messages?beta=true', { ...claudeFirst, stream: true });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await sse(res);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      ...Array(3).fill(['content_block_start', 'content_block_delta', 'content_block_stop']).flat(),
      'message_delta',
      'message_stop',
    ]);
    const deltas = events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => e.data.delta as Record<string, string>);
    expect(deltas[0]).toEqual({ type: 'text_delta', text: 'Working.' });
    expect(JSON.parse(deltas[2]!.partial_json!)).toEqual({
      file_path: '/home/dkmv/workspace/out/a.txt',
      content: 'A\n',
    });
    expect(events.at(-2)!.data).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } });
  });

  it('answers error: 529 as an overloaded_error, and a turn past the end with a final text', async () => {
    const second = {
      ...claudeFirst,
      messages: [...claudeFirst.messages, { role: 'assistant', content: 'x' }, { role: 'user', content: 'r' }],
    };
    const res = await post('/v1/messages', second);
    expect(res.status).toBe(529);
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const third = {
      ...second,
      messages: [...second.messages, { role: 'assistant', content: 'y' }, { role: 'user', content: 'r' }],
    };
    const end = (await (await post('/v1/messages', third)).json()) as Record<string, unknown>;
    expect(end).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text', text: 'Done.' }] });
  });
});

describe('OpenAI Responses', () => {
  const first = {
    model: 'gpt-5.5',
    stream: true,
    instructions: 'You are Codex',
    tools: [
      { type: 'function', name: 'exec_command' },
      { type: 'custom', name: 'apply_patch' },
    ],
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'codex task' }] }],
  };

  it('streams exec_command and apply_patch calls with turn-tagged call ids, then completes with usage', async () => {
    const events = await sse(await post('/v1/responses', first));
    expect(events[0]!.event).toBe('response.created');
    expect(events.at(-1)!.event).toBe('response.completed');
    const done = events
      .filter((e) => e.event === 'response.output_item.done')
      .map((e) => e.data.item as Record<string, unknown>);
    expect(done).toEqual([
      expect.objectContaining({
        type: 'function_call',
        name: 'exec_command',
        call_id: callId(0, 0),
        arguments: '{"cmd":"echo hi"}',
      }),
      expect.objectContaining({
        type: 'custom_tool_call',
        name: 'apply_patch',
        call_id: callId(0, 1),
        input: '*** Begin Patch\n*** Add File: b.txt\n+B\n*** End Patch\n',
      }),
    ]);
    expect((events.at(-1)!.data.response as Record<string, unknown>).usage).toMatchObject({
      input_tokens: 100,
      output_tokens: 20,
    });
    const seq = events.map((e) => e.data.sequence_number);
    expect(seq).toEqual(seq.map((_, i) => i));
  });

  it('derives the next turn from the input and answers a text message', async () => {
    const input = [
      ...first.input,
      { type: 'function_call', call_id: callId(0, 0), name: 'exec_command', arguments: '{}' },
      { type: 'custom_tool_call', call_id: callId(0, 1), name: 'apply_patch', input: '' },
      { type: 'function_call_output', call_id: callId(0, 0), output: 'hi' },
      { type: 'custom_tool_call_output', call_id: callId(0, 1), output: 'ok' },
    ];
    const events = await sse(await post('/v1/responses', { ...first, input }));
    expect(events.filter((e) => e.event === 'response.output_text.delta').map((e) => e.data.delta)).toEqual([
      'Finished.',
    ]);
    const json = (await (await post('/v1/responses', { ...first, stream: false, input })).json()) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({
      status: 'completed',
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'Finished.' }] }],
    });
  });

  it('falls back to a shell write when apply_patch is not offered', async () => {
    const json = (await (await post('/v1/responses', { ...first, stream: false, tools: [] })).json()) as {
      output: { arguments: string }[];
    };
    const cmd = (JSON.parse(json.output[1]!.arguments) as { cmd: string }).cmd;
    expect(cmd).toContain(Buffer.from('B').toString('base64'));
    expect(cmd).toContain("> 'b.txt'");
  });
});

describe('server behaviour', () => {
  it('waits delay_ms, answers 404 on unknown routes, and logs every request as one JSON line', async () => {
    const t0 = Date.now();
    await post('/v1/messages', { messages: [{ role: 'user', content: 'slow' }] });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect((await fetch(`${mock.url}/v1/models`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 50));
    const lines = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as MockRequestLog);
    expect(lines.length).toBeGreaterThanOrEqual(9);
    expect(lines[0]).toMatchObject({
      protocol: 'anthropic',
      session: 0,
      turn: 0,
      served: 'turn',
      status: 200,
      calls: ['bash: ls -la', 'write: out/a.txt'],
    });
    expect(lines.some((l) => l.served === 'error' && l.status === 529)).toBe(true);
    expect(lines.some((l) => l.served === 'final')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ path: '/v1/models', served: 'not_found', status: 404 });
  });

  it('listens on 127.0.0.1 only and can run two instances side by side', async () => {
    expect(new URL(mock.url).hostname).toBe('127.0.0.1');
    const other = await startMockModel({ script: parseModelScript('sessions: [{ turns: [{ text: other }] }]') });
    const res = (await (
      await fetch(`${other.url}/v1/messages`, { method: 'POST', body: '{"messages":[]}' })
    ).json()) as {
      content: { text: string }[];
    };
    expect(res.content[0]!.text).toBe('other');
    await other.close();
  });

  it("keeps an idle connection open well past Node's default, as an agent pausing between turns expects", async () => {
    // Node closes an idle keep-alive connection after 5 s (+1 s) and says `Keep-Alive: timeout=5`.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ask = () =>
      new Promise<{ reused: boolean; keepAlive: string }>((resolve, reject) => {
        const req = http.request(`${mock.url}/v1/models`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ reused: req.reusedSocket, keepAlive: String(res.headers['keep-alive']) }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await ask()).toEqual({ reused: false, keepAlive: `timeout=${KEEP_ALIVE_MS / 1000}` });
      await new Promise((r) => setTimeout(r, 6_500)); // idle past Node's default close
      expect((await ask()).reused).toBe(true); // the same connection: the server did not close it
    } finally {
      agent.destroy();
    }
  });
});

describe('errors for a while (times)', () => {
  it('serves each scripted error its number of times, in order, then the turn itself', async () => {
    const flaky = {
      ...claudeFirst,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Primary working directory: /w\n\nflaky task' }] }],
    };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post('/v1/messages', flaky)).status);
    expect(statuses).toEqual([500, 529, 529, 200]);
    const last = (await (await post('/v1/messages', flaky)).json()) as Record<string, unknown>;
    expect(last).toMatchObject({ content: [{ type: 'text', text: 'Recovered.' }] });
  });

  it('refuses times without error', () => {
    expect(() => parseModelScript('sessions:\n  - turns:\n      - { text: "x", times: 2 }\n')).toThrow(/times/);
  });
});
