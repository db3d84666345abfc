// A finished run folder as DKMV itself writes it (its field names only, no ended_at, no budget), for
// the tests of dkmv's readers (`dkmv runs`, `dkmv show`).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DKMV_RUN_ID = '250101-0000-plan-auth-0003';

/** Writes `<runsDir>/<DKMV_RUN_ID>/` with DKMV's config.json and result.json; returns its path. */
export function writeDkmvRun(runsDir: string): string {
  const run = path.join(runsDir, DKMV_RUN_ID);
  mkdirSync(run, { recursive: true });
  writeFileSync(
    path.join(run, 'config.json'),
    JSON.stringify({ run_id: DKMV_RUN_ID, component: 'plan', repo: 'r', branch: 'feature/auth', max_budget_usd: null }),
  );
  writeFileSync(
    path.join(run, 'result.json'),
    JSON.stringify({
      run_id: DKMV_RUN_ID,
      component: 'plan',
      status: 'completed',
      total_cost_usd: 1.25,
      duration_seconds: 90,
      timestamp: '2025-01-01T00:00:00Z',
    }),
  );
  return run;
}
