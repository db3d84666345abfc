// `dkmv dev --impl-docs` passes `phases` as DKMV's CLI does — [{phase_number, phase_name,
// phase_file}] from phase<N>_<name>.md — so a dev component written the DKMV way (`for_each:
// "phases"`, `item.phase_file`) runs through `dkmv dev`, and the built-in dev works with it too.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devPhaseVars } from '../../../cli/commands/pipelines.js';
import { toPhase } from '../../../cli/commands/dev-phases.js';
import { planComponent, renderTask, resolveComponent, type ComponentPlan } from '../../../core/component/index.js';
import { DKMV_HOME } from '../../../core/project.js';

const DOCS = 'components/dev/fixtures/repo/docs/implementation/auth';

function planOf(dir: string, vars: Record<string, string>): ComponentPlan {
  return planComponent(resolveComponent(dir, { projectRoot: DKMV_HOME, cwd: DKMV_HOME }), {
    context: { repo: '/tmp/r.git', branch: 'feature/auth', feature_name: 'auth', run_id: 'run-1', vars },
    defaults: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 100, timeout_minutes: 30 },
    projectRoot: DKMV_HOME,
  });
}

describe('phases as DKMV passes them', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dkmv-unit-dkmv-dev-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads phase<N>_<name>.md into phase_number, phase_name (underscores as spaces) and phase_file', () => {
    expect(toPhase('phase2_user_api.md')).toEqual({
      phase_number: 2,
      phase_name: 'user api',
      phase_file: 'phase2_user_api.md',
    });
    const vars = devPhaseVars(DOCS, undefined, { impl_docs_path: DOCS }, DKMV_HOME);
    expect(JSON.parse(vars.phases!)).toEqual([
      { phase_number: 1, phase_name: 'accounts', phase_file: 'phase1_accounts.md' },
      { phase_number: 2, phase_name: 'ownership', phase_file: 'phase2_ownership.md' },
    ]);
  });

  it('--start-phase keeps the phases numbered from it on (DKMV: a number, not a position)', () => {
    const vars = devPhaseVars(DOCS, undefined, { impl_docs_path: DOCS, start_phase: '2' }, DKMV_HOME);
    expect(JSON.parse(vars.phases!).map((p: { phase_number: number }) => p.phase_number)).toEqual([2]);
    expect(vars.start_phase).toBeUndefined();
    expect(() => devPhaseVars(DOCS, undefined, { start_phase: '7' }, DKMV_HOME)).toThrow(/no phase numbered 7/);
  });

  it('a dev component written the DKMV way runs with them: for_each: "phases", item.phase_number / phase_file', () => {
    const dir = path.join(tmp, 'dkmv-style-dev');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'component.yaml'),
      'name: dkmv-style-dev\ntasks:\n  - file: implement-phase.yaml\n    for_each: "phases"\n',
    );
    writeFileSync(
      path.join(dir, 'implement-phase.yaml'),
      [
        'name: "implement-phase-{{ item.phase_number }}"',
        'outputs:',
        '  - path: "phase_{{ item.phase_number }}_result.json"',
        'prompt: |',
        '  You are implementing Phase {{ item.phase_number }}: {{ item.phase_name }}.',
        '  Read `.agent/impl_docs/{{ item.phase_file }}`.',
        '  {% if item.phase_number > 1 %}Earlier phases are done.{% endif %}',
        '',
      ].join('\n'),
    );
    const p = planOf(dir, devPhaseVars(DOCS, undefined, { impl_docs_path: DOCS }, DKMV_HOME));
    expect(p.tasks.map((t) => t.name)).toEqual(['implement-phase-1', 'implement-phase-2']);
    const second = renderTask(p, p.tasks[1]!.id, {});
    expect(second.prompt).toContain('You are implementing Phase 2: ownership.');
    expect(second.prompt).toContain('`.agent/impl_docs/phase2_ownership.md`');
    expect(second.prompt).toContain('Earlier phases are done.');
  });

  it('the built-in dev works with the same shape (and still with plain file names)', () => {
    const vars = devPhaseVars(DOCS, undefined, { impl_docs_path: 'docs/implementation/auth' }, DKMV_HOME);
    const p = planOf('dev', vars);
    expect(p.tasks.map((t) => t.id)).toEqual(['prepare', 'implement-phase1_accounts', 'implement-phase2_ownership']);
    const prepare = renderTask(p, 'prepare', {});
    expect(prepare.run).toContain('"phase1_accounts.md" "phase2_ownership.md"');
    const phase1 = renderTask(p, 'implement-phase1_accounts', {});
    expect(phase1.prompt).toContain('Your phase: `docs/implementation/auth/phase1_accounts.md`');
    expect(phase1.outputs[0]!.workspace_path).toBe('.agent/phase1_accounts_result.json');
    const plain = planOf('dev', { impl_docs_path: 'docs/implementation/auth', phases: '["phase1_accounts.md"]' });
    expect(plain.tasks.map((t) => t.id)).toEqual(['prepare', 'implement-phase1_accounts']);
  });
});
