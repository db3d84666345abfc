// What one harness run of bench:fanout measured, read from Temporal histories (the harness run's and
// its children's) and the children's run folders. The build phase is first generator child started
// → last generator child closed: the only phase whose length should not grow with N.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { childRunId } from '../../core/harness/ids.js';
import { median, seconds } from '../lib/temporal.js';
import type { CpuSampler, CpuWindow } from './cpu.js';

export interface RunFigures {
  n: number;
  /** Harness workflow started → closed. */
  totalS: number;
  /** Planner child started → closed. */
  plannerS: number;
  /** First generator child started → last generator child closed (the ratio's figure). */
  buildS: number;
  /** First landing activity scheduled → last one completed (the units merged one by one). */
  landS: number;
  /** Scheduled → started of every activity in the generator children. */
  medianQueueS: number;
  worstQueueS: number;
  /** Last agent start − first agent start across the generators. */
  agentStartSpreadS: number;
  /** Longest of the generators' own times (`duration_ms` of Claude's result event). */
  maxAgentS: number;
  /** Last generator child start − first (the harness starts them after a branch + plan activity each). */
  childStartSpreadS: number;
  /** Worst, over the generators, of: child start → agent started (sandbox, clone, prepare), the agent
   *  activity itself, and agent completed → child closed (outputs, commit, push, removal). */
  setupS: number;
  agentActS: number;
  finishS: number;
  /** CPU use during the build phase (machine busy %, CPU seconds: all, this process, dev server). */
  buildCpu: CpuWindow;
}

type Event = {
  eventTime?: { seconds?: unknown; nanos?: number | null } | null;
  eventId?: unknown;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
  activityTaskStartedEventAttributes?: { scheduledEventId?: unknown } | null;
  activityTaskCompletedEventAttributes?: {
    scheduledEventId?: unknown;
    result?: { payloads?: { data?: Uint8Array | null }[] | null } | null;
  } | null;
  startChildWorkflowExecutionInitiatedEventAttributes?: { workflowId?: string | null } | null;
};

const AGENT = 'runAgentTask';
const LANDING = new Set(['syncIntegration', 'mergeBranches', 'pushIntegration']);

async function events(client: Client, workflowId: string): Promise<Event[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []) as Event[];
}

/** [first event, last event] times of a workflow: started → closed. */
function span(evs: Event[]): [number, number] {
  return [seconds(evs[0]?.eventTime), seconds(evs.at(-1)?.eventTime)];
}

/** Activities of a history: type, scheduled, started and completed times. */
function activities(evs: Event[]): { name: string; scheduled: number; started?: number; completed?: number }[] {
  const byId = new Map<string, { name: string; scheduled: number; started?: number; completed?: number }>();
  for (const e of evs) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) byId.set(String(e.eventId), { name: s.activityType?.name ?? '?', scheduled: seconds(e.eventTime) });
    const st = e.activityTaskStartedEventAttributes;
    if (st) byId.get(String(st.scheduledEventId))!.started = seconds(e.eventTime);
    const done = e.activityTaskCompletedEventAttributes;
    if (done) byId.get(String(done.scheduledEventId))!.completed = seconds(e.eventTime);
  }
  return [...byId.values()];
}

/** Container ids an activity of the history returned (the sandbox's `containerId`, whatever the activity). */
function containerIds(evs: Event[]): string[] {
  const ids = new Set<string>();
  for (const e of evs) {
    for (const p of e.activityTaskCompletedEventAttributes?.result?.payloads ?? []) {
      const text = p.data ? Buffer.from(p.data).toString('utf8') : '';
      for (const m of text.matchAll(/"containerId":"([0-9a-f]{64})"/g)) ids.add(m[1]!);
    }
  }
  return [...ids];
}

/** Claude's own `duration_ms` in a run folder's stream, in seconds (0 when absent). */
function agentSeconds(runDir: string): number {
  let text = '';
  try {
    text = readFileSync(path.join(runDir, 'stream.jsonl'), 'utf8');
  } catch {
    return 0;
  }
  for (const line of text.split('\n').reverse()) {
    if (!line.includes('"type":"result"')) continue;
    const event = JSON.parse(line) as { duration_ms?: number };
    if (typeof event.duration_ms === 'number') return event.duration_ms / 1000;
  }
  return 0;
}

