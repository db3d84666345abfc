// Pause answers reach the component as DKMV delivers them: `questions[].user_answer` in the output
// JSON that asked, and `.agent/user_decisions.json`; the run folder's saved copy follows.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverAnswers } from '../../../activities/engine/deliver-answers.js';
import { saveTaskOutput } from '../../../activities/engine/run-folder.js';
import type { DeliverAnswersInput } from '../../../core/engine/activity-types.js';
import { mergeAnswers } from '../../../core/engine/answers.js';

describe('mergeAnswers', () => {
  it('sets user_answer on each answered question, by id or by position for questions without one', () => {
    const data = {
      summary: 'x',
      questions: [
        { id: 'db', question: 'Which database?', options: [{ value: 'pg', label: 'Postgres' }] },
        { question: 'Deploy target?' },
        { id: 'later', question: 'Not answered' },
        'a bare string question',
      ],
    };
    expect(mergeAnswers(data, { db: 'pg', q2: 'fly.io' })).toEqual({
      summary: 'x',
      questions: [
        { id: 'db', question: 'Which database?', options: [{ value: 'pg', label: 'Postgres' }], user_answer: 'pg' },
        { question: 'Deploy target?', user_answer: 'fly.io' },
        { id: 'later', question: 'Not answered' },
        'a bare string question',
      ],
    });
    expect(data.questions[0]).not.toHaveProperty('user_answer'); // the input is not changed
  });

  it('leaves files that did not ask (no questions, or none answered) alone', () => {
    expect(mergeAnswers({ findings: [] }, { db: 'pg' })).toBeUndefined();
    expect(mergeAnswers({ questions: [{ id: 'a', question: '?' }] }, { db: 'pg' })).toBeUndefined();
    expect(mergeAnswers([1, 2], { db: 'pg' })).toBeUndefined();
  });
});

describe('deliverAnswers (activity)', () => {
  let root: string;
  let runDir: string;
  let workspace: string;
  const saved = process.env.DKMV_SANDBOX_DIR;

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-unit-answers-'));
    process.env.DKMV_SANDBOX_DIR = path.join(root, 'sandboxes');
    workspace = path.join(root, 'sandboxes', 'sb1', 'workspace');
    runDir = path.join(root, 'run');
    mkdirSync(path.join(workspace, '.agent'), { recursive: true });
    mkdirSync(runDir);
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.DKMV_SANDBOX_DIR;
    else process.env.DKMV_SANDBOX_DIR = saved;
    rmSync(root, { recursive: true, force: true });
  });

  function input(outputs: string[], answers: Record<string, string>): DeliverAnswersInput {
    return {
      run: { runId: 'r1', runDir, repo: '/r.git', branch: 'b', contextPaths: [] },
      sandbox: {
        sandboxId: 'sb1',
        containerId: 'c',
        containerName: 'n',
        branchCreated: false,
        head: '',
        hostTaskQueue: 'q',
      },
      taskId: 'analyze',
      taskName: 'analyze',
      outputs,
      answers,
      action: 'continue',
    };
  }

  it('merges into the asking output (workspace and saved copy) and writes user_decisions.json', async () => {
    const asking = { questions: [{ id: 'db', question: 'Which database?' }] };
    writeFileSync(path.join(workspace, '.agent/analysis.json'), JSON.stringify(asking));
    writeFileSync(path.join(workspace, '.agent/notes.md'), 'not json');
    saveTaskOutput(runDir, { id: 'analyze', name: 'analyze' }, '.agent/analysis.json', JSON.stringify(asking));

    const out = await deliverAnswers(input(['.agent/analysis.json', '.agent/notes.md'], { db: 'postgres' }));
    expect(out.merged).toEqual(['.agent/analysis.json']);
    const inWorkspace = JSON.parse(readFileSync(path.join(workspace, '.agent/analysis.json'), 'utf8'));
    expect(inWorkspace.questions[0].user_answer).toBe('postgres');
    const savedCopy = JSON.parse(readFileSync(path.join(runDir, 'tasks/analyze/analysis.json'), 'utf8'));
    expect(savedCopy.questions[0].user_answer).toBe('postgres');
    const meta = JSON.parse(readFileSync(path.join(runDir, 'tasks/analyze/analysis.json.meta.json'), 'utf8'));
    expect(meta).toMatchObject({ task_name: 'analyze', path: '.agent/analysis.json' });
    expect(meta.answers_merged_at).toBeTypeOf('string');
    expect(JSON.parse(readFileSync(path.join(workspace, '.agent/user_decisions.json'), 'utf8'))).toEqual({
      db: 'postgres',
    });
  });

  it("with no asking output (DKMV's qa menu) the answers land in user_decisions.json only", async () => {
    writeFileSync(path.join(workspace, '.agent/qa_evaluation.json'), JSON.stringify({ status: 'fail' }));
    const out = await deliverAnswers(input(['.agent/qa_evaluation.json'], { action: 'fix' }));
    expect(out.merged).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(workspace, '.agent/qa_evaluation.json'), 'utf8'))).toEqual({
      status: 'fail',
    });
    expect(JSON.parse(readFileSync(path.join(workspace, '.agent/user_decisions.json'), 'utf8'))).toEqual({
      action: 'fix',
    });
    expect(existsSync(path.join(runDir, 'tasks'))).toBe(false);
  });
});
