import { describe, it, expect } from 'vitest';
import { inferAgent, planComponent, renderTask, resolveExecutionParams } from '../../../core/component/index.js';
import { makeComponent, planOptions, userError } from './helpers.js';

describe('inferAgent', () => {
  it('maps model names to agents', () => {
    expect(inferAgent('claude-sonnet-4-6')).toBe('claude');
    expect(inferAgent('gpt-5.5')).toBe('codex');
    expect(inferAgent('o3')).toBe('codex');
    expect(inferAgent('o4-mini')).toBe('codex');
    expect(inferAgent('codex-mini-latest')).toBe('codex');
    expect(inferAgent('llama-3')).toBeUndefined();
    expect(inferAgent('opus')).toBe('claude');
  });
});

describe('resolveExecutionParams', () => {
  const defaults = { agent: 'claude' as const, model: 'claude-sonnet-4-6', max_turns: 100, timeout_minutes: 30 };

  it('cli > task > component task entry > component > config > default', () => {
    const levels = {
      cli: {},
      task: { max_turns: 1, timeout_minutes: 1 },
      'component-task': { max_turns: 2, timeout_minutes: 2, agent: 'claude' as const },
      component: { max_turns: 4, timeout_minutes: 4, max_budget_usd: 4, model: 'claude-opus-4-1' },
      config: { max_turns: 5, model: 'claude-haiku-4-5' },
      default: defaults,
    };
    const r = resolveExecutionParams({ ...levels, cli: { max_turns: 3, max_budget_usd: 3 } });
    expect(r).toMatchObject({
      max_turns: 3,
      timeout_minutes: 1,
      max_budget_usd: 3,
      model: 'claude-opus-4-1',
      agent: 'claude',
    });
    expect(r.sources).toMatchObject({
      max_turns: 'cli',
      timeout_minutes: 'task',
      max_budget_usd: 'cli',
      model: 'component',
      agent: 'component-task',
    });
    const noCli = resolveExecutionParams({ ...levels, cli: {} });
    expect(noCli).toMatchObject({ max_turns: 1, max_budget_usd: 4 });
    expect(noCli.sources.max_turns).toBe('task');
    const r2 = resolveExecutionParams({ config: { max_turns: 5 }, default: defaults });
    expect(r2.max_turns).toBe(5);
    expect(r2.max_budget_usd).toBeUndefined();
    expect(resolveExecutionParams({ default: defaults }).sources.max_turns).toBe('default');
  });

  it('infers the agent from a model set above the agent', () => {
    const r = resolveExecutionParams({ task: { model: 'gpt-5.5' }, default: defaults });
    expect(r.agent).toBe('codex');
    expect(r.sources.agent).toBe('inferred');
    const r2 = resolveExecutionParams({ task: { model: 'o3' }, config: { agent: 'claude' }, default: defaults });
    expect(r2.agent).toBe('codex');
  });

  it('an explicit agent with only a default model picks the agent default model', () => {
    const r = resolveExecutionParams({ cli: { agent: 'codex' }, default: defaults });
    expect(r).toMatchObject({ agent: 'codex', model: 'gpt-5.5' });
    expect(r.sources.model).toBe('agent-default');
  });

  it('an explicit agent and an explicit model that do not fit is a UserError', () => {
    // A flag's agent over a task's model that does not fit: the error names both places.
    const err = userError(() =>
      resolveExecutionParams(
        { task: { model: 'claude-opus-4-1' }, cli: { agent: 'codex' }, default: defaults },
        { file: 't.yaml', line: 3 },
      ),
    );
    expect(err.message).toMatch(/claude-opus-4-1.*task file.*codex.*command-line flag/);
    expect(err.location).toMatchObject({ file: 't.yaml', line: 3 });
    // A flag's model over a task's agent: the agent follows the model set higher up.
    expect(
      resolveExecutionParams({ task: { agent: 'codex' }, cli: { model: 'claude-opus-4-1' }, default: defaults }).agent,
    ).toBe('claude');
    // same level: agent and model in one place
    expect(() => resolveExecutionParams({ cli: { agent: 'claude', model: 'gpt-5.5' }, default: defaults })).toThrow(
      /does not run/,
    );
  });

  it('an unknown model name keeps the chosen agent', () => {
    expect(
      resolveExecutionParams({ task: { model: 'my-proxy-model' }, cli: { agent: 'codex' }, default: defaults }).agent,
    ).toBe('codex');
  });
});

describe('precedence inside a component', () => {
  it('combines task YAML, component.yaml entries and top level, CLI flags and config', () => {
    const comp = makeComponent({
      'component.yaml':
        'max_turns: 30\ntimeout_minutes: 20\ntasks:\n  - file: 01-a.yaml\n    max_turns: 20\n  - file: 02-b.yaml\n',
      '01-a.yaml': 'name: a\nprompt: p\n',
      '02-b.yaml': 'name: b\nprompt: p\nmax_turns: 5\nmodel: gpt-5.5\n',
    });
    const plan = planComponent(
      comp,
      planOptions(
        {},
        { cli: { max_turns: 99, max_budget_usd: 2, timeout_minutes: 1 }, config: { model: 'claude-opus-4-1' } },
      ),
    );
    const a = renderTask(plan, 'a');
    expect(a.params).toMatchObject({
      max_turns: 99,
      timeout_minutes: 1,
      max_budget_usd: 2,
      model: 'claude-opus-4-1',
      agent: 'claude',
    });
    const b = renderTask(plan, 'b');
    expect(b.params).toMatchObject({ max_turns: 99, timeout_minutes: 1, model: 'gpt-5.5', agent: 'codex' });
    // Without flags the task file and the component.yaml entry set the limits.
    const unflagged = planComponent(comp, planOptions({}, { config: { model: 'claude-opus-4-1' } }));
    expect(renderTask(unflagged, 'a').params.max_turns).toBe(20);
    expect(renderTask(unflagged, 'b').params.max_turns).toBe(5);
    expect(plan.params).toMatchObject({
      max_turns: 99,
      timeout_minutes: 1,
      max_budget_usd: 2,
      model: 'claude-opus-4-1',
    });
  });

  it('a CLI flag beats component.yaml and the task file, as in DKMV (CLI > task > config)', () => {
    // `dkmv dev --max-turns 10` with a component.yaml and a task file that set max_turns.
    const comp = makeComponent({
      'component.yaml': 'max_turns: 50\ntasks:\n  - file: 01-a.yaml\n  - file: 02-b.yaml\n    max_turns: 9\n',
      '01-a.yaml': 'name: a\nprompt: p\n',
      '02-b.yaml': 'name: b\nprompt: p\nmax_turns: 7\n',
    });
    const plan = planComponent(comp, planOptions({}, { cli: { max_turns: 10 } }));
    const a = renderTask(plan, 'a');
    expect(a.params.max_turns).toBe(10);
    expect(a.params.sources.max_turns).toBe('cli');
    const b = renderTask(plan, 'b');
    expect(b.params.max_turns).toBe(10);
    expect(b.params.sources.max_turns).toBe('cli');
    // Without the flag: the task file, then component.yaml, beat the config.
    const plain = planComponent(comp, planOptions({}, { config: { max_turns: 80 } }));
    expect(renderTask(plain, 'a').params.max_turns).toBe(50);
    expect(renderTask(plain, 'b').params).toMatchObject({ max_turns: 7, sources: { max_turns: 'task' } });
  });
});
