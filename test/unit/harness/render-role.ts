// Test helper: plans a one-task harness role component (evaluator, fixer, reviewer…) from its folder
// with the variables the harness would pass, and renders its task.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { planComponent, renderTask, resolveComponent } from '../../../core/component/index.js';
import { DKMV_HOME } from '../../../core/project.js';

const opts = { projectRoot: DKMV_HOME, cwd: mkdtempSync(path.join(os.tmpdir(), 'dkmv-roles-')) };

export function renderRole(
  dir: string,
  vars: Record<string, string>,
  where: { branch: string; feature_name: string } = { branch: 'dkh/x/eval', feature_name: 'eval' },
) {
  const plan = planComponent(resolveComponent(path.join(DKMV_HOME, dir), opts), {
    context: { repo: '/tmp/r.git', ...where, run_id: 'run-1', vars },
    defaults: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 100, timeout_minutes: 30 },
    projectRoot: DKMV_HOME,
  });
  expect(plan.tasks).toHaveLength(1); // one-task role components
  return renderTask(plan, 1);
}
