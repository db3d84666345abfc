// DKMV behaviours the loader must share (issue 17), each with a component written here that uses
// the behaviour the way DKMV's own built-ins do; and plans that render with no access to the folder
// they were planned in (issue 10: self-contained plans).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findSlot,
  planComponent,
  renderTask,
  upgradePlan,
  type ComponentPlan,
  type TaskResults,
} from '../../../core/component/index.js';
import { parseModelScript } from '../../../core/model-script/parse.js';
import { makeComponent, planOptions, tempDir, userError } from './helpers.js';

const done = (outputs: Record<string, unknown> = {}) => ({ status: 'completed' as const, cost: 0, turns: 1, outputs });

describe('DKMV compatibility of the loader', () => {
  it('a task is named by its name:, even when the rest of the file needs results of earlier tasks', () => {
    const comp = makeComponent({
      '01-features.yaml': 'name: features\nprompt: list features\noutputs:\n  - path: features.json\n',
      // A `| join` over tasks.* cannot render at plan time, and a `{% if %}` at the top keeps the raw
      // file from parsing as YAML: the id must still be "phases", not the file stem "02-phases".
      '02-phases.yaml': [
        '{% if tasks.features.outputs.features.entries | length > 2 %}',
        'name: phases',
        '{% else %}',
        'name: phases',
        '{% endif %}',
        'description: "Phases for {{ feature_name }}"',
        'prompt: |',
        "  Features: {{ tasks.features.outputs.features.entries | map(attribute='name') | join(', ') }}",
        'outputs:',
        '  - path: phases.json',
      ].join('\n'),
      '03-assemble.yaml': 'name: assemble\nprompt: "{{ tasks.phases.outputs.phases.count }} phases"\n',
    });
    const plan = planComponent(comp, planOptions());
    expect(plan.tasks.map((t) => [t.id, t.deferred])).toEqual([
      ['features', false],
      ['phases', true],
      ['assemble', true],
    ]);
    expect(plan.tasks[1]!.description).toBe('Phases for x');
    const results: TaskResults = { features: done({ features: { entries: [{ name: 'login' }, { name: 'logout' }] } }) };
    expect(renderTask(plan, 'phases', results).prompt).toContain('Features: login, logout');
    results.phases = done({ phases: { count: 2 } });
    expect(renderTask(plan, 'assemble', results).prompt).toBe('2 phases');
    // --start-task also takes the task file's stem
    expect(findSlot(plan, '02-phases').id).toBe('phases');
    expect(findSlot(plan, '02-phases.yaml').id).toBe('phases');
  });

  it('a name that depends on earlier results is an error at its line', () => {
    const comp = makeComponent({
      '01-a.yaml': 'name: a\nprompt: p\n',
      '02-b.yaml': 'description: d\nname: "b-{{ tasks.a.status }}"\nprompt: p\n',
    });
    const err = userError(() => planComponent(comp, planOptions()));
    expect(err.message).toMatch(/name may not depend on results of earlier tasks/);
    expect(err.location).toMatchObject({ line: 2, field: 'name' });
  });

  it('an optional input whose src is empty or missing is skipped; a required empty one is an error', () => {
    const comp = makeComponent({
      'component.yaml': [
        'inputs:',
        '  - name: design_docs',
        '    type: file',
        '    src: "{{ design_docs_path | default(\'\') }}"',
        '    dest: design_docs',
        '    optional: true',
        '  - name: notes',
        '    type: file',
        '    src: not-there.md',
        '    optional: true',
        'tasks:',
        '  - file: 01-a.yaml',
      ].join('\n'),
      '01-a.yaml': 'name: a\nprompt: p\n',
    });
    const plan = planComponent(comp, planOptions());
    expect(plan.manifest.inputs.map((i) => i.name)).toEqual(['notes']);
    expect(renderTask(plan, 'a').inputs).toEqual([]);
    const required = makeComponent({
      '01-a.yaml': 'name: a\nprompt: p\ninputs:\n  - name: x\n    type: file\n    src: ""\n',
    });
    const err = userError(() => planComponent(required, planOptions()));
    expect(err.message).toMatch(/input 'x' has an empty src/);
    expect(err.location).toMatchObject({ line: 6, field: 'inputs[0].src' });
  });

  it('two outputs may share a stem (json + md); both are kept', () => {
    const comp = makeComponent({
      '01-eval.yaml':
        'name: evaluate\nprompt: p\noutputs:\n  - path: qa_evaluation.json\n    required: true\n  - path: qa_evaluation.md\n',
    });
    const t = renderTask(planComponent(comp, planOptions()), 'evaluate');
    expect(t.outputs.map((o) => [o.workspace_path, o.stem])).toEqual([
      ['.agent/qa_evaluation.json', 'qa_evaluation'],
      ['.agent/qa_evaluation.md', 'qa_evaluation'],
    ]);
  });

  it('state_files, workspace_dirs and deliverables are read from component.yaml', () => {
    const comp = makeComponent({
      'component.yaml': [
        'workspace_dirs: [.agent/scratch, docs/out]',
        'state_files:',
        '  - dest: .agent/state.json',
        '    content: \'{"feature": "{{ feature_name }}"}\'',
        'deliverables:',
        '  - docs/out/report.md',
        '  - { path: .agent/extra.json, required: false }',
      ].join('\n'),
      '01-a.yaml': 'name: a\nprompt: p\n',
    });
    const { manifest } = planComponent(comp, planOptions());
    expect(manifest.workspaceDirs).toEqual(['.agent/scratch', 'docs/out']);
    expect(manifest.stateFiles).toEqual([{ dest: '.agent/state.json', content: '{"feature": "x"}' }]);
    expect(manifest.deliverables).toEqual([
      { path: 'docs/out/report.md', required: true },
      { path: '.agent/extra.json', required: false },
    ]);
    const bad = makeComponent({
      'component.yaml': 'state_files:\n  - dest: ../x\n',
      '01-a.yaml': 'name: a\nprompt: p\n',
    });
    expect(userError(() => planComponent(bad, planOptions())).location).toMatchObject({ line: 2 });
  });

  it('a tasks/ folder holds the tasks: a stray README.yaml beside it is not run', () => {
    const comp = makeComponent({
      'README.yaml': 'title: about this component\n',
      'tasks/01-a.yaml': 'name: a\nprompt: p\n',
    });
    expect(planComponent(comp, planOptions()).tasks.map((t) => [t.name, t.file])).toEqual([['a', 'tasks/01-a.yaml']]);
  });

  it('without component.yaml, task files may live in a tasks/ folder', () => {
    const comp = makeComponent({
      'tasks/01-a.yaml': 'name: a\nprompt: p\n',
      'tasks/02-b.yaml': 'name: b\nprompt_file: prompts/b.md\n',
      'prompts/b.md': 'do b',
    });
    const plan = planComponent(comp, planOptions());
    expect(plan.tasks.map((t) => [t.id, t.file])).toEqual([
      ['a', 'tasks/01-a.yaml'],
      ['b', 'tasks/02-b.yaml'],
    ]);
    expect(renderTask(plan, 'b').prompt).toBe('do b');
  });
});

