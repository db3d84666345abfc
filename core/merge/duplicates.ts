// The same thing must not come out twice. Two cases the key-by-key rules miss:
// - both sides add the same text between symbols (a licence header on a new file) under different
//   keys, because the symbols that follow it differ: the two gaps are one;
// - an import that one side added while an identical one is already there (in base, or added by the
//   other side under another key): it is kept once, where it already was.
import type { Entry } from './entries.js';

/** Returns theirs with each gap it added renamed to the key of an identical gap ours added. */
export function shareAddedGaps(base: readonly Entry[], ours: readonly Entry[], theirs: readonly Entry[]): Entry[] {
  const inBase = new Set(base.map((e) => e.key));
  const theirKeys = new Set(theirs.map((e) => e.key));
  const added = new Map<string, string>();
  for (const e of ours) {
    if (e.kind === 'gap' && !inBase.has(e.key) && e.text.trim() !== '' && !added.has(e.text)) added.set(e.text, e.key);
  }
  return theirs.map((e) => {
    const key = e.kind === 'gap' && !inBase.has(e.key) ? added.get(e.text) : undefined;
    if (key === undefined || key === e.key || theirKeys.has(key)) return e;
    return { ...e, key };
  });
}

/**
 * Of the kept keys (in output order), drops every import whose text repeats one kept earlier, unless
 * both are in base (a duplicate that was already there is not ours to remove).
 */
export function dropRepeatedImports(
  order: readonly string[],
  text: (key: string) => string,
  isImport: (key: string) => boolean,
  inBase: (key: string) => boolean,
): string[] {
  const seen = new Map<string, string>();
  return order.filter((key) => {
    if (!isImport(key)) return true;
    const normalized = text(key).trim().replace(/\s+/g, ' ');
    const first = seen.get(normalized);
    if (first === undefined) {
      seen.set(normalized, key);
      return true;
    }
    return inBase(first) && inBase(key);
  });
}
