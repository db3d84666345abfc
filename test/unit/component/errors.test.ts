// Every bad input names the file, the line and the field, and says how to fix it.
import { describe, it, expect } from 'vitest';
import { planComponent, renderTask } from '../../../core/component/index.js';
import { makeComponent, planOptions, userError } from './helpers.js';

const plan1 = (taskYaml: string, vars: Record<string, string> = {}, extra: Record<string, string> = {}) =>
  planComponent(makeComponent({ '01-a.yaml': taskYaml, ...extra }), planOptions(vars));

describe('loader errors', () => {
  it('malformed YAML', () => {
    const err = userError(() => plan1('name: a\nprompt: p\ninputs:\n  - name: x\n   type: file\n'));
    expect(err.message).toMatch(/malformed YAML/);
    expect(err.location.file).toMatch(/01-a\.yaml$/);
    expect(err.location.line).toBe(5);
    expect(err.hint).toBeTruthy();
  });

  it('duplicate keys', () => {
    const err = userError(() => plan1('name: a\nprompt: p\nprompt: q\n'));
    expect(err.location.line).toBe(3);
    expect(err.hint).toMatch(/only once/);
  });

  it('unknown field with a did-you-mean suggestion', () => {
    const err = userError(() => plan1('name: a\nprompt: p\nmax_turn: 3\n'));
    expect(err.message).toBe('unknown field "max_turn" in task file');
    expect(err.location).toMatchObject({ line: 3, field: 'max_turn' });
    expect(err.hint).toBe('did you mean "max_turns"?');
    expect(err.format()).toContain('01-a.yaml:3');
  });

  it('unknown field nested in an input, with the list of allowed fields when nothing is close', () => {
    const err = userError(() =>
      plan1('name: a\nprompt: p\ninputs:\n  - name: x\n    type: text\n    content: c\n    dest: d\n    zzzzzzzz: 1\n'),
    );
    expect(err.location).toMatchObject({ line: 8, field: 'inputs[0].zzzzzzzz' });
    expect(err.hint).toMatch(/allowed fields here: name, type, src, dest/);
  });

  it('mistyped fields', () => {
    const err = userError(() => plan1('name: a\nprompt: p\nmax_turns: lots\n'));
    expect(err.location).toMatchObject({ line: 3, field: 'max_turns' });
    expect(err.message).toMatch(/whole number/);
    const err2 = userError(() => plan1('name: a\nprompt: p\ncommit: maybe\n'));
    expect(err2.message).toMatch(/true or false/);
    const err3 = userError(() => plan1('name: a\nprompt: p\nagent: gemini\n'));
    expect(err3.message).toMatch(/claude.*codex/);
    const err4 = userError(() => plan1('name: a\nprompt: p\noutputs: nope\n'));
    expect(err4.location.field).toBe('outputs');
  });

  it('missing required fields', () => {
    const err = userError(() => plan1('prompt: p\n'));
    expect(err.message).toBe('missing required field "name" in task file');
    expect(err.hint).toMatch(/add "name: \.\.\."/);
    const err2 = userError(() => plan1('name: a\nprompt: p\ninputs:\n  - name: x\n    type: file\n'));
    expect(err2.message).toMatch(/needs `src`/);
    expect(err2.location.line).toBe(4);
  });

  it('a file that is not a mapping', () => {
    const err = userError(() => plan1('- just\n- a list\n'));
    expect(err.message).toMatch(/mapping/);
  });

  it('missing template variables name the variable, the line and --var', () => {
    const err = userError(() => plan1('name: a\nprompt: |\n  Use {{ checklist_path }}\n'));
    expect(err.message).toBe('template variable "checklist_path" is not defined');
    expect(err.location.line).toBe(3);
    expect(err.hint).toBe('pass it on the command line: --var checklist_path=value');
    // also inside conditions, which a plain renderer would silently treat as false
    const err2 = userError(() => plan1('name: a\n{% if strict_mode %}\nprompt: p\n{% endif %}\n'));
    expect(err2.message).toContain('"strict_mode"');
    expect(err2.location.line).toBe(2);
  });

  it('missing variables in component.yaml and in prompt files', () => {
    const comp = makeComponent({
      'component.yaml': 'name: c\nagent_md: "{{ guide }}"\n',
      '01-a.yaml': 'name: a\nprompt: p\n',
    });
    const err = userError(() => planComponent(comp, planOptions()));
    expect(err.location.file).toMatch(/component\.yaml$/);
    expect(err.location.line).toBe(2);
    const err2 = userError(() => plan1('name: a\nprompt_file: p.md\n', {}, { 'p.md': 'line\n{{ missing_thing }}' }));
    expect(err2.location.file).toMatch(/p\.md$/);
    expect(err2.location.line).toBe(2);
  });

  it('default() and "is defined" allow optional variables', () => {
    const plan = plan1(
      'name: a\nprompt: "{{ who | default(\'world\') }}{% if extra is defined %}{{ extra }}{% endif %}"\n',
    );
    expect(renderTask(plan, 'a').prompt).toBe('world');
  });

  it('template syntax errors', () => {
    const err = userError(() => plan1('name: a\nprompt: p\ndescription: "{{ oops "\n'));
    expect(err.message).toMatch(/template error/);
    expect(err.location.line).toBe(3);
  });

  it('prompt and prompt_file both set', () => {
    const err = userError(() => plan1('name: a\nprompt: p\nprompt_file: p.md\n', {}, { 'p.md': 'x' }));
    expect(err.message).toMatch(/`prompt` and `prompt_file` are both set/);
    expect(err.location).toMatchObject({ line: 3, field: 'prompt_file' });
  });

  it('prompt and run both set, or none of them', () => {
    expect(userError(() => plan1('name: a\nprompt: p\nrun: ls\n')).message).toMatch(/`prompt` and `run`/);
    expect(userError(() => plan1('name: a\n')).message).toMatch(/exactly one of `prompt`, `prompt_file` or `run`/);
  });

  it('instructions and instructions_file both set', () => {
    const err = userError(() =>
      plan1('name: a\nprompt: p\ninstructions: i\ninstructions_file: i.md\n', {}, { 'i.md': 'x' }),
    );
    expect(err.location.field).toBe('instructions_file');
  });

  it('missing instructions_file, prompt_file and agent_md_file', () => {
    const e1 = userError(() => plan1('name: a\nprompt: p\ninstructions_file: nope.md\n'));
    expect(e1.message).toBe('instructions_file "nope.md" does not exist');
    expect(e1.location).toMatchObject({ line: 3, field: 'instructions_file' });
    expect(e1.hint).toMatch(/relative to the component folder/);
    const e2 = userError(() => plan1('name: a\nprompt_file: prompts/missing.md\n'));
    expect(e2.location).toMatchObject({ line: 2, field: 'prompt_file' });
    // DKMV only warns about a missing agent_md_file; the tasks run without it.
    const comp = makeComponent({ 'component.yaml': 'agent_md_file: AGENTS.md\n', '01-a.yaml': 'name: a\nprompt: p\n' });
    const p = planComponent(comp, planOptions());
    expect(p.warnings).toEqual([expect.stringMatching(/component\.yaml:1: agent_md_file "AGENTS\.md" does not exist/)]);
    expect(p.manifest.agentMd).toBeUndefined();
  });

  it('dest, path and src escaping the workspace', () => {
    const inputs = (input: string) => `name: a\nprompt: p\ninputs:\n  - ${input}\n`;
    const abs = userError(() => plan1(inputs('{ name: x, type: text, content: c, dest: /etc/passwd }')));
    expect(abs.message).toMatch(/absolute path/);
    expect(abs.location).toMatchObject({ line: 4, field: 'inputs[0].dest' });
    const up = userError(() => plan1(inputs('{ name: x, type: text, content: c, dest: ../../x }')));
    expect(up.message).toMatch(/outside the workspace/);
    // A src outside the project is read when the run is planned (as DKMV copies it in); a missing one is an error.
    const src = userError(() => plan1(inputs('{ name: x, type: file, src: ../../no-such-secrets.txt, dest: s.txt }')));
    expect(src.message).toMatch(/no-such-secrets\.txt does not exist/);
    expect(src.hint).toMatch(/optional: true/);
    const out = userError(() => plan1('name: a\nprompt: p\noutputs:\n  - path: ../../../x.json\n'));
    expect(out.location).toMatchObject({ line: 4, field: 'outputs[0].path' });
    const outAbs = userError(() => plan1('name: a\nprompt: p\noutputs:\n  - path: /tmp/x.json\n'));
    expect(outAbs.message).toMatch(/absolute/);
  });

  it('required_fields on a non-JSON output', () => {
    expect(
      userError(() => plan1('name: a\nprompt: p\noutputs:\n  - path: r.md\n    required_fields: [x]\n')).message,
    ).toMatch(/only works for JSON/);
  });

  it('unknown field in component.yaml task entries', () => {
    const comp = makeComponent({
      'component.yaml': 'tasks:\n  - file: 01-a.yaml\n    pause_afer: true\n',
      '01-a.yaml': 'name: a\nprompt: p\n',
    });
    const err = userError(() => planComponent(comp, planOptions()));
    expect(err.location).toMatchObject({ line: 3, field: 'tasks[0].pause_afer' });
    expect(err.hint).toBe('did you mean "pause_after"?');
  });

  it('a task file listed in component.yaml that does not exist', () => {
    const comp = makeComponent({
      'component.yaml': 'tasks:\n  - file: 01-a.yaml\n  - file: 02-b.yaml\n',
      '01-a.yaml': 'name: a\nprompt: p\n',
    });
    const err = userError(() => planComponent(comp, planOptions()));
    expect(err.location).toMatchObject({ line: 3, field: 'tasks[1].file' });
    expect(err.hint).toContain('01-a.yaml');
  });

  it('a component without tasks, two tasks with one name, reserved --var names', () => {
    expect(
      userError(() => planComponent(makeComponent({ 'component.yaml': 'name: x\n' }), planOptions())).message,
    ).toMatch(/no tasks/);
    expect(
      userError(() =>
        planComponent(
          makeComponent({ '01-a.yaml': 'name: a\nprompt: p\n', '02-b.yaml': 'name: a\nprompt: q\n' }),
          planOptions(),
        ),
      ).message,
    ).toMatch(/two tasks are named "a"/);
    expect(userError(() => plan1('name: a\nprompt: p\n', { branch: 'x' })).message).toMatch(/would hide/);
    expect(userError(() => plan1('name: a\nprompt: p\n', { 'bad-name': 'x' })).message).toMatch(/not a valid/);
  });

  it('maps error lines back to the template when a value expands to several lines', () => {
    const comp = makeComponent({
      '01-a.yaml': [
        'name: a',
        'prompt: |',
        '  {{ long }}',
        'inputs:',
        '  - { name: x, type: text, content: c, dest: /abs }',
      ].join('\n'),
    });
    const err = userError(() => planComponent(comp, planOptions({ long: 'one\n  two\n  three\n  four' })));
    expect(err.location.line).toBe(5);
  });

  it('agent and model that do not fit together', () => {
    const err = userError(() => plan1('name: a\nprompt: p\nagent: codex\nmodel: claude-opus-4-1\n'));
    expect(err.message).toMatch(/does not run on agent "codex"/);
    expect(err.location.line).toBe(3);
    expect(err.hint).toMatch(/agent: claude/);
  });
});
