// The progress line and `--json` progress events: the running task's turns and cost come live
// from its activity's heartbeat, on top of what finished tasks cost.
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { RunStatusView } from '../../../core/engine/run-types.js';
import type { RunObservation } from '../../../cli/run/observe.js';
import { JsonRenderer, progressOf, summarize } from '../../../cli/run/progress.js';

const started = '2026-12-01T10:00:00.000Z';
const now = Date.parse(started) + 75_000;

function view(): RunStatusView {
  return {
    runId: 'r1',
    component: 'c',
    repo: 'x',
    branch: 'b',
    status: 'running',
    costUsd: 0.5,
    startedAt: started,
    tasks: [
      { id: 't1', name: 'scan', status: 'completed', turns: 4, costUsd: 0.5 },
      { id: 't2', name: 'fix', status: 'running', turns: 0, costUsd: 0 },
    ] as RunStatusView['tasks'],
    current: { taskId: 't2', phase: 'agent' },
  };
}

function obs(live?: RunObservation['live']): RunObservation {
  return {
    temporalStatus: 'RUNNING',
    view: view(),
    ...(live ? { live } : {}),
    description: {} as RunObservation['description'],
  };
}

describe('live progress', () => {
  it('takes the running task’s turns and cost from its heartbeat, added to the finished tasks’ cost', () => {
    const live = { turns: 3, costUsd: 0.25, attempt: 1, activityType: 'runAgentTask', last: 'Bash: ls' };
    const p = progressOf(obs(live), now);
    expect(p).toMatchObject({ task: 'fix', taskIndex: 2, taskCount: 2, phase: 'agent', turns: 3, elapsedS: 75 });
    expect(p?.costUsd).toBeCloseTo(0.75);
    const line = stripVTControlCharacters(summarize(obs(live), now));
    expect(line).toBe('task 2/2 fix · agent · turn 3 · $0.7500 · 1m15s · Bash: ls');
  });

  it('before the first heartbeat, shows the task’s recorded turns and no live cost', () => {
    const p = progressOf(obs(), now);
    expect(p).toMatchObject({ turns: 0, costUsd: 0.5 });
  });

  it('--json: one progress event per change (not per clock tick), with live turns and cost', () => {
    const lines: string[] = [];
    const r = new JsonRenderer('r1', (l) => lines.push(l));
    const beat = (turns: number, costUsd: number) => obs({ turns, costUsd, attempt: 1, activityType: 'runAgentTask' });
    r.update(beat(1, 0.1));
    r.update(beat(1, 0.1));
    r.update(beat(2, 0.2));
    r.line('\x1b[2mtool: Bash\x1b[22m');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.event)).toEqual(['progress', 'progress', 'log']);
    expect(events[0]).toMatchObject({ run_id: 'r1', status: 'running', task: 'fix', task_index: 2, turns: 1 });
    expect(events[1]).toMatchObject({ turns: 2, cost_usd: 0.7 });
    expect(events[2]).toEqual({ event: 'log', run_id: 'r1', line: 'tool: Bash' });
  });
});
