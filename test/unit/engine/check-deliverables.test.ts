// checkDeliverables at its own level: files and folders in the workspace count as produced;
// missing paths and symbolic links (at the path or on the way to it) count as missing.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { checkDeliverables } from '../../../activities/engine/check-deliverables.js';
import type { Deliverable } from '../../../core/engine/activity-types.js';
import type { DeliverablesReport } from '../../../core/engine/run-types.js';
import { scene, type Scene } from './activity-helpers.js';

function put(s: Scene, rel: string): void {
  const file = path.join(s.layout.workspace, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, 'x\n');
}

async function check(s: Scene, deliverables: Deliverable[]): Promise<DeliverablesReport> {
  return new MockActivityEnvironment().run(checkDeliverables, { sandbox: s.sandbox, deliverables });
}

describe('checkDeliverables', () => {
  it('reports present files and folders, and missing paths with their required flag', async () => {
    const s = scene();
    put(s, 'docs/x.md');
    mkdirSync(path.join(s.layout.workspace, 'reports', 'run'), { recursive: true });
    const report = await check(s, [
      { path: 'docs/x.md', required: true },
      { path: 'reports/run', required: true },
      { path: 'docs/y.md', required: true },
      { path: 'notes/z.md', required: false },
    ]);
    expect(report).toEqual({
      present: ['docs/x.md', 'reports/run'],
      missing: [
        { path: 'docs/y.md', required: true },
        { path: 'notes/z.md', required: false },
      ],
    });
  });

  it('refuses symbolic links pointing out of the workspace (at the path or a folder on the way)', async () => {
    const s = scene();
    const outside = mkdtempSync(path.join(os.tmpdir(), 'dkmv-outside-'));
    writeFileSync(path.join(outside, 'secret.md'), 'outside\n');
    mkdirSync(path.join(s.layout.workspace, 'docs'), { recursive: true });
    symlinkSync(path.join(outside, 'secret.md'), path.join(s.layout.workspace, 'docs', 'x.md'));
    symlinkSync(outside, path.join(s.layout.workspace, 'linked'));
    const report = await check(s, [
      { path: 'docs/x.md', required: true },
      { path: 'linked/secret.md', required: false },
      { path: 'linked', required: true },
    ]);
    expect(report.present).toEqual([]);
    expect(report.missing).toEqual([
      { path: 'docs/x.md', required: true },
      { path: 'linked/secret.md', required: false },
      { path: 'linked', required: true },
    ]);
  });
});
