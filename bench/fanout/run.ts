// bench:fanout — do N agent runs on one worker really overlap? The harness runs each generator as
// a child componentWorkflow; this bench starts N such runs at once (the `hello` task: container,
// clone, Claude Code against a model script whose every turn answers after 2 s, commit, push) on
// ONE worker and times the wall from the first start to the last end, for N = 1, 2, 4, 8. If
// orchestration serialized anything (worker activity slots, container create, clone, push), N = 8
// would take a multiple of N = 1; the agents only wait on the model, so the goal is ≤ 1.3.
// Landing (the harness's merge of unit branches) is not part of it: it runs after all generators.
//
// Per N it also prints, from the histories, the median and worst queue wait (scheduled → started)
// and the spread of the agents' start times: where serialization would show first.
//
//   npm run bench:fanout [-- --rounds 2] [-- --delay-ms 2000] [-- --quick]
// Last line: fanout: n=1:…s n=2:…s n=4:…s n=8:…s ratio_8_1=…
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { planComponent, type ComponentPlan } from '../../core/component/index.js';
import type { ComponentRunInput, RunStatusView } from '../../core/engine/run-types.js';
import { startMockModel } from '../../core/mock-model/server.js';
import { componentWorkflow } from '../../workflows/index.js';
import {
  arg,
  makeBareRepo,
  median,
  seconds,
  startServer,
  startWorker,
  uptime,
  type BenchServer,
} from '../lib/temporal.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HELLO = path.resolve(HERE, '../../components/examples/hello');
const IMAGE = process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest';
const MODEL = 'claude-sonnet-4-5';

/** The hello script, every turn answered after `delayMs` (a model that thinks). */
function delayedScript(delayMs: number): string {
  return `sessions:
  - match: "greeting.json"
    delay_ms: ${delayMs}
    usage: { input_tokens: 1200, output_tokens: 150 }
    turns:
      - write:
          path: ".agent/greeting.json"
          content: '{"greeting": "Hello, world!", "language": "en"}'
      - text: "Done."
`;
}

interface Wave {
  n: number;
  wallS: number;
  /** Worst and median scheduled → started wait of any activity in the wave. */
  worstQueueS: number;
  medianQueueS: number;
  /** Last agent start − first agent start (0 when all started together). */
  agentStartSpreadS: number;
  /** Longest of the agents' own times (`duration_ms` of Claude's result event). */
  maxAgentS: number;
}

/** Claude's own `duration_ms` in a run folder's stream, in seconds. */
function agentSeconds(runDir: string): number {
  for (const line of readFileSync(path.join(runDir, 'stream.jsonl'), 'utf8').split('\n').reverse()) {
    if (!line.includes('"type":"result"')) continue;
    const event = JSON.parse(line) as { duration_ms?: number };
    if (typeof event.duration_ms === 'number') return event.duration_ms / 1000;
  }
  return 0;
}

