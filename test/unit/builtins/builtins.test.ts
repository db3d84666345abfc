// The built-in components and examples plan without errors, every task renders with the results of
// the tasks before it, and each model script has a session for each agent task.
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  planComponent,
  renderTask,
  resolveComponent,
  type ComponentPlan,
  type RenderedTask,
  type TaskResults,
} from '../../../core/component/index.js';
import { loadModelScript } from '../../../core/model-script/parse.js';
import { matchSession } from '../../../core/model-script/match.js';
import { DKMV_HOME } from '../../../core/project.js';

const root = DKMV_HOME;
const opts = { projectRoot: root, cwd: mkdtempSync(path.join(os.tmpdir(), 'dkmv-builtins-')) };

/** Vars each component's e2e test passes (paths relative to the dkmv source tree). */
export const BUILTIN_VARS: Record<string, Record<string, string>> = {
  plan: { prd_path: 'components/plan/fixtures/prd-auth.md' },
  dev: { impl_docs_path: 'docs/implementation/auth', phases: '["phase1_accounts.md","phase2_ownership.md"]' },
  qa: { impl_docs_path: 'docs/implementation/auth' },
  docs: {},
  'security-audit': { checklist_path: 'components/examples/security-audit/checklist.md' },
  hello: { who: 'Ada' },
};

function plan(name: string, vars: Record<string, string> = BUILTIN_VARS[name] ?? {}): ComponentPlan {
  return planComponent(resolveComponent(name, opts), {
    context: { repo: '/tmp/r.git', branch: 'feature/auth', feature_name: 'auth', run_id: 'run-1', vars },
    defaults: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 100, timeout_minutes: 30 },
    projectRoot: root,
  });
}

/** Renders every slot in order, each with fake results of the ones before (answers as given). */
function renderAll(p: ComponentPlan, answers: Record<string, Record<string, string>> = {}): RenderedTask[] {
  const results: TaskResults = {};
  return p.tasks.map((slot) => {
    const task = renderTask(p, slot.id, results);
    results[slot.id] = {
      status: 'completed',
      cost: 0.01,
      turns: 2,
      outputs: Object.fromEntries(task.outputs.map((o) => [o.stem, {}])),
      ...(answers[slot.id] ? { answers: answers[slot.id] } : {}),
    };
    return task;
  });
}

/** What a model script's `match` is tested against: instructions (system prompt) + the prompt. */
function matchText(task: RenderedTask): string {
  return `${task.agentMd ?? ''}\n${task.instructions ?? ''}\n${task.prompt ?? ''}`;
}

