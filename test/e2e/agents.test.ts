// End to end: the real Claude Code and Codex CLIs run INSIDE the sandbox container, driven by the
// adapters, against the mock model on 127.0.0.1 (host networking). Nothing leaves the machine.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAdapter, redactor, resolveCredentials, shellCommand, costOf } from '../../core/agents/index.js';
import type { AgentEvent, AgentName, AgentResult, AgentTaskParams, Credentials } from '../../core/agents/index.js';
import { parseModelScript } from '../../core/model-script/parse.js';
import { startMockModel } from '../../core/mock-model/server.js';
import type { MockModel } from '../../core/mock-model/server.js';

const IMAGE = process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest';
const HOME = '/home/dkmv';
const MARKER = 'sk-test-MARKER123';
const INSTRUCTIONS_MARK = 'dkmv-e2e-instructions-7f3a';
const docker = new Docker();

interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function execIn(
  container: Docker.Container,
  cmd: string[],
  env: string[] = [],
  workdir = HOME,
): Promise<ExecResult> {
  const exec = await container.exec({
    Cmd: cmd,
    Env: env,
    WorkingDir: workdir,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => errChunks.push(c));
  docker.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const info = await exec.inspect();
  return {
    exitCode: info.ExitCode ?? -1,
    stdout: Buffer.concat(chunks).toString('utf8'),
    stderr: Buffer.concat(errChunks).toString('utf8'),
  };
}

async function writeInContainer(container: Docker.Container, file: string, content: string): Promise<void> {
  const b64 = Buffer.from(content, 'utf8').toString('base64');
  const r = await execIn(container, [
    'sh',
    '-c',
    `mkdir -p "$(dirname '${file}')" && printf '%s' '${b64}' | base64 -d > '${file}'`,
  ]);
  expect(r.exitCode, r.stderr).toBe(0);
}

async function catInContainer(container: Docker.Container, file: string): Promise<string | undefined> {
  const r = await execIn(container, ['cat', file]);
  return r.exitCode === 0 ? r.stdout : undefined;
}

interface RunOutcome {
  events: AgentEvent[];
  result: AgentResult;
  wallMs: number;
  workspace: string;
  runDir: string;
  killedAtLimit: boolean;
}

/**
 * Runs one task the way the agent activity does: write the instructions and config files, start
 * the CLI detached with its stream in a file, tail that file into the parser, stop it at a limit
 * the CLI does not enforce, and copy the (redacted) stream to a host run folder.
 */
async function runAgent(
  container: Docker.Container,
  agent: AgentName,
  name: string,
  params: AgentTaskParams,
  creds: Credentials,
  hostRoot: string,
): Promise<RunOutcome> {
  const adapter = getAdapter(agent);
  const workspace = `${HOME}/workspace/${name}`;
  const layout = { home: HOME, workspace };
  const runDir = path.join(hostRoot, `${agent}-${name}`);
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  const inv = adapter.invocation(params, creds, layout);
  const redact = redactor(inv.secrets);

  await execIn(container, ['mkdir', '-p', workspace, `${HOME}/.dkmv/${name}`]);
  const instructions = adapter.instructions({
    agentMd: `Marker for the mock model: ${INSTRUCTIONS_MARK}`,
    contextFiles: ['.agent/inputs.md'],
    taskInstructions: 'Follow the prompt.',
  });
  await writeInContainer(container, path.posix.join(workspace, adapter.instructionsFile), instructions);
  await writeFile(path.join(runDir, `instructions.md`), redact(instructions));
  for (const f of inv.files) await writeInContainer(container, f.path, f.content);

  const dir = `${HOME}/.dkmv/${name}`;
  const files = {
    stdout: `${dir}/stream.jsonl`,
    stderr: `${dir}/stderr.txt`,
    exitCode: `${dir}/exit_code`,
    pid: `${dir}/pid`,
  };
  const env = Object.entries(inv.env).map(([k, v]) => `${k}=${v}`);
  const started = Date.now();
  const exec = await container.exec({ Cmd: ['sh', '-c', shellCommand(inv, files)], Env: env, WorkingDir: workspace });
  await exec.start({ Detach: true });

  const parser = adapter.createParser({ model: params.model, maxTurns: params.maxTurns });
  const events: AgentEvent[] = [];
  let offset = 0;
  let killedAtLimit = false;
  for (;;) {
    const chunk = await execIn(container, ['sh', '-c', `tail -c +${offset + 1} ${files.stdout} 2>/dev/null; true`]);
    offset += Buffer.byteLength(chunk.stdout, 'utf8');
    events.push(...parser.push(chunk.stdout));
    if (parser.limitExceeded && !killedAtLimit) {
      killedAtLimit = true;
      await execIn(container, ['sh', '-c', `kill -TERM $(cat ${files.pid})`]);
    }
    const done = await catInContainer(container, files.exitCode);
    if (done !== undefined) {
      const rest = await execIn(container, ['sh', '-c', `tail -c +${offset + 1} ${files.stdout}`]);
      events.push(...parser.push(rest.stdout));
      const stderr = (await catInContainer(container, files.stderr)) ?? '';
      events.push(...parser.end({ exitCode: Number(done.trim()), stderr }));
      await writeFile(path.join(runDir, 'stderr.txt'), redact(stderr));
      break;
    }
    if (Date.now() - started > 120_000) throw new Error(`${agent} ${name}: no exit after 120 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const stream = (await catInContainer(container, files.stdout)) ?? '';
  await writeFile(path.join(runDir, 'stream.jsonl'), redact(stream));
  await writeFile(path.join(runDir, 'events.json'), redact(JSON.stringify(events, null, 2)));
  const result = parser.result;
  if (!result) throw new Error('parser gave no result');
  await writeFile(path.join(runDir, 'result.json'), redact(JSON.stringify(result, null, 2)));
  return { events, result, wallMs: Date.now() - started, workspace, runDir, killedAtLimit };
}

const SCRIPT = `
sessions:
  - match: "^(?=[\\\\s\\\\S]*${INSTRUCTIONS_MARK})(?=[\\\\s\\\\S]*write and run)"
    usage: { input_tokens: 1000, output_tokens: 100 }
    turns:
      - write: { path: "notes/hello.txt", content: "hello from the script\\n" }
      - bash: "cat notes/hello.txt > copy.txt && echo \\"user=$(id -un)\\" >> copy.txt"
      - text: "Wrote notes/hello.txt and copy.txt."
  - match: "count forever"
    delay_ms: 1500
    turns:
      - bash: "echo 1 >> n.txt"
      - bash: "echo 2 >> n.txt"
      - bash: "echo 3 >> n.txt"
      - bash: "echo 4 >> n.txt"
      - text: "never reached"
  - match: "busy model"
    turns:
      - error: 529
`;

const suites: { agent: AgentName; model: string; env: Record<string, string> }[] = [
  { agent: 'claude', model: 'claude-sonnet-4-5', env: { ANTHROPIC_API_KEY: MARKER } },
  { agent: 'codex', model: 'gpt-5.5', env: { OPENAI_API_KEY: MARKER } },
];

// The suite needs the sandbox image; `npm test` builds it (scripts/setup). Missing = a clear failure.
try {
  await docker.getImage(IMAGE).inspect();
} catch {
  throw new Error(`${IMAGE} is not built: run \`npm run setup\` (or npx tsx scripts/ensure-image.ts)`);
}

describe.each(suites)('$agent in the sandbox container against the mock model', ({ agent, model, env }) => {
  let container: Docker.Container;
  let mock: MockModel;
  let hostRoot: string;
  let logFile: string;
  let creds: Credentials;

  beforeAll(async () => {
    hostRoot = await mkdtemp(path.join(os.tmpdir(), `dkmv-e2e-agents-${agent}-`));
    logFile = path.join(hostRoot, 'mock-requests.jsonl');
    mock = await startMockModel({ script: parseModelScript(SCRIPT, 'e2e-script.yaml'), logFile });
    creds = await resolveCredentials({ env, home: hostRoot, useGhCli: false });
    container = await docker.createContainer({
      Image: IMAGE,
      Labels: { 'dkmv.test': 'agents' },
      HostConfig: { NetworkMode: 'host', AutoRemove: false },
    });
    await container.start();
  });

  afterAll(async () => {
    await container?.remove({ force: true }).catch(() => undefined);
    await mock?.close();
    if (hostRoot) await rm(hostRoot, { recursive: true, force: true });
  });

  it('writes a file, runs a shell command and finishes', async () => {
    const run = await runAgent(
      container,
      agent,
      'hello',
      { prompt: 'Please write and run.', model, modelUrl: mock.url },
      creds,
      hostRoot,
    );
    expect(run.result, JSON.stringify(run.result)).toMatchObject({
      status: 'completed',
      isError: false,
      reason: 'completed',
      turns: 3,
    });
    expect(await catInContainer(container, `${run.workspace}/notes/hello.txt`)).toBe('hello from the script\n');
    expect(await catInContainer(container, `${run.workspace}/copy.txt`)).toBe('hello from the script\nuser=dkmv\n');

    const types = run.events.map((e) => e.type);
    expect(types[0]).toBe('session');
    expect(types.at(-1)).toBe('result');
    const tools = run.events.filter((e) => e.type === 'tool_use');
    expect(tools).toHaveLength(2);
    const results = run.events.filter((e) => e.type === 'tool_result');
    expect(results).toHaveLength(2);
    expect(results.every((e) => e.type === 'tool_result' && !e.isError)).toBe(true);
    expect(run.events).toContainEqual({ type: 'text', text: 'Wrote notes/hello.txt and copy.txt.' });
    expect(run.result.message).toBe('Wrote notes/hello.txt and copy.txt.');
    expect(run.result.sessionId).toMatch(/^[0-9a-f-]{36}$/);

    // 3 turns of 1000 in / 100 out, at list price.
    const usage = { inputTokens: 3000, outputTokens: 300, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
    expect(run.result.usage).toEqual(usage);
    expect(run.result.costUsd).toBeCloseTo(costOf(model, usage), 6);
    expect(run.result.costUsd).toBeGreaterThan(0);

    // The instructions file was read: the session matched on its marker.
    const log = (await readFile(logFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { session: number; turn: number; path: string });
    const served = log.filter((l) => l.session === 0).map((l) => l.turn);
    expect(served).toEqual([0, 1, 2]);
  });

  it('runs the example script served by the standalone `dkmv mock-model` command', async () => {
    const child = spawn(
      process.execPath,
      ['bin/dkmv.js', 'mock-model', '--script', 'core/mock-model/examples/hello.yaml'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`dkmv mock-model exited with ${code}`)));
        setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
      });
      const run = await runAgent(
        container,
        agent,
        'example',
        { prompt: 'Say hello', model, modelUrl: url },
        creds,
        hostRoot,
      );
      expect(run.result, JSON.stringify(run.result)).toMatchObject({ status: 'completed', turns: 3 });
      expect(await catInContainer(container, `${run.workspace}/hello.txt`)).toBe('hello from the mock model\n');
      expect(await catInContainer(container, `${run.workspace}/ran.txt`)).toBe('ran\n');
    } finally {
      child.kill('SIGINT');
    }
  });

  it('fails with max_turns when the turn limit is exceeded', async () => {
    const run = await runAgent(
      container,
      agent,
      'maxturns',
      { prompt: 'Please count forever.', model, modelUrl: mock.url, maxTurns: 2 },
      creds,
      hostRoot,
    );
    expect(run.result, JSON.stringify(run.result)).toMatchObject({
      status: 'failed',
      isError: true,
      reason: 'max_turns',
    });
    const n = await catInContainer(container, `${run.workspace}/n.txt`);
    expect(n).toBe('1\n2\n');
    if (agent === 'codex') expect(run.killedAtLimit).toBe(true);
  });

  it('fails within seconds with a clear message when the model is unreachable', async () => {
    const closed = await startMockModel({ script: parseModelScript('sessions: [{turns: []}]') });
    const url = closed.url;
    await closed.close();
    const run = await runAgent(
      container,
      agent,
      'unreachable',
      { prompt: 'anything', model, modelUrl: url },
      creds,
      hostRoot,
    );
    expect(run.result, JSON.stringify(run.result)).toMatchObject({
      status: 'failed',
      isError: true,
      reason: 'unreachable',
    });
    expect(run.result.message).toMatch(/connection/i);
    expect(run.wallMs).toBeLessThan(20_000);
  });

  it('reports error 529 as overloaded', async () => {
    const run = await runAgent(
      container,
      agent,
      'overloaded',
      { prompt: 'Hello busy model', model, modelUrl: mock.url },
      creds,
      hostRoot,
    );
    expect(run.result, JSON.stringify(run.result)).toMatchObject({
      status: 'failed',
      isError: true,
      reason: 'overloaded',
    });
    expect(run.result.message).toMatch(/overloaded/i);
  });

  it('never writes the secret key to disk or logs', async () => {
    // Everything our code wrote on the host: run folders (stream, stderr, events, result, instructions) and the mock log.
    const leaks: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(p);
        else if ((await readFile(p, 'utf8')).includes(MARKER)) leaks.push(p);
      }
    };
    await walk(hostRoot);
    expect(leaks).toEqual([]);
    const written = await readdir(hostRoot);
    expect(written.length).toBeGreaterThan(3);
    // Files our code wrote in the container (instructions, CLI config, stream copies) hold no secret either.
    const r = await execIn(container, [
      'sh',
      '-c',
      `grep -rl '${MARKER}' ${HOME}/workspace ${HOME}/.dkmv ${HOME}/.codex/config.toml 2>/dev/null; true`,
    ]);
    expect(r.stdout.trim()).toBe('');
    // The secret only travels in the exec environment, never the container's own config.
    const info = await container.inspect();
    expect(JSON.stringify(info.Config)).not.toContain(MARKER);
  });
});