describe('self-contained plans', () => {
  /** A component with every kind of file a worker needs, in a project folder with an outside input. */
  function project() {
    const root = tempDir('dkmv-plan-');
    const outside = path.join(tempDir('dkmv-outside-'), 'prd.md');
    writeFileSync(outside, '# PRD from outside the project');
    const comp = makeComponent(
      {
        'component.yaml': 'agent_md_file: GUIDE.md\ntasks:\n  - file: 01-a.yaml\n  - file: 02-b.yaml\n',
        'GUIDE.md': 'Guide: use ${{ secrets.X }} as written',
        '01-a.yaml': [
          'name: a',
          'prompt_file: prompts/a.md',
          'instructions_file: shared/rules.md',
          'inputs:',
          '  - { name: prd, type: file, src: "{{ prd_path }}", dest: prd.md }',
          '  - { name: spec, type: file, src: docs/spec, dest: spec }',
        ].join('\n'),
        // Deferred (reads tasks.a): its project files are bundled too.
        '02-b.yaml':
          'name: b\nprompt_file: prompts/b.md\ninstructions_file: shared/b-rules.md\ninputs:\n  - { name: spec, type: file, src: docs/spec, dest: spec }\n',
        'prompts/a.md': 'Task a on {{ branch }}',
        'prompts/b.md': 'a was {{ tasks.a.status }}',
      },
      root,
    );
    mkdirSync(path.join(root, 'shared'));
    writeFileSync(path.join(root, 'shared', 'rules.md'), 'Rules for {{ feature_name }}');
    writeFileSync(path.join(root, 'shared', 'b-rules.md'), 'B rules');
    mkdirSync(path.join(root, 'docs', 'spec', 'api'), { recursive: true });
    writeFileSync(path.join(root, 'docs', 'spec', 'api', 'v1.md'), 'v1');
    const plan = planComponent(comp, planOptions({ prd_path: outside }, { projectRoot: root }));
    return { root, plan, outside };
  }

  it('renders every task after the folders it was planned from are gone (a worker elsewhere)', () => {
    const { root, plan } = project();
    const wire = JSON.parse(JSON.stringify(plan)) as ComponentPlan; // as workflow input and activity input
    renameSync(root, `${root}-gone`);
    const a = renderTask(wire, 'a');
    expect(a.prompt).toBe('Task a on feature/x');
    expect(a.instructions).toBe('Rules for x');
    expect(a.agentMd).toBe('Guide: use ${{ secrets.X }} as written');
    expect(a.inputs.map((i) => i.files)).toEqual([
      [{ path: '.agent/prd.md', content: '# PRD from outside the project' }],
      [{ path: '.agent/spec/api/v1.md', content: 'v1' }],
    ]);
    const b = renderTask(wire, 'b', { a: done() });
    expect(b.prompt).toBe('a was completed');
    expect(b.instructions).toBe('B rules');
    expect(b.inputs[0]!.files).toEqual([{ path: '.agent/spec/api/v1.md', content: 'v1' }]);
  });

  it('stores each text once (content-addressed) and leaves test material out', () => {
    const { plan } = project();
    const bundle = plan.bundle!;
    expect(Object.keys(bundle.component).sort()).toEqual([
      '01-a.yaml',
      '02-b.yaml',
      'GUIDE.md',
      'component.yaml',
      'prompts/a.md',
      'prompts/b.md',
    ]);
    const sums = Object.values(bundle.component);
    expect(Object.keys(bundle.blobs).length).toBeGreaterThanOrEqual(new Set(sums).size);
    expect(sums.every((s) => /^[0-9a-f]{64}$/.test(s))).toBe(true);
  });

  it('a plan made before bundles (version 1) is upgraded and still read from disk', () => {
    const comp = makeComponent({
      '01-a.yaml': 'name: a\nprompt: "hi {{ item }}"\n',
      'component.yaml': 'tasks:\n  - file: 01-a.yaml\n    pause_after: true\n    for_each: [x]\n',
    });
    const current = planComponent(comp, planOptions());
    const { bundle: _b, warnings: _w, ...rest } = current;
    const v1 = {
      ...rest,
      version: 1,
      manifest: { name: 'comp', params: {}, inputs: [], workspace_dirs: [], state_files: [] },
      tasks: current.tasks.map(({ pauseAfter, itemIndex, ...s }) => ({
        ...s,
        pause_after: pauseAfter,
        item_index: itemIndex,
      })),
    };
    const upgraded = upgradePlan(v1 as never);
    expect(upgraded.tasks[0]).toMatchObject({ pauseAfter: true, itemIndex: 0 });
    expect(renderTask(upgraded, 1).prompt).toBe('hi x');
  });
});

describe('model script test setup', () => {
  it('vars (text, lists as JSON, paths next to the script), seed, answers and feature name', () => {
    const script = parseModelScript(
      [
        'test:',
        '  feature_name: auth',
        '  seed: fixtures/repo',
        '  vars:',
        '    impl_docs_path: docs/implementation/auth',
        '    phases: ["p1.md", "p2.md"]',
        '    prd_path: { path: fixtures/prd.md }',
        '  answers: { next_step: ship }',
        'sessions:',
        '  - turns: [{ text: hi }]',
      ].join('\n'),
      '/comp/model-script.yaml',
    );
    expect(script.test).toEqual({
      featureName: 'auth',
      seed: '/comp/fixtures/repo',
      vars: {
        impl_docs_path: 'docs/implementation/auth',
        phases: '["p1.md","p2.md"]',
        prd_path: '/comp/fixtures/prd.md',
      },
      answers: { next_step: 'ship' },
    });
    expect(() => parseModelScript('test:\n  sed: x\nsessions:\n  - turns: [{ text: hi }]\n', 'm.yaml')).toThrow(
      /unknown field "sed"/,
    );
  });
});
