// SMOKE (no agent): in a browser sandbox on the integration head, install the app, start it on its
// own free port, wait for the ready path, load the page in headless Chromium, collect console and
// page errors, take a screenshot. The facts are judged by core/harness/smoke-report.ts; the
// screenshot and the report go to the run folder; each failure is mapped to the unit that owns it.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import getPort from 'get-port';
import {
  judgeSmoke,
  ownersOfSmokeFailures,
  type OwnedFailure,
  type SmokeFacts,
  type SmokeReport,
  type SmokeStep,
} from '../../core/harness/smoke-report.js';
import type { OwnerManifest } from '../../core/harness/verdict-owners.js';
import { redactSecrets } from '../engine/secrets.js';
import { execDetached, execIn } from '../sandbox/exec.js';
import { CONTAINER_CONTROL, CONTAINER_WORKSPACE, sandboxLayout } from '../sandbox/layout.js';
import { handToSandbox } from '../sandbox/ownership.js';
import { destroySandbox } from '../sandbox/sandbox.js';
import { openIntegrationSandbox, runTimed } from './integration-sandbox.js';
import { heartbeat, outputTail, shq } from './sandbox-output.js';
import { DKMV_HOME } from '../../core/project.js';
import { DEFAULT_BROWSER_IMAGE } from '../../core/sandbox/browser-image-name.js';
import { testPausePoint } from '../test-hooks.js';
import { inspectPng, sha256 } from './browser-screenshots.js';

// Read from the source tree (DKMV_HOME), not next to this module: the compiled dist/ has only .js files.
const PROBE = path.join(DKMV_HOME, 'activities', 'harness', 'smoke-probe.cjs');
const LOG_TAIL_LINES = 40;
const LOG_TAIL_CHARS = 4000;

/** The plan's smoke contract (`plan.app`). `start` must honour $PORT. */
export interface SmokeApp {
  install: string;
  start: string;
  ready_path: string;
  start_timeout_s: number;
  /** app.kind service: send this request instead of loading a page (no browser, no screenshot). */
  request?: { method: string; path: string };
}

export interface SmokeInput {
  /** Names the sandbox (`<runId>-smoke-r<round>`) and its container. */
  runId: string;
  repo: string;
  /** The integration branch; its head is what gets tested. */
  branch: string;
  round: number;
  app: SmokeApp;
  manifest: OwnerManifest;
  /** Host folder of the run: gets `smoke/r<round>.png` and `smoke/r<round>.json`. */
  runDir: string;
  image?: string;
  memory?: string;
  installTimeoutS?: number;
  loadTimeoutS?: number;
  /** Keep the container and its folder (debugging). */
  keep?: boolean;
}

export interface SmokeResult {
  report: SmokeReport;
  /** Each failure with the unit that owns it; empty when passed. */
  failures: OwnedFailure[];
  /** Run-folder-relative paths. */
  reportPath: string;
  screenshotPath: string | null;
}

interface ProbeOutput {
  ready: { status: number | null; alive: boolean; ms: number; detail?: string };
  load: { status: 'pass' | 'fail'; ms: number; detail?: string } | null;
  console_errors: SmokeFacts['console_errors'];
  body_text_length: number;
  alive_after: boolean;
  fatal?: string;
}

