// CPU use over a time window, sampled every 250 ms while a harness run goes on (the window, e.g.
// the build phase, is known only afterwards from the history): the machine's busy share (/proc/stat)
// and the CPU seconds of this process (worker, workflows, mock model), of the Temporal dev server
// and of the run's own containers (Claude Code, its tools), so what is left (dockerd, host git,
// other jobs on the machine) can be told apart.
import { readFileSync } from 'node:fs';
import { processCpuSeconds, USER_HZ } from '../lib/proc.js';
import { containerCpu } from './container-cpu.js';

interface Sample {
  /** Epoch seconds. */
  at: number;
  busy: number;
  total: number;
  /** CPU seconds of this process and of the dev server so far. */
  self: number;
  server: number;
  containers: Map<string, number>;
}

function machine(): { busy: number; total: number } {
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (ticks, all cores)
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

export interface CpuWindow {
  /** Busy share of all cores, %. */
  busyPct: number;
  /** CPU seconds used in the window: all, this process, the dev server. */
  totalS: number;
  selfS: number;
  serverS: number;
  /** Inside the given containers (the run's sandboxes). */
  containersS: number;
}

export class CpuSampler {
  private samples: Sample[] = [];
  private timer: NodeJS.Timeout;

  constructor(private readonly serverPid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 250);
  }

  private sample(): void {
    const usage = process.cpuUsage();
    this.samples.push({
      at: Date.now() / 1000,
      ...machine(),
      self: (usage.user + usage.system) / 1e6,
      server: processCpuSeconds(this.serverPid),
      containers: containerCpu(),
    });
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** A container's CPU seconds at `t`: its last reading up to then (0 before it existed). */
  private containerAt(id: string, t: number): number {
    let value = 0;
    for (const s of this.samples) {
      if (s.at > t) break;
      value = s.containers.get(id) ?? value;
    }
    return value;
  }

  /**
   * CPU use between epoch seconds `from` and `to` (measured from the samples just outside the
   * window); `containerIds`: the containers to count as the run's own.
   */
  window(from: number, to: number, containerIds: readonly string[]): CpuWindow {
    const before = [...this.samples].reverse().find((s) => s.at <= from) ?? this.samples[0]!;
    const after = this.samples.find((s) => s.at >= to) ?? this.samples.at(-1)!;
    const ticks = after.total - before.total;
    const busyPct = ticks > 0 ? (100 * (after.busy - before.busy)) / ticks : NaN;
    return {
      busyPct,
      totalS: (after.busy - before.busy) / USER_HZ,
      selfS: after.self - before.self,
      serverS: after.server - before.server,
      containersS: containerIds.reduce(
        (sum, id) => sum + this.containerAt(id, after.at) - this.containerAt(id, before.at),
        0,
      ),
    };
  }
}
