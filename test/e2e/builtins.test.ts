// `dkmv test` on every built-in component and example, as a user runs it: a child process
// `node bin/dkmv.js test ...` against the real Temporal dev server, a real worker, the real agent CLI
// in the sandbox container and a mock model serving the component's own model script.
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeThrowawayRepo } from '../../cli/test-run/repo.js';
import { planComponent, renderTask, resolveComponent } from '../../core/component/index.js';
import { DKMV_HOME } from '../../core/project.js';
import { branchLog, fileOnBranch, tempDir } from '../support/e2e.js';
import { startTestWorker, type RunningWorker } from '../support/temporal.js';

interface Result {
  code: number;
  out: string;
}

let worker: RunningWorker;
let outputDir: string;

beforeAll(async () => {
  worker = await startTestWorker();
  outputDir = tempDir('builtins-runs');
});
afterAll(async () => {
  await worker?.stop();
});

/** Runs `dkmv test <args>` from the dkmv source tree; run folders go to `outputDir/runs`. */
function dkmvTest(args: string[], cwd: string = DKMV_HOME): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(DKMV_HOME, 'bin', 'dkmv.js'), 'test', ...args],
      {
        cwd,
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          DKMV_TASK_QUEUE: worker.target.taskQueue,
          DKMV_OUTPUT_DIR: outputDir,
          NO_COLOR: '1',
        },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 300_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        // A failing `dkmv test` keeps its temp folder for inspection; these failures are expected.
        const kept = /kept {4}(\S+)/.exec(stdout)?.[1];
        if (kept?.includes('dkmv-test-')) rmSync(kept, { recursive: true, force: true });
        resolve({ code, out: `${stdout}\n${stderr}` });
      },
    );
  });
}

function expectPassed(r: Result, tasks: string[]): void {
  if (r.code !== 0) console.error(r.out);
  expect(r.code).toBe(0);
  for (const t of tasks) expect(r.out).toMatch(new RegExp(`✓ ${t}\\s+completed`));
  expect(r.out).not.toMatch(/matched no session/);
}

/** The prompt a task of a finished run was given (from its run folder). */
function promptOf(out: string, task: string): string {
  const runId = /run {5}(\S+)/.exec(out)?.[1];
  expect(runId).toBeDefined();
  return readFileSync(path.join(outputDir, 'runs', runId!, `prompt_${task}.md`), 'utf8');
}

const fixture = (...p: string[]): string => path.join('components', ...p);

