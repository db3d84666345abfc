// A run folder on another host that does not answer: the CLI's message tells a host whose worker
// polled a moment ago (busy or restarting: try again) from one nobody has polled for minutes
// (stopped or gone), and names the host, its queue and how to start a worker there.
import { describe, expect, it } from 'vitest';
import { lastPollFrom, notAnswered } from '../../../cli/runs/remote-records.js';
import type { PollKind, Poller } from '../../../cli/temporal/connection.js';

describe('a host that did not answer the read', () => {
  it('polled a moment ago: may be busy or restarting, try again', () => {
    const message = notAnswered('dkmv@b', 10, 4_200);
    expect(message).toContain("host b's worker (queue dkmv@b) did not answer within 10 s");
    expect(message).toContain(
      'a worker polled that queue 4 s ago: it may be busy or restarting; try again in a moment',
    );
    expect(message).toContain('DKMV_HOST_ID=b');
    expect(message).not.toContain('gone');
  });

  it('not polled for minutes, or never: stopped or gone', () => {
    for (const ago of [5 * 60_000, undefined]) {
      const message = notAnswered('dkmv@b', 10, ago);
      expect(message).toContain(
        "host b's worker (queue dkmv@b) did not answer within 10 s: it is stopped or the host is gone",
      );
      expect(message).toContain('Start a worker there (DKMV_HOST_ID=b)');
    }
  });

  it("reads the newest activity poll of the host's queue; none known is undefined", async () => {
    const asked: [string, PollKind | undefined][] = [];
    const polls: Poller[] = [
      { identity: 'w1', at: 1_000 },
      { identity: 'w2', at: 5_000 },
      { identity: 'w3', at: 0 },
    ];
    const session = {
      pollers: (queue: string, kind?: PollKind) => (asked.push([queue, kind]), Promise.resolve(polls)),
    };
    expect(await lastPollFrom(session)('dkmv@b')).toBe(5_000);
    expect(asked).toEqual([['dkmv@b', 'activity']]);
    expect(
      await lastPollFrom({ pollers: () => Promise.resolve([{ identity: 'x', at: 0 }]) })('dkmv@b'),
    ).toBeUndefined();
  });
});
