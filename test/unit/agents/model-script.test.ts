import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../core/errors.js';
import { loadModelScript, parseModelScript } from '../../../core/model-script/parse.js';
import {
  callId,
  countResponsesTurns,
  matchSession,
  viewAnthropic,
  viewResponses,
} from '../../../core/model-script/match.js';

function errorOf(text: string): UserError {
  try {
    parseModelScript(text, 'script.yaml');
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('model script parsing', () => {
  it('parses the DESIGN.md example into normalized turns', async () => {
    const script = parseModelScript(`
sessions:
  - match: "Scan the codebase"
    usage: { input_tokens: 1000, output_tokens: 200 }
    delay_ms: 5
    turns:
      - bash: "mkdir -p .agent && echo '{\\"findings\\": []}' > .agent/scan_results.json"
        delay_ms: 4000
      - write: { path: ".agent/notes.md", content: "all clear" }
      - [ { bash: "npm test" }, { write: { path: "a.txt", content: "x" } } ]
      - error: 529
      - text: "Done."
`);
    const [s] = script.sessions;
    expect(s!.match!.source).toBe('Scan the codebase');
    expect(s!.turns.map((t) => [t.calls.length, t.error, t.delayMs, t.text])).toEqual([
      [1, undefined, 4000, undefined],
      [1, undefined, 5, undefined],
      [2, undefined, 5, undefined],
      [0, 529, 5, undefined],
      [0, undefined, 5, 'Done.'],
    ]);
    expect(s!.turns[2]!.calls).toEqual([
      { kind: 'bash', command: 'npm test' },
      { kind: 'write', path: 'a.txt', content: 'x' },
    ]);
    expect(s!.turns[0]!.usage).toEqual({ input_tokens: 1000, output_tokens: 200 });
    // The shipped example parses too.
    const example = await loadModelScript(path.resolve('core/mock-model/examples/hello.yaml'));
    expect(example.sessions[0]!.turns).toHaveLength(3);
  });

  it.each([
    ['sessions:\n  - turns:\n      - bash: 3\n', 3, 'sessions[0].turns[0].bash', /expected text/],
    [
      'sessions:\n  - turns:\n      - text: hi\n      - shell: ls\n',
      4,
      'sessions[0].turns[1].shell',
      /unknown field "shell"/,
    ],
    ['sessions:\n  - turns:\n      - {}\n', 3, 'sessions[0].turns[0]', /one of: bash, write, text, error/],
    ['sessions:\n  - match: "("\n    turns: []\n', 2, 'sessions[0].match', /invalid regex/],
    [
      'sessions:\n  - turns:\n      - write: { path: a.txt }\n',
      3,
      'sessions[0].turns[0].write.content',
      /missing required field/,
    ],
    ['sessions:\n  - turns:\n      - [ { bash: ls }, { error: 200 } ]\n', 3, 'sessions[0].turns[0][1].error', /400|>=/],
    ['sessions: []\n', 1, 'sessions', /at least one session/],
    ['sessions:\n  - turns: [\n', 3, undefined, /invalid YAML/],
  ])('reports a bad script with file, line and field (%#)', (text, line, field, message) => {
    const err = errorOf(text);
    expect(err.location.file).toBe('script.yaml');
    expect(err.location.line).toBe(line);
    expect(err.location.field).toBe(field);
    expect(err.message).toMatch(message);
  });

  it('reports a missing file as a UserError', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dkmv-ms-'));
    await expect(loadModelScript(path.join(dir, 'nope.yaml'))).rejects.toBeInstanceOf(UserError);
    await writeFile(path.join(dir, 'ok.yaml'), 'sessions: [{ turns: [{ text: hi }] }]');
    expect((await loadModelScript(path.join(dir, 'ok.yaml'))).file).toBe(path.join(dir, 'ok.yaml'));
    expect(await readFile(path.join(dir, 'ok.yaml'), 'utf8')).toContain('hi');
    await rm(dir, { recursive: true });
  });
});

describe('session matching and stateless turn index', () => {
  const script = parseModelScript(`
sessions:
  - match: "Scan the (code|repo)"
    turns: [ { text: a } ]
  - turns: [ { text: b } ]
`);

  it('serves the first session whose match is found in system prompt + first user message', () => {
    const v = viewAnthropic({
      system: [{ type: 'text', text: 'You are Claude Code.' }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: '<system-reminder>…</system-reminder>' },
            { type: 'text', text: 'Primary working directory: /home/dkmv/workspace\nScan the repo please' },
          ],
        },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
        { role: 'user', content: 'Scan the code later' },
      ],
    });
    expect(matchSession(script, v.matchText)?.index).toBe(0);
    expect(v.turnIndex).toBe(1);
    expect(v.workspace).toBe('/home/dkmv/workspace');
    expect(
      matchSession(script, viewAnthropic({ messages: [{ role: 'user', content: 'hello' }] }).matchText)?.index,
    ).toBe(1);
  });

  it('counts Responses turns from tagged call ids, text-only turns and resumed conversations', () => {
    const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
    const assistant = (text: string) => ({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text }],
    });
    const call = (t: number, n: number) => ({ type: 'function_call', call_id: callId(t, n) });
    const out = (t: number, n: number) => ({ type: 'function_call_output', call_id: callId(t, n) });
    expect(countResponsesTurns([user('go')])).toBe(0);
    // Turn 0: text + two calls; turn 1: one call; outputs interleaved either way.
    expect(
      countResponsesTurns([
        user('go'),
        assistant('plan'),
        call(0, 0),
        call(0, 1),
        out(0, 0),
        out(0, 1),
        call(1, 0),
        out(1, 0),
      ]),
    ).toBe(2);
    expect(countResponsesTurns([user('go'), call(0, 0), out(0, 0), call(0, 1), out(0, 1)])).toBe(1);
    // A final text turn, then a resumed conversation with a new user message.
    expect(countResponsesTurns([user('go'), call(0, 0), out(0, 0), assistant('done'), user('continue')])).toBe(2);
    // Foreign (untagged) calls still count.
    expect(
      countResponsesTurns([
        user('go'),
        { type: 'reasoning' },
        { type: 'function_call', call_id: 'call_x' },
        { type: 'function_call_output', call_id: 'call_x' },
      ]),
    ).toBe(1);
    const v = viewResponses({
      instructions: 'You are Codex',
      input: [
        user('<environment_context><cwd>/w</cwd></environment_context>'),
        user('Scan the code'),
        call(0, 0),
        out(0, 0),
      ],
    });
    expect(v).toMatchObject({ turnIndex: 1, workspace: '/w' });
    expect(matchSession(script, v.matchText)?.index).toBe(0);
  });
});
