// The built-in `ship` (DKMV's ship pipeline, written for dkmv): it plans and renders, its model
// script serves each agent task, and its gates are code — the plan must follow the answers as DKMV
// delivers them (`questions[].user_answer`), the evaluation must have passed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  planComponent,
  renderTask,
  resolveComponent,
  type ComponentPlan,
  type RenderedTask,
  type TaskResults,
} from '../../../core/component/index.js';
import { mergeAnswers } from '../../../core/engine/answers.js';
import { matchSession } from '../../../core/model-script/match.js';
import { loadModelScript } from '../../../core/model-script/parse.js';
import { DKMV_HOME } from '../../../core/project.js';

const opts = { projectRoot: DKMV_HOME, cwd: DKMV_HOME };
const VARS = { prd_path: 'components/ship/fixtures/prd-slugify.md' };

function plan(vars: Record<string, string> = VARS): ComponentPlan {
  return planComponent(resolveComponent('ship', opts), {
    context: { repo: '/tmp/r.git', branch: 'feature/slug', feature_name: 'slug', run_id: 'run-1', vars },
    defaults: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 100, timeout_minutes: 30 },
    projectRoot: DKMV_HOME,
  });
}

function renderAll(p: ComponentPlan): RenderedTask[] {
  const results: TaskResults = {};
  return p.tasks.map((slot) => {
    const task = renderTask(p, slot.id, results);
    results[slot.id] = { status: 'completed', cost: 0, turns: 1, outputs: {} };
    return task;
  });
}

describe('ship', () => {
  it("runs DKMV's ship steps with gates between them; the pause follows the analysis", () => {
    const p = plan();
    expect(p.tasks.map((t) => [t.id, t.kind, t.pauseAfter])).toEqual([
      ['analyze', 'agent', true],
      ['plan', 'agent', false],
      ['check-plan', 'run', false],
      ['implement', 'agent', false],
      ['verify', 'run', false],
      ['evaluate-fix', 'agent', false],
      ['finalize', 'run', false],
    ]);
    expect(p.manifest.inputs.map((i) => i.destPath)).toEqual(['.agent/prd.md']);
    const withDesign = plan({ ...VARS, design_docs_path: 'docs' });
    expect(withDesign.manifest.inputs.map((i) => i.destPath)).toEqual(['.agent/prd.md', '.agent/design_docs']);
    const tasks = renderAll(p);
    expect(tasks[1]!.prompt).toContain('`user_answer`');
    expect(tasks.at(-1)!.run).not.toContain('gh pr create');
    expect(renderAll(plan({ ...VARS, create_pr: 'true', pr_base: 'main' })).at(-1)!.run).toContain('gh pr create');
  });

  it("every agent task is served by its own session of ship's model script", async () => {
    const script = await loadModelScript(path.join(DKMV_HOME, 'components/ship/model-script.yaml'));
    const agentTasks = renderAll(plan()).filter((t) => t.kind === 'agent');
    const text = (t: RenderedTask) => `${t.agentMd ?? ''}\n${t.instructions ?? ''}\n${t.prompt ?? ''}`;
    const sessions = agentTasks.map((t) => matchSession(script, text(t))?.index);
    expect(sessions.every((s) => s !== undefined)).toBe(true);
    expect(new Set(sessions).size).toBe(agentTasks.length);
  });

  describe('gates (run with bash and jq, as in the sandbox)', () => {
    let dir: string;
    const tasks = renderAll(plan());
    const gate = (id: string) => tasks.find((t) => t.slotId === id)!.run!;
    const run = (script: string) => spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    const analysis = {
      summary: 'slugs',
      questions: [
        { id: 'separator', question: 'Which separator?', options: [{ value: '-' }, { value: '_' }], default: '-' },
        { id: 'case', question: 'Lower case?', default: 'yes' },
      ],
    };

    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'dkmv-unit-ship-'));
      mkdirSync(path.join(dir, '.agent'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const write = (name: string, value: unknown) =>
      writeFileSync(path.join(dir, '.agent', name), JSON.stringify(value));

    it('check-plan passes when the plan follows the delivered answers (defaults where unanswered)', () => {
      write('analysis.json', mergeAnswers(analysis, { separator: '_' }));
      write('plan.json', {
        decisions: [
          { question_id: 'separator', answer: '_' },
          { question_id: 'case', answer: 'yes' },
        ],
      });
      const ok = run(gate('check-plan'));
      expect(ok.status, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toContain('decision followed: separator = _');
    });

    it('check-plan fails when the plan ignores an answer', () => {
      write('analysis.json', mergeAnswers(analysis, { separator: '_' }));
      write('plan.json', { decisions: [{ question_id: 'separator', answer: '-' }] });
      const bad = run(gate('check-plan'));
      expect(bad.status).toBe(1);
      expect(bad.stdout).toContain(
        "the plan does not follow the decision on 'separator': plan says '-', the answer is '_'",
      );
    });

    it('finalize refuses a failed evaluation and records a passed one', () => {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      write('analysis.json', mergeAnswers(analysis, { separator: '_' }));
      const evaluation = (status: string, met: boolean, failed: number) => ({
        status,
        criteria: [{ id: 'AC1', met, evidence: 'test passes' }],
        tests: { command: 'npm test', passed: 2, failed },
      });
      write('eval_result.json', evaluation('PASS', false, 0)); // a lenient PASS with an unmet criterion
      const refused = run(gate('finalize'));
      expect(refused.status).toBe(1);
      expect(refused.stdout).toContain('not shipping: evaluation PASS, 1 criteria unmet, 0 tests failing');
      write('eval_result.json', evaluation('PASS', true, 0));
      const shipped = run(gate('finalize'));
      expect(shipped.status, shipped.stdout + shipped.stderr).toBe(0);
      const pr = JSON.parse(readFileSync(path.join(dir, '.agent/pr_result.json'), 'utf8'));
      expect(pr).toMatchObject({ status: 'ready', branch: 'feature/slug', title: 'slugs' });
      expect(pr.body).toContain('- Which separator? **_**');
    });
  });
});
