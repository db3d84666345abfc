// The bench report's aggregation: closing lines to figures, figures against goals, the table.
import { describe, expect, it } from 'vitest';
import {
  benchResult,
  closingLine,
  loadAverages,
  markdown,
  numeric,
  parseFigures,
  README_END,
  README_START,
  withReportBlock,
  type BenchSpec,
} from '../../../bench/report/aggregate.js';

const overhead: BenchSpec = {
  script: 'bench:task-overhead',
  tag: 'task-overhead',
  title: 'overhead',
  goals: [{ key: 'ratio', max: 1.15, label: '≤ 1.15' }],
};
const fanout: BenchSpec = {
  script: 'bench:fanout',
  tag: 'fanout',
  title: 'fan-out',
  goals: [{ key: 'ratio_8_1', max: 1.3, label: '≤ 1.3' }],
};

describe('bench report aggregation', () => {
  it('takes the last closing line of the tag, ignoring look-alikes earlier and later', () => {
    const out = [
      'task-overhead: runs=1 ratio=9',
      'warm-up task-overhead: ratio=5',
      'task-overhead: runs=7 dkmv_median_s=1.0 baseline_median_s=0.9 ratio=1.111',
      'done',
    ].join('\n');
    expect(closingLine(out, 'task-overhead')).toBe(
      'task-overhead: runs=7 dkmv_median_s=1.0 baseline_median_s=0.9 ratio=1.111',
    );
    expect(closingLine(out, 'fanout')).toBeUndefined();
  });

  it('names repeated keys by their value prefix (n=1:…s → n_1)', () => {
    expect(parseFigures('fanout: n=1:3.20s n=2:3.31s n=8:4.02s ratio_8_1=1.256', 'fanout')).toEqual({
      n_1: '3.20s',
      n_2: '3.31s',
      n_8: '4.02s',
      ratio_8_1: '1.256',
    });
  });

  it('reads numbers with units and rejects the rest', () => {
    expect(numeric('3.2s')).toBe(3.2);
    expect(numeric('450ms')).toBe(450);
    expect(numeric('1.27×')).toBe(1.27);
    expect(numeric('n/a')).toBeUndefined();
    expect(numeric(undefined)).toBeUndefined();
  });

  it('judges goals: met, not met, and unknown when the figure is absent', () => {
    const ok = benchResult(overhead, {
      script: overhead.script,
      status: 'ok',
      seconds: 60,
      output: 'task-overhead: runs=7 ratio=1.10\n',
      exitCode: 0,
    });
    expect(ok.status).toBe('ok');
    expect(ok.goals).toEqual([{ key: 'ratio', label: '≤ 1.15', value: 1.1, met: true }]);
    const over = benchResult(fanout, {
      script: fanout.script,
      status: 'ok',
      seconds: 60,
      output: 'fanout: n=1:3s n=8:6s ratio_8_1=2.000',
      exitCode: 0,
    });
    expect(over.goals[0]?.met).toBe(false);
    const noLine = benchResult(fanout, {
      script: fanout.script,
      status: 'ok',
      seconds: 1,
      output: 'oops\n',
      exitCode: 0,
    });
    expect(noLine.status).toBe('no closing line');
    expect(noLine.goals[0]?.met).toBeUndefined();
    expect(noLine.tail).toContain('oops');
  });

  it('reports a failed bench with its output tail and a missing one as missing', () => {
    const failed = benchResult(overhead, {
      script: overhead.script,
      status: 'failed',
      seconds: 3,
      output: 'Error: docker is not running\n',
      exitCode: 1,
    });
    expect(failed.status).toBe('failed');
    expect(failed.tail).toContain('docker is not running');
    const missing = benchResult(
      { script: 'bench:soak', tag: 'soak', title: 'soak', goals: [] },
      { script: 'bench:soak', status: 'missing', seconds: 0, output: '', exitCode: null },
    );
    expect(missing.status).toBe('missing');
  });

  it('reads load averages from uptime', () => {
    expect(loadAverages(' 02:29:48 up  3:15,  0 user,  load average: 10.10, 3.98, 2.41')).toEqual([10.1, 3.98, 2.41]);
    expect(loadAverages('garbage')).toEqual([]);
  });

  it('renders one table row per bench with date, machine, load and goal marks', () => {
    const result = benchResult(overhead, {
      script: overhead.script,
      status: 'ok',
      seconds: 61.4,
      output: 'task-overhead: runs=7 ratio=1.30',
      exitCode: 0,
    });
    const md = markdown({
      date: '2026-12-02 03:00 UTC',
      machine: 'vm (2 cores)',
      loadBefore: [1, 2, 3],
      loadAfter: [4, 5, 6],
      benches: [result],
    });
    expect(md).toContain(
      'Measured 2026-12-02 03:00 UTC on vm (2 cores); load average before 1.00, 2.00, 3.00, after 4.00, 5.00, 6.00.',
    );
    expect(md).toContain(
      '| overhead | `npm run bench:task-overhead` | runs=7 ratio=1.30 | ratio ≤ 1.15: not met | ok | 61 s |',
    );
  });

  it('replaces only the block between the README markers, and leaves a README without them alone', () => {
    const readme = `# x\n## Timings\n${README_START}\nold table\n${README_END}\nafter\n`;
    const out = withReportBlock(readme, '| new |\n');
    expect(out).toBe(`# x\n## Timings\n${README_START}\n\n| new |\n\n${README_END}\nafter\n`);
    expect(withReportBlock('# no markers\n', '| new |')).toBe('# no markers\n');
  });
});
