// Run ids: `<YYMMDD-HHMM>-<component>-<feature>-<4hex>`, also the Temporal workflow id, so the CLI,
// the run folder and the Web UI name a run the same way. Time is UTC (workers may sit in other zones).

const MAX_PART = 40;

/** Lowercase, [a-z0-9-] only, no leading/trailing or doubled dashes, at most 40 characters. */
export function slugify(value: string, max = MAX_PART): string {
  const slug = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '');
}

export function stampOf(now: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    two(now.getUTCFullYear() % 100) +
    two(now.getUTCMonth() + 1) +
    two(now.getUTCDate()) +
    '-' +
    two(now.getUTCHours()) +
    two(now.getUTCMinutes())
  );
}

/** Four random hex digits (not for security: only to keep ids unique). */
export function random4hex(): string {
  return Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
}

/**
 * Builds a run id. `feature` may be empty (then it is left out). `suffix` must be 4 hex digits;
 * pass a function to draw one.
 */
export function makeRunId(
  component: string,
  feature: string,
  now: Date = new Date(),
  suffix: string | (() => string) = random4hex,
): string {
  const hex = (typeof suffix === 'function' ? suffix() : suffix).toLowerCase();
  if (!/^[0-9a-f]{4}$/.test(hex)) throw new Error(`run id suffix must be 4 hex digits, got "${hex}"`);
  const parts = [stampOf(now), slugify(component) || 'component', slugify(feature), hex].filter(Boolean);
  return parts.join('-');
}

export interface ParsedRunId {
  runId: string;
  /** `YYMMDD-HHMM` */
  stamp: string;
  /** Start minute (UTC). */
  startedAt: Date;
  /** `<component>-<feature>` (dashes are ambiguous: split with `component` when known). */
  middle: string;
  /** Set when the component was given to parseRunId or the middle has no dash. */
  component?: string;
  feature?: string;
  suffix: string;
}

const RUN_ID_RE = /^(\d{2})(\d{2})(\d{2})-(\d{2})(\d{2})-([a-z0-9-]+)-([0-9a-f]{4})$/;

export function isRunId(value: string): boolean {
  return parseRunId(value) !== undefined;
}

/** Parses a run id; `component` (as given to makeRunId) splits component from feature. */
export function parseRunId(value: string, component?: string): ParsedRunId | undefined {
  const m = RUN_ID_RE.exec(value);
  if (!m) return undefined;
  const [, yy, mo, dd, hh, mi, middle, suffix] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const month = Number(mo);
  const day = Number(dd);
  const hour = Number(hh);
  const minute = Number(mi);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  const startedAt = new Date(Date.UTC(2000 + Number(yy), month - 1, day, hour, minute));
  const out: ParsedRunId = { runId: value, stamp: `${yy}${mo}${dd}-${hh}${mi}`, startedAt, middle, suffix };
  const slug = component !== undefined ? slugify(component) || 'component' : undefined;
  if (slug !== undefined) {
    if (middle === slug) {
      out.component = slug;
    } else if (middle.startsWith(`${slug}-`)) {
      out.component = slug;
      out.feature = middle.slice(slug.length + 1);
    }
  } else if (!middle.includes('-')) {
    out.component = middle;
  }
  return out;
}
