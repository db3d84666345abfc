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

  it('task > component task entry > cli > component > config > default', () => {
    const levels = {
      task: { max_turns: 1 },
      'component-task': { max_turns: 2, timeout_minutes: 2 },
      cli: { max_turns: 3, timeout_minutes: 3, max_budget_usd: 3 },
      component: { max_turns: 4, timeout_minutes: 4, max_budget_usd: 4, model: 'claude-opus-4-1' },
      config: { max_turns: 5, model: 'claude-haiku-4-5' },
      default: defaults,
    };
    const r = resolveExecutionParams(levels);
    expect(r).toMatchObject({
      max_turns: 1,
      timeout_minutes: 2,
      max_budget_usd: 3,
      model: 'claude-opus-4-1',
      agent: 'claude',
    });
    expect(r.sources).toMatchObject({
      max_turns: 'task',
      timeout_minutes: 'component-task',
      max_budget_usd: 'cli',
      model: 'component',
    });
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
    const err = userError(() =>
      resolveExecutionParams(
        { task: { agent: 'codex' }, cli: { model: 'claude-opus-4-1' }, default: defaults },
        { file: 't.yaml', line: 3 },
      ),
    );
    expect(err.message).toMatch(/claude-opus-4-1.*command-line flag.*codex.*task file/);
    expect(err.location).toMatchObject({ file: 't.yaml', line: 3 });
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
      max_turns: 20,
      timeout_minutes: 1,
      max_budget_usd: 2,
      model: 'claude-opus-4-1',
      agent: 'claude',
    });
    const b = renderTask(plan, 'b');
    expect(b.params).toMatchObject({ max_turns: 5, timeout_minutes: 1, model: 'gpt-5.5', agent: 'codex' });
    expect(plan.params).toMatchObject({
      max_turns: 99,
      timeout_minutes: 1,
      max_budget_usd: 2,
      model: 'claude-opus-4-1',
    });
  });

  it('a CLI flag beats component.yaml top level but loses to the task file', () => {
    // `dkmv dev --max-turns 10` with a component.yaml that sets max_turns at the top level.
    const comp = makeComponent({
      'component.yaml': 'max_turns: 50\ntasks:\n  - file: 01-a.yaml\n  - file: 02-b.yaml\n',
      '01-a.yaml': 'name: a\nprompt: p\n',
      '02-b.yaml': 'name: b\nprompt: p\nmax_turns: 7\n',
    });
    const plan = planComponent(comp, planOptions({}, { cli: { max_turns: 10 } }));
    const a = renderTask(plan, 'a');
    expect(a.params.max_turns).toBe(10);
    expect(a.params.sources.max_turns).toBe('cli');
    const b = renderTask(plan, 'b');
    expect(b.params.max_turns).toBe(7);
    expect(b.params.sources.max_turns).toBe('task');
    // Without the flag, component.yaml's top level still beats the config.
    const plain = planComponent(comp, planOptions({}, { config: { max_turns: 80 } }));
    expect(renderTask(plain, 'a').params.max_turns).toBe(50);
  });
});
