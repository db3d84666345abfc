// The machine's CPU busy share over a time window, from /proc/stat sampled every 250 ms while a
// harness run goes on (the window, e.g. the build phase, is known only afterwards from the history).
import { readFileSync } from 'node:fs';

interface Sample {
  /** Epoch seconds. */
  at: number;
  busy: number;
  total: number;
}

function read(): Sample {
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (clock ticks, all cores)
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3]! + fields[4]!;
  return { at: Date.now() / 1000, busy: total - idle, total };
}

export class CpuSampler {
  private samples: Sample[] = [read()];
  private timer = setInterval(() => this.samples.push(read()), 250);

  stop(): void {
    clearInterval(this.timer);
    this.samples.push(read());
  }

  /** Busy % of all cores between epoch seconds `from` and `to` (the samples just outside the window). */
  busyPercent(from: number, to: number): number {
    const before = [...this.samples].reverse().find((s) => s.at <= from) ?? this.samples[0]!;
    const after = this.samples.find((s) => s.at >= to) ?? this.samples.at(-1)!;
    const total = after.total - before.total;
    return total > 0 ? (100 * (after.busy - before.busy)) / total : NaN;
  }
}