describe('dkmv test: built-in components and examples', () => {
  it('hello (claude)', async () => {
    expectPassed(await dkmvTest(['hello']), ['greet', 'check']);
  });

  it('plan: pause answered from --answer, answers reach the next prompt, docs land on the branch', async () => {
    const root = tempDir('plan');
    const repo = makeThrowawayRepo(root);
    // The PRD and the feature name come from the model script's test setup.
    const r = await dkmvTest(['plan', '--repo', repo, '--answer', 'hash_algorithm=argon2id'], tempDir('outside-plan'));
    expectPassed(r, ['analyze', 'features', 'phases', 'assemble', 'evaluate', 'check']);
    expect(r.out).toContain('paused after analyze: 3 question(s)');
    expect(r.out).toContain('"argon2id" (--answer)');
    expect(promptOf(r.out, 'features')).toContain('`hash_algorithm`: **argon2id**');
    for (const f of ['GUIDE.md', 'README.md', 'tasks.md', 'progress.md', 'phase1_accounts.md', 'phase2_ownership.md']) {
      expect(fileOnBranch(repo, 'dkmv-test/plan', `docs/implementation/auth/${f}`).length).toBeGreaterThan(0);
    }
    expect(JSON.parse(fileOnBranch(repo, 'dkmv-test/plan', '.agent/analysis.json')).questions).toHaveLength(3);
  });

  it('dev: one committed and pushed task per phase file', async () => {
    const root = tempDir('dev');
    const repo = makeThrowawayRepo(root, path.join(DKMV_HOME, fixture('dev', 'fixtures', 'repo')));
    // impl_docs_path and phases come from the model script's test setup.
    const r = await dkmvTest(['dev', '--repo', repo], tempDir('outside-dev'));
    expectPassed(r, ['prepare', 'implement-phase1_accounts', 'implement-phase2_ownership']);
    expect(branchLog(repo, 'dkmv-test/dev').slice(0, 2)).toEqual([
      'dkmv: implement-phase2_ownership',
      'dkmv: implement-phase1_accounts',
    ]);
    expect(fileOnBranch(repo, 'dkmv-test/dev', 'src/users.js')).toContain('scryptSync');
    expect(fileOnBranch(repo, 'dkmv-test/dev', 'docs/implementation/auth/progress.md')).toMatch(
      /phase2_ownership.md \| done/,
    );
  });

  it('qa: evaluate → pause (default: fix) → fix → fresh re-evaluation', async () => {
    const root = tempDir('qa');
    const repo = makeThrowawayRepo(root, path.join(DKMV_HOME, fixture('qa', 'fixtures', 'repo')));
    const r = await dkmvTest(['qa', '--repo', repo], tempDir('outside-qa'));
    expectPassed(r, ['evaluate', 'decide', 'fix', 're-evaluate']);
    expect(r.out).toMatch(/QA evaluation: FAIL\. Tests: 2 total, 1 passed, 1 failed\. Issues: 1 critical/);
    expect(r.out).toContain('"fix" (default)');
    expect(JSON.parse(fileOnBranch(repo, 'dkmv-test/qa', '.agent/qa_report.json')).status).toBe('PASS');
    expect(fileOnBranch(repo, 'dkmv-test/qa', 'src/notes.js')).toContain('note.owner === user');
  });

  it('qa: "ship" runs no agent after the pause; "abort" fails the run', async () => {
    const ship = await dkmvTest(['qa', '--answer', 'next_step=ship']); // seeded by the script's test setup
    expectPassed(ship, ['evaluate', 'decide', 'fix', 're-evaluate']);
    expect(ship.out).toMatch(/✓ fix\s+completed\s+turns\s+0/);
    expect(ship.out).toMatch(/✓ re-evaluate\s+completed\s+turns\s+0\s+outputs ok: qa_report.json/);

    const abort = await dkmvTest(['qa', '--answer', 'next_step=abort']);
    expect(abort.code).toBe(1);
    expect(abort.out).toMatch(/✗ fix\s+failed/);
    expect(abort.out).toContain('decision: abort');
  });

  it('docs: updates the README; create_pr on a non-GitHub remote is a clear failure', async () => {
    expectPassed(await dkmvTest(['docs']), ['update-docs', 'pull-request']);
    const pr = await dkmvTest(['docs', '--var', 'create_pr=true']);
    expect(pr.code).toBe(1);
    expect(pr.out).toContain('cannot open a pull request: the remote is not on GitHub');
  });

  it('security-audit (codex): scan → fix → verify → gate', async () => {
    const r = await dkmvTest(['security-audit', '--agent', 'codex']);
    expectPassed(r, ['scan', 'fix', 'verify', 'gate']);
    expect(r.out).toContain('agent   codex');
  });

  // plan, dev and qa run above from a folder outside the dkmv tree (with --repo, to read their branch);
  // that each plans from any folder with no flags at all is test/unit/builtins/builtins.test.ts's.
  // Until 2026-12-08 each also ran here a second time with no arguments: three agent runs fewer.
  it('dkmv test ship: no other arguments, from a folder outside the dkmv tree', async () => {
    expectPassed(await dkmvTest(['ship'], tempDir('bare-ship')), [
      'analyze',
      'plan',
      'check-plan',
      'implement',
      'verify',
      'evaluate-fix',
      'finalize',
    ]);
  });

  it('a model script that leaves a required output missing fails the test, naming the output', async () => {
    const dir = tempDir('bad-script');
    const script = path.join(dir, 'lazy.yaml');
    writeFileSync(script, 'sessions:\n  - turns:\n      - text: "I did nothing."\n');
    const r = await dkmvTest(['hello', '--script', script]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✗ greet\s+failed/);
    expect(r.out).toContain('.agent/greeting.json is missing');
    expect(r.out).toMatch(/kept {4}\S+/);
  });
});

