// The quality loop's inputs: `dkmv harness` turns it on by default (browser image, evaluator and
// fixer role components, PR base) and `--no-eval` leaves it out; the owner manifest the loop maps
// smoke errors and failing overall criteria with, derived from the plan.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { prepareHarness, type HarnessFlags } from '../../../cli/commands/harness-start.js';
import type { HarnessPlan } from '../../../core/harness/plan-schema.js';
import { ownerManifest } from '../../../core/harness/plan-views.js';
import { ownersOfSmokeFailures, judgeSmoke } from '../../../core/harness/smoke-report.js';
import { DEFAULT_BROWSER_IMAGE } from '../../../core/sandbox/browser-image-name.js';
import { fixturePlan } from './fixture-plan.js';

const repo = mkdtempSync(path.join(os.tmpdir(), 'dkmv-harness-q-'));
execFileSync('git', ['init', '-q', '--bare', repo]);
const base: HarnessFlags = { role: [], wait: true, branch: 'feat/x', repo };

describe('dkmv harness: the quality loop input', () => {
  it('is on by default with the browser image and the built-in evaluator and fixer', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'dkmv-test-marker-anthropic');
    const input = await prepareHarness('a counter', { ...base, base: 'develop' });
    expect(input.quality).toMatchObject({ browserImage: DEFAULT_BROWSER_IMAGE, baseBranch: 'develop' });
    expect(path.basename(input.quality!.roleDirs.evaluator)).toBe('evaluator');
    expect(path.basename(input.quality!.roleDirs.fixer)).toBe('fixer');
    expect(input.quality!.roles.evaluator.model).toBe(input.roles.generator.model);
    const off = await prepareHarness('a counter', { ...base, eval: false });
    expect(off.quality).toBeUndefined();
    vi.unstubAllEnvs();
  });
});

describe('ownerManifest', () => {
  const plan = fixturePlan() as unknown as HarnessPlan;

  it('maps whole files to their unit, leaves shared files to the aggregation owner', () => {
    const m = ownerManifest(plan);
    expect(m.fileOwners).toMatchObject({ 'server.mjs': 'WU-01', 'public/app.js': 'WU-01' });
    expect(m.fileOwners['public/widgets.js']).toBeUndefined(); // WU-02 and WU-03 both add to it
    expect(m.aggregationOwner).toBe('WU-01');
  });

  it('sends a page error located in the browser’s /app.js to WU-01', () => {
    const report = judgeSmoke({
      round: 1,
      commit: 'c',
      url: 'http://127.0.0.1:4173/',
      steps: (['install', 'start', 'ready', 'load'] as const).map((name) => ({ name, status: 'pass', duration_ms: 1 })),
      http_status: 200,
      screenshot: { path: 'smoke/r1.png', sha256: 'x', bytes: 10, nonblank: true },
      console_errors: [{ type: 'pageerror', text: 'TypeError: boom', location: 'http://127.0.0.1:4173/app.js:3:9' }],
      body_text_length: 20,
      process_alive: true,
    });
    expect(ownersOfSmokeFailures(report, ownerManifest(plan)).map((f) => f.unit)).toEqual(['WU-01']);
  });
});