export async function runSmoke(input: SmokeInput): Promise<SmokeResult> {
  const port = await getPort({ host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}/`;
  // npm's cache in /tmp: an image whose ~/.npm belongs to root (a global install at build time)
  // must not fail the install of an app with dependencies.
  const env = {
    PORT: String(port),
    DKMV_APP_URL: url,
    HOST: '127.0.0.1',
    CI: '1',
    npm_config_cache: '/tmp/dkmv-npm-cache',
  };
  // Host network: the app listens on the host's loopback, on a port no other sandbox uses.
  const box = await openIntegrationSandbox({
    ...input,
    runId: `${input.runId}-smoke-r${input.round}`,
    component: 'harness-smoke',
    image: input.image ?? DEFAULT_BROWSER_IMAGE,
  });
  try {
    // TEST HOOK: a worker killed here leaves this container behind; the retry's createSandbox removes it by name.
    await testPausePoint('smoke.sandbox');
    const facts = await probeApp(input, box.containerId, box.sandboxId, { port, url, env, commit: box.head });
    const report = judgeSmoke(facts);
    return saveReport(input, report, sandboxLayout(box.sandboxId).control);
  } finally {
    await destroySandbox(box, input.keep ?? false);
  }
}

async function probeApp(
  input: SmokeInput,
  containerId: string,
  sandboxId: string,
  run: { port: number; url: string; env: Record<string, string>; commit: string },
): Promise<SmokeFacts> {
  const steps: SmokeStep[] = [];
  const facts: SmokeFacts = {
    round: input.round,
    commit: run.commit,
    url: run.url,
    steps,
    http_status: null,
    screenshot: null,
    console_errors: [],
    body_text_length: 0,
    process_alive: false,
    ...(input.app.request ? { kind: 'service' as const } : {}),
  };
  const skip = (...names: SmokeStep['name'][]) =>
    names.forEach((name) => steps.push({ name, status: 'skipped', duration_ms: 0 }));

  heartbeat('install');
  let t = Date.now();
  const installTimeout = input.installTimeoutS ?? 600;
  const install = await runTimed(containerId, input.app.install, installTimeout, run.env);
  const installOk = install.exitCode === 0;
  steps.push({
    name: 'install',
    status: installOk ? 'pass' : 'fail',
    duration_ms: Date.now() - t,
    exit_code: install.exitCode,
    log_tail: outputTail(install.stdout + install.stderr, LOG_TAIL_LINES, LOG_TAIL_CHARS),
    ...(install.exitCode === 124 ? { detail: `timed out after ${installTimeout} s` } : {}),
  });
  if (!installOk) {
    skip('start', 'ready', 'load', 'console');
    return facts;
  }

  // The app runs detached; its pid and output land in the control folder (bind-mounted).
  const control = sandboxLayout(sandboxId).control;
  const pidFile = `${CONTAINER_CONTROL}/smoke-app.pid`;
  const appLog = `${CONTAINER_CONTROL}/smoke-app.log`;
  const shot = `smoke-r${input.round}.png`;
  copyFileSync(PROBE, path.join(control, 'smoke-probe.cjs'));
  await handToSandbox(control);
  t = Date.now();
  await execDetached(
    containerId,
    [
      'bash',
      '-c',
      `cd ${CONTAINER_WORKSPACE} && echo $$ > ${pidFile} && exec bash -c ${shq(input.app.start)} > ${appLog} 2>&1`,
    ],
    run.env,
  );

  heartbeat('ready and load');
  const probeArgs = {
    url: run.url,
    readyUrl: new URL(input.app.ready_path.replace(/^\/*/, '/'), run.url).toString(),
    pidFile,
    screenshot: `${CONTAINER_CONTROL}/${shot}`,
    startTimeoutMs: input.app.start_timeout_s * 1000,
    loadTimeoutMs: (input.loadTimeoutS ?? 30) * 1000,
    settleMs: 1000,
    ...(input.app.request
      ? {
          request: {
            method: input.app.request.method,
            path: input.app.request.path,
            url: new URL(input.app.request.path.replace(/^\/*/, '/'), run.url).toString(),
          },
        }
      : {}),
  };
  const probe = await execIn(containerId, ['node', `${CONTAINER_CONTROL}/smoke-probe.cjs`, JSON.stringify(probeArgs)], {
    env: run.env,
    workdir: CONTAINER_WORKSPACE,
  });
  const out = parseProbe(probe.stdout, probe.stderr);
  const appTail = outputTail(readText(path.join(control, 'smoke-app.log')), LOG_TAIL_LINES, LOG_TAIL_CHARS);

  facts.http_status = out.ready.status;
  facts.process_alive = out.ready.alive && out.alive_after;
  const ready2xx = out.ready.status !== null && out.ready.status >= 200 && out.ready.status < 300;
  steps.push({
    name: 'start',
    status: facts.process_alive ? 'pass' : 'fail',
    duration_ms: Date.now() - t,
    log_tail: appTail,
    ...(facts.process_alive ? {} : { detail: 'the app process exited' }),
  });
  steps.push({
    name: 'ready',
    status: ready2xx ? 'pass' : 'fail',
    duration_ms: out.ready.ms,
    ...(out.ready.detail ? { detail: out.ready.detail } : {}),
  });
  if (!out.load) {
    skip('load', 'console');
    return facts;
  }
  steps.push({
    name: 'load',
    status: out.load.status,
    duration_ms: out.load.ms,
    ...(out.load.detail ? { detail: out.load.detail } : {}),
  });
  facts.console_errors = out.console_errors.map((e) => ({ ...e, text: redactSecrets(e.text) }));
  facts.body_text_length = out.body_text_length;
  steps.push({
    name: 'console',
    status: facts.console_errors.length === 0 ? 'pass' : 'fail',
    duration_ms: 0,
    ...(facts.console_errors.length ? { detail: `${facts.console_errors.length} error(s)` } : {}),
  });
  const png = path.join(control, shot);
  if (existsSync(png)) {
    const data = readFileSync(png);
    facts.screenshot = {
      path: `smoke/r${input.round}.png`,
      sha256: sha256(data),
      bytes: data.length,
      nonblank: inspectPng(data).nonblank,
    };
  }
  return facts;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function parseProbe(stdout: string, stderr: string): ProbeOutput {
  const line = stdout.trim().split('\n').pop() ?? '';
  let parsed: Partial<ProbeOutput> = {};
  try {
    parsed = JSON.parse(line) as Partial<ProbeOutput>;
  } catch {
    parsed = { fatal: `${stdout}\n${stderr}`.trim() || 'the probe printed nothing' };
  }
  if (parsed.fatal || !parsed.ready) {
    return {
      ready: {
        status: null,
        alive: false,
        ms: 0,
        detail: `smoke probe failed: ${outputTail(parsed.fatal ?? stderr, LOG_TAIL_LINES, LOG_TAIL_CHARS)}`,
      },
      load: null,
      console_errors: [],
      body_text_length: 0,
      alive_after: false,
    };
  }
  return parsed as ProbeOutput;
}

/** Copies the screenshot and writes the report into `<runDir>/smoke/`. */
function saveReport(input: SmokeInput, report: SmokeReport, control: string): SmokeResult {
  const dir = path.join(input.runDir, 'smoke');
  mkdirSync(dir, { recursive: true });
  let screenshotPath: string | null = null;
  if (report.screenshot) {
    copyFileSync(path.join(control, `smoke-r${input.round}.png`), path.join(input.runDir, report.screenshot.path));
    screenshotPath = report.screenshot.path;
  }
  const reportPath = `smoke/r${input.round}.json`;
  writeFileSync(path.join(input.runDir, reportPath), redactSecrets(`${JSON.stringify(report, null, 2)}\n`));
  return { report, failures: ownersOfSmokeFailures(report, input.manifest), reportPath, screenshotPath };
}
