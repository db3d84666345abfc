// Tests about "today's" budget ledger compare what two clocks call today (the ledger workflow's and
// the CLI's, or two runs'). Started in the last minutes of a UTC day they would straddle midnight and
// count on two days, so they start only once the day has enough time left.
const DAY_MS = 86_400_000;

/** Milliseconds until the next UTC midnight. */
export function msToUtcMidnight(now = Date.now()): number {
  return DAY_MS - (now % DAY_MS);
}

/** Resolves at once when more than `marginMs` of the UTC day is left, else just after midnight. */
export async function clearOfUtcMidnight(marginMs: number): Promise<void> {
  const left = msToUtcMidnight();
  if (left > marginMs) return;
  await new Promise((resolve) => setTimeout(resolve, left + 1_000));
}