export async function runFigures(
  client: Client,
  runId: string,
  runDir: string,
  n: number,
  cpu: CpuSampler,
): Promise<RunFigures> {
  const parent = await events(client, runId);
  const childIds = parent.flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
  const genIds = childIds.filter((id) => id.includes('/gen/'));
  const planId = childIds.find((id) => id.includes('/plan/'));
  const gens = await Promise.all(genIds.map((id) => events(client, id)));
  const genSpans = gens.map(span);
  const buildFrom = Math.min(...genSpans.map((s) => s[0]));
  const buildTo = Math.max(...genSpans.map((s) => s[1]));
  const genActs = gens.flatMap(activities);
  const waits = genActs.filter((a) => a.started !== undefined).map((a) => a.started! - a.scheduled);
  const agents = gens.map((evs) => activities(evs).find((a) => a.name === AGENT));
  const agentStarts = agents.flatMap((a) => a?.started ?? []);
  /** The largest of `f` over the generators (NaN ones, e.g. an agent that never started, left out). */
  const worst = (f: (i: number) => number) => Math.max(...genSpans.map((_, i) => f(i)).filter((x) => !Number.isNaN(x)));
  const landActs = activities(parent).filter((a) => LANDING.has(a.name));
  const [planFrom, planTo] = planId ? span(await events(client, planId)) : [NaN, NaN];
  const [from, to] = span(parent);
  return {
    n,
    totalS: to - from,
    plannerS: planTo - planFrom,
    buildS: buildTo - buildFrom,
    landS: landActs.length
      ? Math.max(...landActs.map((a) => a.completed ?? a.scheduled)) - Math.min(...landActs.map((a) => a.scheduled))
      : 0,
    medianQueueS: median(waits),
    worstQueueS: Math.max(...waits),
    agentStartSpreadS: agentStarts.length ? Math.max(...agentStarts) - Math.min(...agentStarts) : NaN,
    maxAgentS: Math.max(...genIds.map((id) => agentSeconds(path.join(runDir, 'children', childRunId(id))))),
    childStartSpreadS: Math.max(...genSpans.map((s) => s[0])) - buildFrom,
    setupS: worst((i) => (agents[i]?.started ?? NaN) - genSpans[i]![0]),
    agentActS: worst((i) => (agents[i]?.completed ?? NaN) - (agents[i]?.started ?? NaN)),
    finishS: worst((i) => genSpans[i]![1] - (agents[i]?.completed ?? NaN)),
    buildCpu: cpu.window(buildFrom, buildTo, gens.flatMap(containerIds)),
  };
}

export function describe(r: RunFigures): string {
  const s = (x: number) => `${x.toFixed(2)}s`;
  return (
    `build ${s(r.buildS)}  total ${s(r.totalS)} (planner ${s(r.plannerS)}, landing ${s(r.landS)})  ` +
    `queue wait median ${r.medianQueueS.toFixed(3)}s worst ${r.worstQueueS.toFixed(3)}s  ` +
    `child start spread ${s(r.childStartSpreadS)}, agent start spread ${s(r.agentStartSpreadS)}  ` +
    `worst generator: setup ${s(r.setupS)} agent activity ${s(r.agentActS)} finish ${s(r.finishS)}  ` +
    `slowest agent's own time ${s(r.maxAgentS)}  ` +
    `build CPU: ${cpuText(r.buildCpu)}`
  );
}

/** "89% busy, 46.1 CPU-s (generator containers 30.2, worker+mock 6.2, Temporal 1.1, rest 8.6)". */
export function cpuText(c: CpuWindow): string {
  const rest = c.totalS - c.containersS - c.selfS - c.serverS;
  const f = (x: number) => x.toFixed(1);
  return (
    `${c.busyPct.toFixed(0)}% busy, ${f(c.totalS)} CPU-s (generator containers ${f(c.containersS)}, ` +
    `worker+mock ${f(c.selfS)}, Temporal ${f(c.serverS)}, rest ${f(rest)})`
  );
}