describe('built-in components and examples', () => {
  it.each(['plan', 'dev', 'qa', 'docs', 'security-audit', 'hello'])('%s plans and renders every task', (name) => {
    const p = plan(name);
    expect(p.tasks.length).toBeGreaterThan(0);
    const tasks = renderAll(p);
    for (const t of tasks) expect(t.kind === 'run' ? t.run : t.prompt).toBeTruthy();
  });

  it.each(['plan', 'dev', 'qa', 'docs', 'security-audit', 'hello'])(
    "%s: every agent task is served by its own session of the component's model script",
    async (name) => {
      const script = await loadModelScript(path.join(resolveComponent(name, opts).dir, 'model-script.yaml'));
      const agentTasks = renderAll(plan(name)).filter((t) => t.kind === 'agent');
      const sessions = agentTasks.map((t) => matchSession(script, matchText(t))?.index);
      expect(sessions.every((s) => s !== undefined)).toBe(true);
      expect(new Set(sessions).size).toBe(agentTasks.length);
    },
  );

  it.each(['plan', 'dev', 'qa', 'docs', 'security-audit', 'hello'])(
    '%s: its model script carries the test setup, so `dkmv test` plans it from any folder with no flags',
    async (name) => {
      const dir = resolveComponent(name, opts).dir;
      const script = await loadModelScript(path.join(dir, 'model-script.yaml'));
      const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'dkmv-elsewhere-'));
      const p = planComponent(resolveComponent(name, opts), {
        context: {
          repo: '/tmp/r.git',
          branch: `dkmv-test/${name}`,
          feature_name: script.test?.featureName ?? name,
          run_id: 'run-1',
          vars: script.test?.vars ?? {},
        },
        defaults: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 100, timeout_minutes: 30 },
        projectRoot: elsewhere,
      });
      expect(renderAll(p).length).toBe(p.tasks.length);
      if (script.test?.seed) expect(existsSync(script.test.seed)).toBe(true);
    },
  );

  it('plan: the pause follows the analysis; answers reach the next prompt; design docs are optional', () => {
    const p = plan('plan');
    expect(p.tasks.map((t) => [t.id, t.kind, t.pauseAfter])).toEqual([
      ['analyze', 'agent', true],
      ['features', 'agent', false],
      ['phases', 'agent', false],
      ['assemble', 'agent', false],
      ['evaluate', 'agent', false],
      ['check', 'run', false],
    ]);
    expect(p.manifest.inputs.map((i) => i.destPath)).toEqual(['.agent/prd.md']);
    const [, features] = renderAll(p, { analyze: { hash_algorithm: 'argon2id' } });
    expect(features!.prompt).toContain('`hash_algorithm`: **argon2id**');
    expect(features!.outputs.map((o) => o.workspace_path)).toContain('docs/implementation/auth/features.md');
    const [, auto] = renderAll(p);
    expect(auto!.prompt).toContain("apply each question's `default`");

    const withDesign = plan('plan', { ...BUILTIN_VARS.plan, design_docs_path: 'docs' });
    expect(withDesign.manifest.inputs.map((i) => i.destPath)).toEqual(['.agent/prd.md', '.agent/design_docs']);
    expect(withDesign.manifest.agentMd).toContain('.agent/design_docs');
  });

  it('dev: one task per phase file with its own limits; start_phase skips earlier phases', () => {
    const p = plan('dev');
    expect(p.tasks.map((t) => t.id)).toEqual(['prepare', 'implement-phase1_accounts', 'implement-phase2_ownership']);
    const [prepare, phase1] = renderAll(p);
    expect(prepare!.run).toContain('"phase1_accounts.md" "phase2_ownership.md"');
    expect(phase1!.prompt).toContain('Your phase: `docs/implementation/auth/phase1_accounts.md`');
    expect(phase1!.params).toMatchObject({ max_turns: 120, max_budget_usd: 10, timeout_minutes: 60 });
    expect(phase1!.outputs[0]!.workspace_path).toBe('.agent/phase1_accounts_result.json');

    const later = plan('dev', { ...BUILTIN_VARS.dev, start_phase: '2' });
    expect(later.tasks.map((t) => t.id)).toEqual(['prepare', 'implement-phase2_ownership']);
    expect(() => plan('dev', { impl_docs_path: 'x' })).toThrow(/phases/);

    // `--impl-docs docs/implementation/auth/` (trailing slash, as users type it) gives the same paths.
    const slash = renderAll(plan('dev', { ...BUILTIN_VARS.dev, impl_docs_path: 'docs/implementation/auth/' }));
    expect(slash[1]!.prompt).toContain('Your phase: `docs/implementation/auth/phase1_accounts.md`');
    expect(slash[1]!.agentMd).not.toContain('auth//');
    expect(slash[1]!.agentMd!.startsWith('# You are the dev agent')).toBe(true);
  });

  it('qa: the answer at the pause decides what the fix and re-evaluation tasks are', () => {
    const p = plan('qa');
    expect(p.tasks.map((t) => [t.id, t.pauseAfter])).toEqual([
      ['evaluate', false],
      ['decide', true],
      ['fix', false],
      ['re-evaluate', false],
    ]);
    const kinds = (answer?: string) => renderAll(p, answer ? { decide: { next_step: answer } } : {}).map((t) => t.kind);
    expect(kinds()).toEqual(['agent', 'run', 'agent', 'agent']); // no menu, no answer: fix
    // --auto: no answer, so the menu's default decides (ship when the evaluation passed).
    const passed: TaskResults = {
      evaluate: { status: 'completed', cost: 0, turns: 1, outputs: {} },
      decide: {
        status: 'completed',
        cost: 0,
        turns: 0,
        outputs: { qa_decision: { questions: [{ id: 'next_step', default: 'ship' }] } },
      },
    };
    expect(renderTask(p, 'fix', passed).kind).toBe('run');
    expect(renderTask(p, 're-evaluate', passed).kind).toBe('run');
    passed.decide!.outputs = { qa_decision: { questions: [{ id: 'next_step', default: 'fix' }] } };
    expect(renderTask(p, 'fix', passed).kind).toBe('agent');
    expect(kinds('fix')).toEqual(['agent', 'run', 'agent', 'agent']);
    expect(kinds('ship')).toEqual(['agent', 'run', 'run', 'run']);
    const abort = renderAll(p, { decide: { next_step: 'abort' } })[2]!;
    expect(abort.run).toContain('exit 1');
    const [evaluate] = renderAll(p);
    expect(evaluate!.commit).toBe(false);
    expect(evaluate!.prompt).toContain('The plan: `docs/implementation/auth/`');
    const noPlan = renderAll(plan('qa', {}))[0]!;
    expect(noPlan.agentMd).toContain('Without a plan');
    expect(noPlan.prompt).not.toContain('GUIDE.md');
    expect(noPlan.prompt).not.toContain('The plan:');
  });

  it('docs: the pull request task is a shell task, off unless create_pr is true', () => {
    const off = renderAll(plan('docs'))[1]!;
    expect(off.kind).toBe('run');
    expect(off.run).toContain('create_pr is not set');
    const on = renderAll(plan('docs', { create_pr: 'true', pr_base: 'develop' }))[1]!;
    expect(on.run).toContain('base="develop"');
    expect(on.run).toContain('api.github.com');
  });
});
