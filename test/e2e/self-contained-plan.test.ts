// A plan is self-contained: a run planned by the CLI in one folder runs on a worker whose working
// directory and checkout are elsewhere, even after that folder is gone. Real Temporal dev server,
// real worker, real Docker sandbox, real Claude Code CLI against a scripted model, a bare repo remote.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentWorkflow } from '../../workflows/index.js';
import type { RunStatusView } from '../../core/engine/run-types.js';
import { branchLog, fileOnBranch, makeBareRepo, runInput, startMock, tempDir, type Mock } from '../support/e2e.js';
import { startTestWorker, testClient, type RunningWorker } from '../support/temporal.js';

function write(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
}

describe('self-contained plans (e2e)', () => {
  let worker: RunningWorker;
  let mock: Mock;
  let close: () => Promise<void>;

  beforeAll(async () => {
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await worker?.stop();
    await mock?.close();
    await close?.();
  });

  it('a run planned in one folder completes on a worker elsewhere after that folder is gone', async () => {
    const root = tempDir('self-contained');
    const bare = makeBareRepo(root);
    // The folder the CLI ran in: the project with the component, a file input and --context.
    const cliFolder = path.join(root, 'cli-folder');
    write(cliFolder, {
      'comp/component.yaml': 'agent_md_file: GUIDE.md\ntasks:\n  - file: 01-write.yaml\n  - file: 02-land.yaml\n',
      'comp/GUIDE.md': 'Guide text, verbatim: ${{ not.rendered }}\n',
      'comp/01-write.yaml': [
        'name: write',
        'prompt_file: prompts/write.md',
        'instructions_file: prompts/rules.md',
        'outputs:',
        '  - path: note.json',
        '    required: true',
      ].join('\n'),
      'comp/prompts/write.md': 'BUNDLED-PROMPT for {{ feature_name }}: write .agent/note.json\n',
      'comp/prompts/rules.md': 'BUNDLED-RULES\n',
      'comp/02-land.yaml': [
        'name: land',
        'inputs:',
        '  - { name: spec, type: file, src: docs/spec.md, dest: spec.md }',
        'run: |',
        '  mkdir -p landed',
        '  cp .agent/spec.md landed/spec.md',
        '  cp .agent/context/ctx/notes.md landed/notes.md',
        '  echo "{{ tasks.write.outputs.note.word }}" > landed/word.txt',
      ].join('\n'),
      'docs/spec.md': 'spec-from-the-cli-folder\n',
      'ctx/notes.md': 'context-from-the-cli-folder\n',
    });
    const scriptFile = path.join(root, 'model-script.yaml');
    writeFileSync(
      scriptFile,
      [
        'sessions:',
        '  - match: "BUNDLED-PROMPT for test"',
        '    turns:',
        '      - bash: "ls .agent"',
        '      - write: { path: ".agent/note.json", content: \'{"word": "bundled"}\' }',
        '      - text: "Done."',
      ].join('\n'),
    );
    mock = await startMock(scriptFile, root);
    const input = runInput({
      component: path.join(cliFolder, 'comp'),
      repo: bare,
      branch: 'feature/elsewhere',
      projectRoot: cliFolder,
      modelUrl: mock.url,
      contextPaths: [path.join(cliFolder, 'ctx')],
    });
    input.runDir = path.join(root, 'runs', input.runId);
    // Nothing the worker does may need the CLI's folder: it is gone before the run starts.
    renameSync(cliFolder, `${cliFolder}-gone`);

    const client = await testClient();
    close = client.close;
    const view: RunStatusView = await client.client.workflow.execute(componentWorkflow, {
      workflowId: input.runId,
      taskQueue: worker.target.taskQueue,
      args: [input],
    });
    expect(view.status).toBe('completed');
    expect(view.tasks.map((t) => [t.id, t.status])).toEqual([
      ['write', 'completed'],
      ['land', 'completed'],
    ]);
    expect(fileOnBranch(bare, 'feature/elsewhere', 'landed/spec.md')).toBe('spec-from-the-cli-folder\n');
    expect(fileOnBranch(bare, 'feature/elsewhere', 'landed/notes.md')).toBe('context-from-the-cli-folder\n');
    expect(fileOnBranch(bare, 'feature/elsewhere', 'landed/word.txt')).toBe('bundled\n');
    expect(branchLog(bare, 'feature/elsewhere')[0]).toBe('dkmv: land');
    // Prompt, instructions and the verbatim agent_md_file came from the plan's bundle.
    expect(readFileSync(path.join(input.runDir, 'prompt_write.md'), 'utf8')).toContain('BUNDLED-PROMPT for test');
    const instructions = readFileSync(path.join(input.runDir, 'claude_md_write.md'), 'utf8');
    expect(instructions).toContain('BUNDLED-RULES');
    expect(instructions).toContain('${{ not.rendered }}');
    const requests = mock.requests();
    expect(requests.some((r) => r.served !== 'no_session')).toBe(true);
    expect(requests.every((r) => r.served !== 'no_session')).toBe(true);
  });
});
