// checkOutputs at its own level: required outputs, JSON validity and required fields, questions
// for pause points, saved copies in the run folder, and values passed on to later tasks.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { checkOutputs } from '../../../activities/engine/outputs.js';
import type { ResolvedOutput } from '../../../core/component/plan-types.js';
import type { OutputCheck } from '../../../core/engine/run-types.js';
import { agentInput, preparedTask, scene, type Scene } from './activity-helpers.js';

function output(rel: string, extra: Partial<ResolvedOutput> = {}): ResolvedOutput {
  return {
    path: rel,
    required: true,
    save: true,
    workspace_path: `.agent/${rel}`,
    stem: path.basename(rel).replace(/\.[^.]+$/, ''),
    ...extra,
  } as ResolvedOutput;
}

function put(s: Scene, rel: string, content: string): void {
  const file = path.join(s.layout.workspace, '.agent', rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

async function check(s: Scene, outputs: ResolvedOutput[], save = true): Promise<OutputCheck> {
  const input = { ...agentInput(s, preparedTask({ outputs })), save };
  return new MockActivityEnvironment().run(checkOutputs, input);
}

describe('checkOutputs', () => {
  it('passes present, valid outputs on, saves them and collects their questions', async () => {
    const s = scene();
    put(
      s,
      'plan.json',
      JSON.stringify({
        summary: { ok: true },
        questions: ['Ship it?', { id: 'c', question: 'Colour?', options: ['red', 'blue'] }],
      }),
    );
    put(s, 'notes.md', '# notes\n');
    const result = await check(s, [output('plan.json', { required_fields: ['summary.ok'] }), output('notes.md')]);
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.outputs.notes).toBe('# notes\n');
    expect((result.outputs.plan as { summary: unknown }).summary).toEqual({ ok: true });
    expect(result.questions).toEqual([
      { id: 'q1', question: 'Ship it?' },
      { id: 'c', question: 'Colour?', options: ['red', 'blue'] },
    ]);
    expect(result.saved).toEqual(['.agent/plan.json', '.agent/notes.md']);
    expect(JSON.parse(readFileSync(path.join(s.runDir, 'plan.json'), 'utf8')).summary).toEqual({ ok: true });
  });

  it('reports a missing required output, invalid JSON and missing required fields', async () => {
    const s = scene();
    put(s, 'bad.json', '{ not json');
    put(s, 'thin.json', '{"a": {}}');
    const result = await check(s, [
      output('absent.json'),
      output('optional.json', { required: false }),
      output('bad.json'),
      output('thin.json', { required_fields: ['a.b', 'c'] }),
    ]);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      '.agent/absent.json is missing (a required output)',
      expect.stringMatching(/^\.agent\/bad\.json is not valid JSON/),
      '.agent/thin.json lacks required field(s): a.b, c',
    ]);
  });

  it('does not save when asked not to (outputs of pre-existing tasks)', async () => {
    const s = scene();
    put(s, 'plan.json', '{"x": 1}');
    const result = await check(s, [output('plan.json')], false);
    expect(result.ok).toBe(true);
    expect(result.saved).toEqual([]);
    expect(result.outputs.plan).toEqual({ x: 1 });
  });

  it('never reads an output through a link the agent planted', async () => {
    const s = scene();
    writeFileSync(path.join(s.root, 'host-secret.json'), '{"secret": "host"}');
    mkdirSync(path.join(s.layout.workspace, '.agent'), { recursive: true });
    symlinkSync(path.join(s.root, 'host-secret.json'), path.join(s.layout.workspace, '.agent', 'plan.json'));
    const result = await check(s, [output('plan.json')]);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result.outputs)).not.toContain('host');
  });
});
