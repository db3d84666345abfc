// Jinja2 semantics of templates: each expected value is what Jinja2 3.1 (StrictUndefined) prints for
// the same template and context, checked against Python's jinja2 when this test was written.
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../core/component/index.js';
import { userError } from './helpers.js';

const render = (source: string, ctx: Record<string, unknown> = {}): string =>
  renderTemplate(source, ctx, { file: 'task.yaml' });

describe('templates follow Jinja2, not JavaScript', () => {
  it.each([
    [
      '{{ d }}',
      { d: { a: 1, b: [1, 'x', true, null], c: "it's" } },
      `{'a': 1, 'b': [1, 'x', True, None], 'c': "it's"}`,
    ],
    ['{{ l }}', { l: ['a', 2] }, "['a', 2]"],
    ['{{ none }} {{ true }} {{ False }} {{ x }}', { x: null }, 'None True False None'],
    ['{% if l %}y{% else %}n{% endif %}{% if d %}y{% else %}n{% endif %}', { l: [], d: {} }, 'nn'],
    ["{{ 'y' if [] else 'n' }}|{{ [] or 'e' }}|{{ 'x' and 0 }}|{{ not {} }}", {}, 'n|e|0|True'],
    ["{{ 'a' ~ [1] }}", {}, 'a[1]'],
    ["{{ l | default('none', true) }}|{{ l | default('none') }}|{{ u | default('u') }}", { l: [] }, 'none|[]|u'],
    [
      "{{ l | selectattr('s', 'equalto', 'ok') | map(attribute='n') | join(', ') }}",
      {
        l: [
          { s: 'ok', n: 'a' },
          { s: 'no', n: 'b' },
          { s: 'ok', n: 'c' },
        ],
      },
      'a, c',
    ],
    ["{{ l | selectattr('s') | list | length }}", { l: [{ s: '' }, { s: 'x' }] }, '1'],
    ["{{ l | rejectattr('s', 'equalto', 'ok') | list }}", { l: [{ s: 'ok' }, { s: 'no' }] }, "[{'s': 'no'}]"],
    ['{% if x.missing is defined %}y{% else %}n{% endif %}{% if x is defined %}Y{% endif %}', { x: {} }, 'nY'],
    ['{{ l | length }} {{ d | length }} {{ "abc" | length }}', { l: [1], d: { a: 1 } }, '1 1 3'],
    ["{{ l | join(', ') }}", { l: [1, null, true] }, '1, None, True'],
    ['{{ d | tojson }}', { d: { b: '<x>', a: 1 } }, '{"a": 1, "b": "\\u003cx\\u003e"}'],
    ['{{ d | tojson(indent=2) }}', { d: { b: 1, a: [1] } }, '{\n  "a": [\n    1\n  ],\n  "b": 1\n}'],
    [`{{ d['a'] }} {{ d["a"] }} {{ d.a }}`, { d: { a: 1 } }, '1 1 1'],
    ['{{ l[1:] }} {{ l[:1] }}', { l: [1, 2, 3] }, '[2, 3] [1]'],
    ['{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}', { d: { a: 1, b: 2 } }, 'a=1;b=2;'],
    [
      "{{ p.rstrip('/') }} {{ s.upper() }} {{ s.split(',') }} {{ s.startswith('a') }}",
      { p: 'a/b//', s: 'a,b' },
      "a/b A,B ['a', 'b'] True",
    ],
  ])('%s', (source, ctx, expected) => {
    expect(render(source, ctx as Record<string, unknown>)).toBe(expected);
  });

  it('an unknown variable is an error naming it, the file and the line', () => {
    const err = userError(() => render('name: a\nprompt: "{{ prd_path }}"\n'));
    expect(err.message).toBe('template variable "prd_path" is not defined');
    expect(err.location).toMatchObject({ file: 'task.yaml', line: 2 });
    expect(err.hint).toMatch(/--var prd_path=/);
  });

  it('an unknown attribute printed is an error with file and line; a syntax error keeps them too', () => {
    const missing = userError(() => render('a\n{{ x.nope }}\n', { x: {} }));
    expect(missing.message).toMatch(/"x.nope" is undefined/);
    expect(missing.location).toMatchObject({ file: 'task.yaml', line: 2 });
    const syntax = userError(() => render('a\nb\n{% if x %}\n', { x: 1 }));
    expect(syntax.message).toMatch(/template error/);
    expect(syntax.location).toMatchObject({ file: 'task.yaml', line: 3 });
    const filter = userError(() => render('a\n{{ x | nofilter }}\n', { x: 1 }));
    expect(filter.location).toMatchObject({ file: 'task.yaml', line: 2 });
  });
});
