// The Web UI reads like the run: a real component run (real worker, Docker sandbox, Claude Code
// against a model script) on a dev server with its Web UI; every scheduled activity in the history
// carries a summary, the execution carries the summary and details the CLI sets at start, and the
// run's page, opened in real headless Chromium (the browser image), shows them and is screenshotted.
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import Docker from 'dockerode';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnDevServer, waitForServer } from '../../cli/stack/dev-server.js';
import { runUrl } from '../../cli/stack/local-stack.js';
import { inspectPng } from '../../activities/harness/browser-screenshots.js';
import type { ComponentRunInput, RunStatusView } from '../../core/engine/run-types.js';
import { DEFAULT_BROWSER_IMAGE } from '../../core/sandbox/browser-image-name.js';
import { componentWorkflow } from '../../workflows/index.js';
import { componentStartMetadata } from '../../workflows/metadata/run-metadata.js';
import { createWorker, type DkmvWorker } from '../../workers/worker.js';
import { makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';
import type { temporal } from '@temporalio/proto';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const EventType = (await import('@temporalio/proto')).temporal.api.enums.v1.EventType;

function text(payload: temporal.api.common.v1.IPayload | null | undefined): string | undefined {
  return payload ? (defaultPayloadConverter.fromPayload(payload) as string) : undefined;
}

let serverPid: number | undefined;
let uiUrl: string;
let client: Client;
let connection: Connection;
let worker: DkmvWorker | undefined;
let workerDone: Promise<void> | undefined;
let mock: Mock;
let input: ComponentRunInput;
let view: RunStatusView;
let root: string;

beforeAll(async () => {
  root = tempDir('webui');
  const port = await getPort({ host: '127.0.0.1' });
  const uiPort = await getPort({ host: '127.0.0.1' });
  const address = `127.0.0.1:${port}`;
  serverPid = spawnDevServer({ port, uiPort, logFile: path.join(root, 'temporal.log'), detached: false });
  await waitForServer(address, 60_000, () => true);
  uiUrl = `http://127.0.0.1:${uiPort}`;
  connection = await Connection.connect({ address });
  client = new Client({ connection, namespace: 'default' });
  const target = { address, namespace: 'default', taskQueue: 'webui-test', explicitAddress: true };
  worker = await createWorker({ target });
  workerDone = worker.run();

  const bare = makeBareRepo(root, { 'README.md': '# demo\n', 'main.py': 'print(1)\n' });
  mock = await startMock(path.join(fixtures, 'webui-demo/model-script.yaml'), root);
  input = runInput({
    component: path.join(fixtures, 'webui-demo'),
    repo: bare,
    branch: 'feature/webui',
    projectRoot: root,
    modelUrl: mock.url,
    auto: true,
  });
  // Started as `dkmv run` starts it: the same user metadata (cli/run/start-run.ts).
  const handle = await client.workflow.start(componentWorkflow, {
    workflowId: input.runId,
    taskQueue: target.taskQueue,
    args: [input],
    ...componentStartMetadata(input),
  });
  view = await handle.result();
});

afterAll(async () => {
  worker?.shutdown();
  await workerDone;
  await worker?.connection.close();
  await connection?.close();
  await mock?.close();
  if (serverPid) {
    process.kill(serverPid, 'SIGTERM');
    for (let i = 0; i < 100 && alive(serverPid); i++) await new Promise((r) => setTimeout(r, 100));
  }
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Web UI metadata of a real run', () => {
  it('completes the run', () => {
    expect(view.status).toBe('completed');
    expect(view.tasks.map((t) => t.status)).toEqual(['completed', 'completed']);
  });

  it('gives the execution a summary and details, and every scheduled activity a summary', async () => {
    const history = await client.workflow.getHandle(input.runId).fetchHistory();
    const events = history.events ?? [];
    const started = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    expect(text(started?.userMetadata?.summary)).toBe('webui-demo on feature/webui · claude · claude-sonnet-4-6');
    expect(text(started?.userMetadata?.details)).toContain('| tasks | scan, gate |');

    const scheduled = events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    const summaries = scheduled.map((e) => ({
      activity: e.activityTaskScheduledEventAttributes?.activityType?.name,
      summary: text(e.userMetadata?.summary),
    }));
    expect(scheduled.length).toBeGreaterThanOrEqual(8);
    expect(summaries.filter((s) => !s.summary)).toEqual([]);
    const texts = summaries.map((s) => s.summary);
    expect(texts).toContain('task scan · claude · claude-sonnet-4-6');
    expect(texts).toContain('task gate · script');
    // The outputs check and the commit share one activity (finishTask) on new runs.
    expect(texts).toContain('check outputs of scan, then commit + push feature/webui (scan)');
  });

  it('shows the summaries on the run page in headless Chromium (screenshot)', async () => {
    const out = path.join(root, 'shots');
    mkdirSync(out, { recursive: true });
    chmodSync(out, 0o777); // the browser image runs as its own user
    const url = runUrl(uiUrl, 'default', input.runId);
    const summary = 'webui-demo on feature/webui · claude · claude-sonnet-4-6';
    const { exitCode, output } = await inBrowserImage(
      `
      import { chromium } from 'playwright-core';
      const b = await chromium.launch({ executablePath: process.env.DKMV_CHROMIUM, args: process.env.DKMV_CHROMIUM_ARGS.split(' ') });
      const p = await b.newPage({ viewport: { width: 1600, height: 1200 } });
      await p.goto(${JSON.stringify(url)});
      await p.getByText('task scan · claude · claude-sonnet-4-6').first().waitFor({ timeout: 60000 });
      await p.screenshot({ path: '/shots/run.png', fullPage: true });
      console.log('PAGE-TEXT-BEGIN');
      console.log(await p.innerText('body'));
      await p.getByText('User Metadata', { exact: true }).first().click();
      // Summary and details are markdown, rendered by the UI in frames of their own.
      const framesText = async () => (await Promise.all(p.frames().map((f) => f.innerText('body').catch(() => '')))).join(' | ');
      for (let i = 0; i < 60 && !(await framesText()).includes(${JSON.stringify(summary)}); i++) await p.waitForTimeout(500);
      await p.screenshot({ path: '/shots/metadata.png' });
      console.log('METADATA-TEXT-BEGIN');
      console.log(await framesText());
      await b.close();
      `,
      out,
    );
    if (exitCode !== 0) console.error(output);
    expect(exitCode).toBe(0);
    // The history (timeline) shows each activity's summary; the User Metadata tab the run's summary.
    const history = output.slice(output.indexOf('PAGE-TEXT-BEGIN'), output.indexOf('METADATA-TEXT-BEGIN'));
    expect(history).toContain('task scan · claude · claude-sonnet-4-6');
    expect(history).toContain('commit + push feature/webui (scan)');
    expect(history).toContain('sandbox for webui-demo: clone feature/webui');
    const metadata = output.slice(output.indexOf('METADATA-TEXT-BEGIN'));
    expect(metadata).toContain(summary);
    for (const shot of ['run.png', 'metadata.png']) {
      const png = inspectPng(readFileSync(path.join(out, shot)));
      expect(png).toMatchObject({ png: true, nonblank: true });
      console.log(`screenshot: ${path.join(out, shot)} (${png.width}x${png.height})`);
    }
  });
});

/** Runs an ES module with playwright-core in the browser image (Debian's Chromium), host network. */
async function inBrowserImage(script: string, shots: string): Promise<{ exitCode: number; output: string }> {
  const body = script.replace(/^\s+/gm, '');
  const container = await new Docker().createContainer({
    Image: DEFAULT_BROWSER_IMAGE,
    Cmd: ['bash', '-c', `cd /tmp && cat > probe.mjs <<'EOF'\n${body}EOF\nnode probe.mjs`],
    Tty: true,
    Labels: { 'dkmv.test': 'web-ui' },
    HostConfig: { NetworkMode: 'host', Binds: [`${shots}:/shots`] },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true });
    return { exitCode: StatusCode, output: logs.toString('utf8').replace(/\r/g, '') };
  } finally {
    await container.remove({ force: true });
  }
}
