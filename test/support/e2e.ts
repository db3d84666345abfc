// Building blocks for end-to-end tests: a local bare repo as the remote, a mock model serving a
// model script, and a ComponentRunInput planned from a component folder.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleContext, planComponent, resolveComponent } from '../../core/component/index.js';
import type { ComponentRunInput } from '../../core/engine/run-types.js';
import { makeRunId, random4hex } from '../../core/runs/run-id.js';
import {
  startMockModel,
  type MockModel,
  type MockModelOptions,
  type MockRequestLog,
} from '../../core/mock-model/server.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `dkmv-${prefix}-`));
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@localhost', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

/** A bare repository with one commit on `main`, standing in for a remote. */
export function makeBareRepo(root: string, files: Record<string, string> = { 'README.md': '# demo\n' }): string {
  const bare = path.join(root, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const seed = path.join(root, 'seed');
  execFileSync('git', ['clone', '-q', bare, seed], { stdio: 'ignore' });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(seed, name)), { recursive: true });
    writeFileSync(path.join(seed, name), content);
  }
  git(seed, 'add', '.');
  git(seed, 'commit', '-qm', 'initial');
  git(seed, 'push', '-q', 'origin', 'HEAD:main');
  return bare;
}

/** Files and commit subjects on a branch of the bare repo. */
export function branchLog(bare: string, branch: string): string[] {
  return git(bare, 'log', '--format=%s', branch).trim().split('\n');
}

export function fileOnBranch(bare: string, branch: string, file: string): string {
  return git(bare, 'show', `${branch}:${file}`);
}

export interface Mock extends MockModel {
  logFile: string;
  requests(): MockRequestLog[];
}

export async function startMock(
  scriptPath: string,
  dir: string,
  beforeTurn?: MockModelOptions['beforeTurn'],
): Promise<Mock> {
  const logFile = path.join(dir, 'mock-requests.jsonl');
  const mock = await startMockModel({ scriptPath, logFile, ...(beforeTurn ? { beforeTurn } : {}) });
  return {
    ...mock,
    logFile,
    requests: () => {
      try {
        return readFileSync(logFile, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as MockRequestLog);
      } catch {
        return [];
      }
    },
  };
}

export interface RunInputOptions {
  component: string;
  repo: string;
  branch: string;
  projectRoot: string;
  modelUrl: string;
  vars?: Record<string, string>;
  contextPaths?: string[];
  auto?: boolean;
  maxBudgetUsd?: number;
  heartbeatTimeoutSeconds?: number;
  startTask?: string;
}

export function runInput(options: RunInputOptions): ComponentRunInput {
  const component = resolveComponent(options.component, { projectRoot: options.projectRoot });
  const runId = makeRunId(component.name, options.branch.split('/').pop() ?? 'test', new Date(), random4hex);
  const plan = planComponent(component, {
    context: {
      repo: options.repo,
      branch: options.branch,
      feature_name: 'test',
      run_id: runId,
      vars: options.vars ?? {},
    },
    defaults: { agent: 'claude', model: 'claude-sonnet-4-6', max_turns: 10, timeout_minutes: 10 },
    projectRoot: options.projectRoot,
  });
  // As the CLI does: --context files travel with the plan.
  if (plan.bundle) bundleContext(plan.bundle, options.contextPaths ?? [], '.agent/context');
  return {
    runId,
    plan,
    repo: options.repo,
    branch: options.branch,
    image: process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest',
    memory: '2g',
    modelUrl: options.modelUrl,
    runDir: path.join(options.projectRoot, '.dkmv', 'runs', runId),
    contextPaths: options.contextPaths ?? [],
    auto: options.auto ?? false,
    keepAlive: false,
    ...(options.maxBudgetUsd !== undefined ? { maxBudgetUsd: options.maxBudgetUsd } : {}),
    ...(options.heartbeatTimeoutSeconds !== undefined
      ? { heartbeatTimeoutSeconds: options.heartbeatTimeoutSeconds }
      : {}),
    ...(options.startTask ? { startTask: options.startTask } : {}),
  };
}
