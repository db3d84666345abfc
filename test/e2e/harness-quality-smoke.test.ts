// SMOKE with real parts: a browser sandbox container (Debian chromium + playwright-core), a real git
// remote, the fixture app installed and started on its own free port, loaded in headless Chromium.
// It passes on the working app (non-blank PNG in the run folder, zero console errors) and fails,
// naming the error and its owning unit, when the app throws on load or never starts.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BROWSER_IMAGE } from '../../cli/build/browser-image.js';
import { inspectPng } from '../../activities/harness/browser-screenshots.js';
import { runSmoke, type SmokeApp } from '../../activities/harness/smoke.js';
import { imageExists } from '../../cli/build/image.js';
import { SmokeReportSchema } from '../../core/harness/smoke-report.js';
import type { OwnerManifest } from '../../core/harness/verdict-owners.js';
import { DKMV_HOME } from '../../core/project.js';
import { makeBareRepo, tempDir } from '../support/e2e.js';

const FIXTURE = path.join(DKMV_HOME, 'components/harness/evaluator/fixtures/counter-app');
const app: SmokeApp = {
  install: 'npm install --no-audit --no-fund',
  start: 'npm start',
  ready_path: '/',
  start_timeout_s: 60,
};
const manifest: OwnerManifest = {
  fileOwners: {
    'server.mjs': 'WU-01',
    'package.json': 'WU-01',
    'public/index.html': 'WU-01',
    'public/app.js': 'WU-02',
  },
  aggregationOwner: 'WU-01',
};

function filesOf(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(out, filesOf(full, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(full, 'utf8');
  }
  return out;
}

/** Pushes `branch` = main plus the given file changes. */
function pushBranch(bare: string, branch: string, files: Record<string, string>): void {
  const work = tempDir('smoke-branch');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], { cwd: work, stdio: 'pipe' });
  execFileSync('git', ['clone', '-q', bare, work], { stdio: 'pipe' });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(work, name), content);
  git('checkout', '-qb', branch);
  git('commit', '-qam', `variant ${branch}`);
  git('push', '-q', 'origin', branch);
}

let bare: string;

beforeAll(() => {
  if (!imageExists(DEFAULT_BROWSER_IMAGE)) {
    throw new Error(
      `${DEFAULT_BROWSER_IMAGE} is not built: run \`npm run setup\` (or npx tsx scripts/ensure-image.ts)`,
    );
  }
  bare = makeBareRepo(tempDir('smoke-remote'), filesOf(FIXTURE));
  pushBranch(bare, 'throws-on-load', {
    'public/app.js': "// broken: the widget root is missing\ndocument.querySelector('#widgets').append('x');\n",
  });
  pushBranch(bare, 'never-starts', { 'server.mjs': "import './missing-module.mjs';\n" });
});

describe('SMOKE in a real browser sandbox', () => {
  it('passes on the fixture app: 2xx, page loads, non-blank PNG copied to the run folder, zero console errors', async () => {
    const runDir = tempDir('smoke-run');
    const result = await runSmoke({
      runId: `smoke-ok-${process.pid}`,
      repo: bare,
      branch: 'main',
      round: 1,
      app,
      manifest,
      runDir,
    });
    const { report } = result;
    if (!report.passed) console.error(JSON.stringify(report, null, 2));
    expect(report.passed).toBe(true);
    expect(SmokeReportSchema.parse(report)).toEqual(report);
    expect(report.http_status).toBe(200);
    expect(report.console_errors).toEqual([]);
    expect(report.body_text_length).toBeGreaterThan(0);
    expect(report.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(report.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'install:pass',
      'start:pass',
      'ready:pass',
      'load:pass',
      'console:pass',
    ]);
    expect(result.screenshotPath).toBe('smoke/r1.png');
    const png = readFileSync(path.join(runDir, 'smoke/r1.png'));
    expect(png.length).toBe(report.screenshot!.bytes);
    expect(inspectPng(png)).toMatchObject({ png: true, nonblank: true, width: 1280, height: 800 });
    expect(JSON.parse(readFileSync(path.join(runDir, result.reportPath), 'utf8'))).toEqual(report);
    expect(result.failures).toEqual([]);
    console.log(
      `smoke screenshot: ${png.length} bytes; steps ${report.steps.map((s) => `${s.name} ${s.duration_ms} ms`).join(', ')}`,
    );
  });

  it('fails naming the console error when the app throws on load, mapped to the unit owning the file', async () => {
    const runDir = tempDir('smoke-run');
    const result = await runSmoke({
      runId: `smoke-throws-${process.pid}`,
      repo: bare,
      branch: 'throws-on-load',
      round: 2,
      app,
      manifest,
      runDir,
    });
    const { report } = result;
    expect(report.passed).toBe(false);
    expect(report.http_status).toBe(200);
    expect(report.console_errors).toEqual([
      expect.objectContaining({
        type: 'pageerror',
        text: expect.stringMatching(/TypeError: Cannot read properties of null \(reading 'append'\)/),
        location: expect.stringMatching(/\/app\.js:2:\d+$/),
      }),
    ]);
    expect(report.failure_summary).toMatch(/page error: TypeError: Cannot read properties of null/);
    expect(report.steps.find((s) => s.name === 'console')?.status).toBe('fail');
    expect(result.failures).toEqual([
      expect.objectContaining({ unit: 'WU-02', error: expect.stringMatching(/^page error: TypeError/) }),
    ]);
    expect(existsSync(path.join(runDir, 'smoke/r2.png'))).toBe(true); // the evidence is kept
  });

  it('fails with the start log when the app never starts, mapped to the owner of the file in the log', async () => {
    const runDir = tempDir('smoke-run');
    const result = await runSmoke({
      runId: `smoke-dead-${process.pid}`,
      repo: bare,
      branch: 'never-starts',
      round: 1,
      app: { ...app, start_timeout_s: 20 },
      manifest,
      runDir,
    });
    const { report } = result;
    expect(report.passed).toBe(false);
    expect(report.process_alive).toBe(false);
    expect(report.http_status).toBeNull();
    const start = report.steps.find((s) => s.name === 'start')!;
    expect(start.status).toBe('fail');
    expect(start.log_tail).toMatch(/Cannot find module .*missing-module\.mjs/);
    expect(report.screenshot).toBeNull();
    expect(result.failures.map((f) => f.unit)).toContain('WU-01');
  });
});
