import { describe, it, expect } from 'vitest';
import { planComponent, renderTask, findSlot } from '../../../core/component/index.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeComponent, planOptions, userError } from './helpers.js';

const task = (name: string, extra = ''): string => `name: ${name}\nprompt: do ${name}\n${extra}`;

describe('planComponent', () => {
  it('lists tasks from component.yaml with pause points and per-task overrides', () => {
    const comp = makeComponent({
      'component.yaml': [
        'name: audit',
        'description: An audit',
        'model: claude-opus-4-1',
        'max_turns: 40',
        'tasks:',
        '  - file: 01-scan.yaml',
        '    pause_after: true',
        '    max_turns: 10',
        '  - file: 02-fix.yaml',
      ].join('\n'),
      '01-scan.yaml': task('scan', 'description: Scan things\n'),
      '02-fix.yaml': task('fix'),
      '99-unused.yaml': task('unused'),
    });
    const plan = planComponent(comp, planOptions());
    expect(plan.tasks.map((t) => [t.id, t.file, t.pauseAfter, t.kind])).toEqual([
      ['scan', '01-scan.yaml', true, 'agent'],
      ['fix', '02-fix.yaml', false, 'agent'],
    ]);
    expect(plan.tasks[0]!.description).toBe('Scan things');
    expect(plan.tasks[0]!.overrides).toEqual({ max_turns: 10 });
    expect(plan.manifest.name).toBe('audit');
    expect(plan.context.model).toBe('claude-opus-4-1');
    expect(plan.params.max_turns).toBe(40);
    // The plan is plain data: it survives JSON (workflow input).
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('runs *.yaml and *.yml in filename order without component.yaml', () => {
    const comp = makeComponent({
      '02-b.yml': task('b'),
      '01-a.yaml': task('a'),
      '10-c.yaml': 'name: c\nrun: npm test\n',
      'notes.txt': 'not a task',
    });
    const plan = planComponent(comp, planOptions());
    expect(plan.tasks.map((t) => t.name)).toEqual(['a', 'b', 'c']);
    expect(plan.tasks[2]!.kind).toBe('run');
    expect(plan.tasks.map((t) => t.index)).toEqual([0, 1, 2]);
  });

  it('renders component.yaml with vars and reads agent_md_file verbatim (as DKMV does) from the component folder', () => {
    const comp = makeComponent({
      'component.yaml':
        'agent_md_file: guide.md\ninputs:\n  - name: prd\n    type: file\n    src: "{{ prd_path }}"\n    dest: prd.md\ntasks:\n  - file: 01-a.yaml\n',
      'guide.md': 'Feature {{ feature_name }} on ${{ branch }}',
      '01-a.yaml': task('a'),
    });
    const root = path.dirname(comp.dir);
    mkdirSync(path.join(root, 'docs'));
    writeFileSync(path.join(root, 'docs/prd.md'), '# PRD');
    const plan = planComponent(comp, planOptions({ prd_path: 'docs/prd.md' }, { projectRoot: root }));
    expect(plan.manifest.agentMd).toBe('Feature {{ feature_name }} on ${{ branch }}');
    expect(plan.manifest.inputs[0]).toMatchObject({ srcPath: 'docs/prd.md', destPath: '.agent/prd.md' });
    const rendered = renderTask(plan, 'a');
    expect(rendered.agentMd).toBe('Feature {{ feature_name }} on ${{ branch }}');
    expect(rendered.inputs[0]).toMatchObject({ name: 'prd', files: [{ path: '.agent/prd.md', content: '# PRD' }] });
  });

  it('fully checks tasks that do not read earlier results, and defers those that do', () => {
    const comp = makeComponent({
      '01-a.yaml': task('a'),
      '02-b.yaml': 'name: b\nprompt: "a was {{ tasks.a.status }}"\n',
    });
    const plan = planComponent(comp, planOptions());
    expect(plan.tasks.map((t) => t.deferred)).toEqual([false, true]);
    expect(plan.tasks[1]!.name).toBe('b');
  });

  it('still reports missing variables of deferred tasks up front', () => {
    const comp = makeComponent({
      '01-a.yaml': 'name: a\nprompt: |\n  {{ tasks }}\n  {{ checklist }}\n',
    });
    const err = userError(() => planComponent(comp, planOptions()));
    expect(err.message).toContain('"checklist"');
    expect(err.location.line).toBe(4);
    expect(err.hint).toContain('--var checklist=value');
  });

  it('finds slots by id, name or 1-based position', () => {
    const comp = makeComponent({ '01-a.yaml': task('a'), '02-b.yaml': task('b') });
    const plan = planComponent(comp, planOptions());
    expect(findSlot(plan, 2).id).toBe('b');
    expect(findSlot(plan, '1').id).toBe('a');
    expect(findSlot(plan, 'b').index).toBe(1);
    expect(userError(() => findSlot(plan, 'zzz')).hint).toContain('a, b');
  });
});

describe('renderTask', () => {
  it('reads prompt_file and instructions_file relative to the component folder, as templates', () => {
    const comp = makeComponent({
      '01-a.yaml': 'name: a\nprompt_file: prompts/a.md\ninstructions_file: prompts/rules.md\n',
      'prompts/a.md': 'Implement {{ feature_name }} ({{ run_id }}, {{ component }}, {{ model }}, {{ repo }})',
      'prompts/rules.md': 'Be careful with {{ who }}',
    });
    const plan = planComponent(comp, planOptions({ who: 'prod' }));
    const t = renderTask(plan, 'a');
    expect(t.prompt).toBe('Implement x (260101-1200-comp-x-abcd, comp, claude-sonnet-4-6, https://example.test/r.git)');
    expect(t.instructions).toBe('Be careful with prod');
    expect(t.kind).toBe('agent');
  });

  it('exposes status, cost, turns and outputs of earlier tasks', () => {
    const comp = makeComponent({
      '01-scan.yaml': 'name: scan\nprompt: scan\noutputs:\n  - path: scan_results.json\n',
      '02-fix.yaml': [
        'name: fix',
        'prompt: |',
        '  scan {{ tasks.scan.status }} cost {{ tasks.scan.cost }} in {{ tasks.scan.turns }} turns',
        '  {% for f in tasks.scan.outputs.scan_results.findings %}- {{ f }}',
        '  {% endfor %}',
      ].join('\n'),
    });
    const plan = planComponent(comp, planOptions());
    const scan = renderTask(plan, 'scan');
    expect(scan.outputs[0]).toMatchObject({
      workspace_path: '.agent/scan_results.json',
      stem: 'scan_results',
      required: false,
      save: true,
    });
    const fix = renderTask(plan, 'fix', {
      scan: { status: 'completed', cost: 0.25, turns: 7, outputs: { scan_results: { findings: ['xss', 'sqli'] } } },
    });
    expect(fix.prompt).toContain('scan completed cost 0.25 in 7 turns');
    expect(fix.prompt).toContain('- xss');
    expect(fix.prompt).toContain('- sqli');
  });

  it('fails with a clear error when an earlier result is missing', () => {
    const comp = makeComponent({
      '01-a.yaml': 'name: a\nprompt: |\n  x\n  {{ tasks.b.status }}\n',
      '02-b.yaml': 'name: b\nprompt: y\n',
    });
    const plan = planComponent(comp, planOptions());
    const err = userError(() => renderTask(plan, 'a', {}));
    expect(err.message).toContain('tasks.b.status');
    expect(err.location.line).toBe(4);
  });

  it('reports a reference to a task the component does not have while planning, with a suggestion', () => {
    const comp = makeComponent({
      '01-a.yaml': 'name: scan\nprompt: x\n',
      '02-b.yaml': 'name: fix\nprompt: |\n  {{ tasks.items() | length }}\n  {{ tasks.scna.status }}\n',
    });
    const err = userError(() => planComponent(comp, planOptions()));
    expect(err.message).toContain('no task named "scna"');
    expect(err.location).toMatchObject({ line: 4 });
    expect(err.hint).toContain('did you mean "tasks.scan"?');
  });

  it('runs `run:` tasks as scripts and applies defaults', () => {
    const comp = makeComponent({ '01-gate.yaml': 'name: gate\nrun: |\n  npm test\n' });
    const t = renderTask(planComponent(comp, planOptions()), 'gate');
    expect(t).toMatchObject({ kind: 'run', run: 'npm test\n', commit: true, push: true, inputs: [], outputs: [] });
    expect(t.prompt).toBeUndefined();
  });

  it('maps relative dest/path under .agent/ and keeps paths inside the workspace', () => {
    const comp = makeComponent({
      '01-a.yaml': [
        'name: a',
        'prompt: p',
        'inputs:',
        '  - { name: spec, type: file, src: docs/spec.md }',
        '  - { name: note, type: text, content: hi, dest: notes/n.txt }',
        '  - { name: tok, type: env, key: MY_VAR, value: "1" }',
        '  - { name: up, type: text, content: hi, dest: ../README.md }',
        'outputs:',
        '  - path: .agent/report.json',
        '    required: "true"',
        '    required_fields: [summary]',
      ].join('\n'),
    });
    mkdirSync(path.join(path.dirname(comp.dir), 'docs'));
    writeFileSync(path.join(path.dirname(comp.dir), 'docs/spec.md'), 'spec');
    const t = renderTask(planComponent(comp, planOptions({}, { projectRoot: path.dirname(comp.dir) })), 'a');
    expect(t.inputs.map((i) => i.destPath)).toEqual(['.agent/spec.md', '.agent/notes/n.txt', undefined, 'README.md']);
    expect(t.outputs[0]).toMatchObject({
      workspace_path: '.agent/report.json',
      required: true,
      required_fields: ['summary'],
    });
  });

  it('coerces quoted numbers from templates', () => {
    const comp = makeComponent({
      '01-a.yaml': 'name: a\nprompt: p\nmax_turns: "{{ turns }}"\nmax_budget_usd: "{{ budget }}"\n',
    });
    const t = renderTask(planComponent(comp, planOptions({ turns: '12', budget: '1.5' })), 'a');
    expect(t.params.max_turns).toBe(12);
    expect(t.params.max_budget_usd).toBe(1.5);
  });
});

describe('for_each', () => {
  const files = (forEach: string): Record<string, string> => ({
    'component.yaml': `tasks:\n  - file: 01-phase.yaml\n    for_each: ${forEach}\n    model: claude-haiku-4-5\n  - file: 02-wrap.yaml\n`,
    '01-phase.yaml': 'name: phase-{{ item_index + 1 }}\nprompt: implement {{ item }} ({{ item_index }})\n',
    '02-wrap.yaml': 'name: wrap\nprompt: "{{ tasks[\'phase-2\'].status }}"\n',
  });

  it('expands a YAML list into one slot per item', () => {
    const plan = planComponent(makeComponent(files('[api, ui]')), planOptions());
    expect(plan.tasks.map((t) => [t.id, t.item, t.itemIndex])).toEqual([
      ['phase-1', 'api', 0],
      ['phase-2', 'ui', 1],
      ['wrap', undefined, undefined],
    ]);
    const t = renderTask(plan, 'phase-2');
    expect(t.prompt).toBe('implement ui (1)');
    expect(t.params.model).toBe('claude-haiku-4-5');
    expect(
      renderTask(plan, 'wrap', { 'phase-2': { status: 'completed', cost: 0, turns: 1, outputs: {} } }).prompt,
    ).toBe('completed');
  });

  it('evaluates a template expression against the vars (JSON list in a --var)', () => {
    const plan = planComponent(makeComponent(files('"{{ phases }}"')), planOptions({ phases: '["a","b","c"]' }));
    expect(plan.tasks.map((t) => t.item)).toEqual(['a', 'b', 'c', undefined]);
  });

  it('evaluates expressions that build lists (split, range)', () => {
    const a = planComponent(makeComponent(files('"{{ phases.split(\',\') }}"')), planOptions({ phases: 'x,y' }));
    expect(a.tasks.map((t) => t.item).slice(0, 2)).toEqual(['x', 'y']);
    const b = planComponent(makeComponent(files('"{{ range(3) }}"')), planOptions());
    expect(b.tasks.filter((t) => t.item !== undefined).map((t) => t.item)).toEqual([0, 1, 2]);
    const c = planComponent(makeComponent(files('phases')), planOptions({ phases: '["p"]' }));
    expect(c.tasks[0]!.item).toBe('p');
  });

  it('gives repeated names unique ids', () => {
    const comp = makeComponent({
      'component.yaml': 'tasks:\n  - file: 01-x.yaml\n    for_each: [1, 2]\n',
      '01-x.yaml': 'name: x\nprompt: "{{ item }}"\n',
    });
    expect(planComponent(comp, planOptions()).tasks.map((t) => [t.id, t.name])).toEqual([
      ['x-1', 'x'],
      ['x-2', 'x'],
    ]);
  });

  it('rejects for_each over a non-list, naming file, line and field', () => {
    const err = userError(() => planComponent(makeComponent(files('"{{ phases }}"')), planOptions({ phases: 'a,b' })));
    expect(err.message).toMatch(/for_each must be a list, got the string "a,b"/);
    expect(err.location).toMatchObject({ line: 3, field: 'tasks[0].for_each' });
    expect(err.location.file).toMatch(/component\.yaml$/);
    const err2 = userError(() => planComponent(makeComponent(files('{ a: 1 }')), planOptions()));
    expect(err2.message).toMatch(/for_each/);
  });

  it('reports item used outside for_each', () => {
    const comp = makeComponent({ '01-a.yaml': 'name: a\nprompt: "{{ item }}"\n' });
    const err = userError(() => planComponent(comp, planOptions()));
    expect(err.message).toContain('"item"');
    expect(err.hint).toContain('for_each');
  });
});

describe('deferred tasks', () => {
  it('counts results read behind default() or "is defined" as depending on earlier tasks', () => {
    const comp = makeComponent({
      '01-a.yaml': 'name: a\nprompt: p\n',
      '02-b.yaml': 'name: b\nprompt: "{{ tasks.a.status | default(\'n/a\') }}"\n',
      '03-c.yaml': 'name: c\nprompt: "{% if tasks.a is defined %}yes{% else %}no{% endif %}"\n',
      '04-d.yaml': 'name: d\nprompt_file: d.md\n',
      'd.md': '{{ tasks.a.turns }} turns',
    });
    const plan = planComponent(comp, planOptions());
    expect(plan.tasks.map((t) => t.deferred)).toEqual([false, true, true, true]);
    const results = { a: { status: 'completed' as const, cost: 0, turns: 3, outputs: {} } };
    expect(renderTask(plan, 'b', results).prompt).toBe('completed');
    expect(renderTask(plan, 'b', {}).prompt).toBe('n/a');
    expect(renderTask(plan, 'c', results).prompt).toBe('yes');
    expect(renderTask(plan, 'd', results).prompt).toBe('3 turns');
  });
});
