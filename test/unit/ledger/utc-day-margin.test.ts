// The test helper that keeps day-sensitive ledger tests from straddling UTC midnight.
import { describe, expect, it, vi } from 'vitest';
import { clearOfUtcMidnight, msToUtcMidnight } from '../../support/utc-day.js';

describe('clearOfUtcMidnight', () => {
  it('counts the milliseconds left in the UTC day', () => {
    expect(msToUtcMidnight(Date.parse('2026-12-07T23:59:30Z'))).toBe(30_000);
    expect(msToUtcMidnight(Date.parse('2026-12-08T00:00:00Z'))).toBe(86_400_000);
  });

  it('returns at once with time left, and waits past midnight in the margin', async () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(Date.parse('2026-12-07T12:00:00Z'));
      await clearOfUtcMidnight(120_000);
      vi.setSystemTime(Date.parse('2026-12-07T23:59:00Z'));
      let done = false;
      const waiting = clearOfUtcMidnight(120_000).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(59_000);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(2_000);
      await waiting;
      expect(new Date(Date.now()).toISOString().slice(0, 10)).toBe('2026-12-08');
    } finally {
      vi.useRealTimers();
    }
  });
});