describe('docs component: the pull-request script in the sandbox image (fake curl, no network)', () => {
  const image = process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest';

  function prScript(): string {
    const component = resolveComponent('docs', { projectRoot: DKMV_HOME });
    const plan = planComponent(component, {
      context: {
        repo: 'https://github.com/acme/notes.git',
        branch: 'feature/auth',
        feature_name: 'auth',
        run_id: 'run-1',
        vars: { create_pr: 'true' },
      },
      defaults: { agent: 'claude', model: 'claude-sonnet-4-6' },
      projectRoot: DKMV_HOME,
    });
    return renderTask(plan, 'pull-request').run!;
  }

  function workspace(): string {
    const dir = tempDir('pr');
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, '.agent'), { recursive: true });
    spawnSync('git', ['init', '-q', repo]);
    spawnSync('git', ['-C', repo, 'remote', 'add', 'origin', 'https://github.com/acme/notes.git']);
    writeFileSync(
      path.join(repo, '.agent', 'docs_report.json'),
      JSON.stringify({ pull_request: { title: 'docs: usage', body: '- README.md' } }),
    );
    mkdirSync(path.join(dir, 'bin'));
    // Records its arguments and stdin (where the token header must arrive), answers like GitHub.
    writeFileSync(
      path.join(dir, 'bin', 'curl'),
      [
        '#!/bin/bash',
        'stdin=$(cat)',
        'printf "ARGS %s\\n" "$*" >> /w/curl.log',
        'printf "STDIN %s\\n" "$stdin" >> /w/curl.log',
        'printf \'{"number":7,"html_url":"https://github.com/acme/notes/pull/7","head":{"ref":"feature/auth"},"base":{"ref":"main"}}\\n201\'',
        '',
      ].join('\n'),
    );
    chmodSync(path.join(dir, 'bin', 'curl'), 0o755);
    writeFileSync(path.join(dir, 'script.sh'), prScript());
    return dir;
  }

  function run(dir: string, env: string[]): { code: number; out: string } {
    const res = spawnSync(
      'docker',
      [
        'run',
        '--rm',
        '--network',
        'none',
        '-u',
        '0',
        '-v',
        `${dir}:/w`,
        '-w',
        '/w/repo',
        '-e',
        'PATH=/w/bin:/usr/local/bin:/usr/bin:/bin',
        ...env.flatMap((e) => ['-e', e]),
        image,
        'bash',
        '/w/script.sh',
      ],
      { encoding: 'utf8' },
    );
    return { code: res.status ?? 1, out: `${res.stdout}${res.stderr}` };
  }

  it('opens the PR with the token on stdin only, and never prints it', () => {
    const dir = workspace();
    const token = 'ghp_unit_test_secret_123';
    const r = run(dir, [`GITHUB_TOKEN=${token}`]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('https://github.com/acme/notes/pull/7');
    expect(r.out).not.toContain(token);
    const log = readFileSync(path.join(dir, 'curl.log'), 'utf8');
    expect(log).toContain(`STDIN Authorization: Bearer ${token}`);
    const args = log.split('\n').filter((l) => l.startsWith('ARGS'));
    expect(args.join('\n')).not.toContain(token);
    // No pr_base: the repository's default branch is asked for first, then the PR is opened on it.
    expect(args[0]).toContain('-X GET https://api.github.com/repos/acme/notes ');
    const post = args.find((a) => a.includes('-X POST'))!;
    expect(post).toContain('https://api.github.com/repos/acme/notes/pulls');
    expect(post).toContain('"head":"feature/auth","base":"main"');
    expect(readdirSync(path.join(dir, 'repo', '.agent'))).toContain('pull_request.json');
  });

  it('without a token: a clear error and the compare URL to open it by hand', () => {
    const r = run(workspace(), []);
    expect(r.code).toBe(1);
    expect(r.out).toContain('no GitHub token in the sandbox');
    expect(r.out).toContain('https://github.com/acme/notes/compare/feature/auth');
  });
});
