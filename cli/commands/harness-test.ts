// `dkmv test harness`: a whole harness build offline — real Temporal, real sandboxes and agent CLIs,
// real git and structural merge — against a model script served by the mock model, on a throwaway
// repository. With no arguments it builds the shipped tiny-app fixture with its shipped script;
// `--fixture tiny-cli` builds the command-line fixture (cli/commands/harness-fixtures.ts).
// It prints the run id, the throwaway repository and branch and the run folder, and keeps them.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pc from 'picocolors';
import { startMockModel, type MockRequestLog } from '../../core/mock-model/server.js';
import { loadModelScript } from '../../core/model-script/parse.js';
import { DKMV_HOME } from '../../core/project.js';
import { clientForRuns } from '../temporal-client.js';
import { cancelOnSignals } from '../test-run/cancel-on-signal.js';
import { runUrl } from '../stack/local-stack.js';
import { commitsOn, makeThrowawayRepo } from '../test-run/repo.js';
import { harnessFixture } from './harness-fixtures.js';
import { followHarness } from './harness-follow.js';
import { prepareHarness, startHarness, type HarnessFlags } from './harness-start.js';

export const FIXTURE_PROMPT =
  'Build a tiny web app with a click counter and a todo list, served by a zero-dependency Node server.';
export const FIXTURE_SCRIPT = path.join(DKMV_HOME, 'components', 'harness', 'model-scripts', 'tiny-app.yaml');
export const FIXTURE_SEED = path.join(DKMV_HOME, 'components', 'harness', 'fixtures', 'tiny-app');

export interface TestHarnessFlags extends Partial<HarnessFlags> {
  prompt?: string;
  script?: string;
  seed?: string;
  /** A shipped fixture (tiny-app, tiny-cli): its seed, script and prompt; the flags above override. */
  fixture?: string;
}

function requests(file: string): MockRequestLog[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as MockRequestLog);
  } catch {
    return [];
  }
}

export async function testHarness(flags: TestHarnessFlags): Promise<number> {
  const fixture = harnessFixture(flags.fixture);
  const scriptPath = path.resolve(flags.script ?? fixture.script);
  const script = await loadModelScript(scriptPath); // a bad script is reported before anything starts
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dkmv-test-harness-'));
  const repo = flags.repo ?? makeThrowawayRepo(tmp, path.resolve(flags.seed ?? fixture.seed));
  const branch = flags.branch ?? 'dkmv-test/harness';
  const mockLog = path.join(tmp, 'mock-requests.jsonl');
  const mock = await startMockModel({ script, logFile: mockLog });
  if (process.env.DKMV_OUTPUT_DIR === undefined) {
    mkdirSync(path.join(tmp, 'runs')); // run folders go there
    process.env.DKMV_OUTPUT_DIR = tmp;
  }
  try {
    const input = await prepareHarness(flags.prompt ?? fixture.prompt, {
      role: flags.role ?? [],
      wait: true,
      ...flags,
      repo,
      branch,
      modelUrl: mock.url,
    });
    console.log(pc.bold('dkmv test harness'));
    console.log(`  script  ${scriptPath}  (${script.sessions.length} session(s), mock model ${mock.url})`);
    console.log(`  repo    ${repo}  branch ${branch}`);
    const cli = await clientForRuns();
    try {
      const started = Date.now();
      await startHarness(cli.client, input, cli.target.taskQueue);
      console.log(`  run     ${input.runId}  (Web UI: ${runUrl(cli.webUiUrl, cli.target.namespace, input.runId)})`);
      // Ctrl-C or SIGTERM cancels the test's run (and its children with it).
      const release = cancelOnSignals(cli.client, input.runId, (line) => console.error(line));
      let code: number;
      try {
        code = (await followHarness(cli.client, input.runId, { json: Boolean(flags.json) })).code;
      } finally {
        release();
      }
      const log = requests(mockLog);
      const unmatched = log.filter((r) => r.served === 'no_session').length;
      console.log(`model requests: ${log.length}${unmatched ? pc.yellow(`, ${unmatched} matched no session`) : ''}`);
      const commits = commitsOn(repo, branch);
      console.log(`commits on ${branch}: ${commits.length} (latest: ${commits[0] ?? '-'})`);
      console.log(`wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      console.log(`run folder: ${input.runDir}`);
      console.log(`kept: ${tmp} (throwaway repo ${repo}, branch ${branch}, mock-requests.jsonl)`);
      return code;
    } finally {
      await cli.close();
    }
  } finally {
    await mock.close();
  }
}
