// The shipped example component plans and renders as documented.
import { describe, it, expect } from 'vitest';
import { planComponent, renderTask, resolveComponent, listComponents } from '../../../core/component/index.js';
import { planOptions, tempDir } from './helpers.js';

describe('components/examples/hello', () => {
  const opts = { projectRoot: tempDir(), cwd: tempDir() };

  it('resolves by name and is listed', () => {
    expect(resolveComponent('hello', opts).source).toBe('example');
    expect(listComponents(opts).find((c) => c.name === 'hello')?.description).toMatch(/greeting/);
  });

  it('plans two tasks: an agent task and a run gate', () => {
    const plan = planComponent(resolveComponent('hello', opts), planOptions({ who: 'Ada' }));
    expect(plan.tasks.map((t) => [t.id, t.kind, t.deferred])).toEqual([
      ['greet', 'agent', false],
      ['check', 'run', true],
    ]);
    const greet = renderTask(plan, 'greet');
    expect(greet.prompt).toContain('a one-line greeting for Ada (branch feature/x)');
    expect(greet.outputs).toEqual([
      {
        path: 'greeting.json',
        required: true,
        save: true,
        required_fields: ['greeting', 'language'],
        workspace_path: '.agent/greeting.json',
        stem: 'greeting',
      },
    ]);
    expect(greet.params).toMatchObject({ max_turns: 5, max_budget_usd: 0.5, agent: 'claude' });
    const check = renderTask(plan, 'check', {
      greet: { status: 'completed', cost: 0.01, turns: 2, outputs: { greeting: { greeting: 'Hi', language: 'en' } } },
    });
    expect(check.run).toContain('greet: completed after 2 turns');
    expect(check.run).toContain('jq -e');
    expect(check).toMatchObject({ commit: false, push: false });
  });

  it('works without --var (who defaults to world)', () => {
    const plan = planComponent(resolveComponent('hello', opts), planOptions());
    expect(renderTask(plan, 1).prompt).toContain('for world');
  });
});