async function wave(
  server: BenchServer,
  taskQueue: string,
  base: Omit<ComponentRunInput, 'runId' | 'branch' | 'runDir' | 'plan'> & { plan: ComponentPlan },
  root: string,
  n: number,
  tag: string,
): Promise<Wave> {
  const ids = Array.from({ length: n }, (_, i) => `fanout-${process.pid}-${tag}-${i + 1}`);
  const t0 = performance.now();
  const views = await Promise.all(
    ids.map((runId) => {
      const branch = `bench/${runId}`;
      const input: ComponentRunInput = {
        ...base,
        runId,
        branch,
        runDir: path.join(root, 'runs', runId),
        plan: { ...base.plan, context: { ...base.plan.context, branch, run_id: runId } },
      };
      return server.client.workflow.execute(componentWorkflow, { workflowId: runId, taskQueue, args: [input] });
    }),
  );
  const wallS = (performance.now() - t0) / 1000;
  const bad = views.find((v: RunStatusView) => v.status !== 'completed');
  if (bad) throw new Error(`run ${bad.runId} ended ${bad.status}: ${bad.error ?? ''}`);
  const waits: number[] = [];
  const agentStarts: number[] = [];
  for (const id of ids) {
    const history = await server.client.workflow.getHandle(id).fetchHistory();
    const scheduled = new Map<string, { name: string; at: number }>();
    for (const e of history.events ?? []) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s) scheduled.set(String(e.eventId), { name: s.activityType?.name ?? '?', at: seconds(e.eventTime) });
      const st = e.activityTaskStartedEventAttributes;
      const from = st ? scheduled.get(String(st.scheduledEventId)) : undefined;
      if (from) {
        waits.push(seconds(e.eventTime) - from.at);
        if (from.name === 'runAgentTask') agentStarts.push(seconds(e.eventTime));
      }
    }
  }
  return {
    n,
    wallS,
    worstQueueS: Math.max(...waits),
    medianQueueS: median(waits),
    agentStartSpreadS: agentStarts.length ? Math.max(...agentStarts) - Math.min(...agentStarts) : 0,
    maxAgentS: Math.max(...ids.map((id) => agentSeconds(path.join(root, 'runs', id)))),
  };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rounds = Math.max(1, Number(arg('--rounds') ?? (quick ? 1 : 2)));
  const delayMs = Number(arg('--delay-ms') ?? 2000);
  const sizes = [1, 2, 4, 8];
  const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-bench-fanout-'));
  process.env.DKMV_SANDBOX_DIR = path.join(root, 'sandboxes');
  const stops: (() => Promise<void>)[] = [];
  const walls = new Map<number, number[]>(sizes.map((n) => [n, []]));
  try {
    console.log(`load before: ${uptime()}`);
    const bare = makeBareRepo(root);
    const comp = path.join(root, 'greet');
    mkdirSync(comp, { recursive: true });
    copyFileSync(path.join(HELLO, '01-greet.yaml'), path.join(comp, '01-greet.yaml'));
    const scriptPath = path.join(root, 'model-script.yaml');
    writeFileSync(scriptPath, delayedScript(delayMs));
    const mock = await startMockModel({ scriptPath });
    stops.push(() => mock.close());
    const server = await startServer(root);
    stops.push(() => server.stop());
    const taskQueue = `fanout-${process.pid}`;
    const worker = await startWorker(server.address, taskQueue);
    stops.unshift(() => worker.stop());
    const plan = planComponent(
      { name: 'greet', dir: comp, source: 'path' },
      {
        context: { repo: bare, branch: 'bench/x', feature_name: 'x', run_id: 'bench', vars: {} },
        defaults: { agent: 'claude', model: MODEL, max_turns: 5, timeout_minutes: 10 },
        projectRoot: root,
      },
    );
    const base = {
      plan,
      repo: bare,
      image: IMAGE,
      memory: '2g',
      modelUrl: mock.url,
      contextPaths: [],
      auto: true,
      keepAlive: false,
    };
    console.log(
      `dev server pid ${server.pid} on ${server.address}, one worker on ${taskQueue}, model delay ${delayMs} ms/turn`,
    );
    await wave(server, taskQueue, base, root, 1, 'warm'); // bundle, first container: not counted
    for (let r = 1; r <= rounds; r++) {
      // Alternate the order between rounds so a load change hits the sizes alike.
      for (const n of r % 2 ? sizes : [...sizes].reverse()) {
        const w = await wave(server, taskQueue, base, root, n, `r${r}n${n}`);
        walls.get(n)!.push(w.wallS);
        console.log(
          `round ${r} n=${n}: wall ${w.wallS.toFixed(2)}s  queue wait median ${w.medianQueueS.toFixed(3)}s worst ${w.worstQueueS.toFixed(3)}s  agent start spread ${w.agentStartSpreadS.toFixed(2)}s  slowest agent's own time ${w.maxAgentS.toFixed(2)}s`,
        );
      }
    }
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`load after: ${uptime()}`);
  const m = (n: number) => median(walls.get(n)!);
  console.log(
    `fanout: ${sizes.map((n) => `n=${n}:${m(n).toFixed(2)}s`).join(' ')} ratio_8_1=${(m(8) / m(1)).toFixed(3)}`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
