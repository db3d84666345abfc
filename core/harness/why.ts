// Why a generator attempt did not land and why a fix did not land, in one line each, from what the
// workflow recorded (ownership violations, the child's error, the landing's conflicts). `dkmv show`,
// `dkmv logs`, the live progress and the report all say it the same way.
import type { AttemptRecord, FixRecord, HarnessView } from './types.js';

const RUNNING = new Set(['starting', 'running']);

/** Undefined when the attempt landed, was empty (a soft success) or is still running. */
export function attemptWhy(a: AttemptRecord): string | undefined {
  if (a.violations?.length) return `ownership: ${a.violations.join('; ')}`;
  if (!RUNNING.has(a.childStatus) && a.childStatus !== 'completed') {
    return `the generator ended ${a.childStatus}${a.error ? `: ${a.error}` : ''}`;
  }
  const land = a.land;
  if (land?.status === 'conflict') {
    return `landing conflicted: ${land.conflicts.map((c) => `${c.file} (${c.symbols.join(', ') || 'whole file'})`).join(', ')}`;
  }
  if (land?.status === 'unparsable') return `no longer parses after the merge: ${land.unparsable.join(', ')}`;
  if (land?.status === 'skipped_violation') return 'landing skipped: an ownership violation';
  return undefined;
}

/** Undefined when the fix landed or its fixer still runs. */
export function fixWhy(f: FixRecord): string | undefined {
  if (f.landed || RUNNING.has(f.childStatus)) return undefined;
  if (f.detail) return f.detail;
  // A completed fixer without a detail is still being landed: nothing went wrong (yet).
  return f.childStatus === 'completed' ? undefined : `the fixer ended ${f.childStatus}`;
}

export interface Rejection {
  unit: string;
  round: number;
  attempt: number;
  childId: string;
  why: string;
}

/** Every generator attempt that did not land, with its reason, in unit and attempt order. */
export function rejectedAttempts(view: HarnessView): Rejection[] {
  return view.units.flatMap((u) =>
    u.attempts.flatMap((a) => {
      const why = attemptWhy(a);
      return why ? [{ unit: u.id, round: a.round, attempt: a.attempt, childId: a.childId, why }] : [];
    }),
  );
}

/** The commit a unit's work landed with last: its last landed fix, else its generator's landing. */
export function lastLanding(view: HarnessView, unit: string): { commit?: string; by: 'fix' | 'generator' } | undefined {
  const fix = [...(view.quality?.fixes ?? [])].reverse().find((f) => f.unit === unit && f.landed && f.commit);
  if (fix) return { commit: fix.commit!, by: 'fix' };
  const attempts = view.units.find((u) => u.id === unit)?.attempts ?? [];
  const land = [...attempts]
    .reverse()
    .find((a) => a.land && (a.land.status === 'merged' || a.land.status === 'up-to-date'))?.land;
  return land ? { ...(land.commit ? { commit: land.commit } : {}), by: 'generator' } : undefined;
}
