// Rename detection: a symbol one side deleted while adding another whose text is the same except for
// the name is a rename. The renamed entry takes over the old key, so the other side's edits to the old
// symbol merge into it (or conflict, if the other side renamed it differently).
import type { Entry } from './entries.js';

const identifier = /^[A-Za-z_$][\w$]*$/;

/** Returns `side` with renamed symbols carrying their base key. */
export function alignRenames(base: readonly Entry[], side: readonly Entry[], other: readonly Entry[]): Entry[] {
  const baseKeys = new Map(base.map((e) => [e.key, e]));
  const sideKeys = new Set(side.map((e) => e.key));
  const otherKeys = new Set(other.map((e) => e.key));
  const deleted = base.filter((e) => e.kind === 'symbol' && !sideKeys.has(e.key));
  if (deleted.length === 0) return [...side];
  const renamed = new Map<Entry, string>();
  for (const old of deleted) {
    const match = side.find(
      (e) =>
        e.kind === 'symbol' && !baseKeys.has(e.key) && !otherKeys.has(e.key) && !renamed.has(e) && sameButName(old, e),
    );
    if (match) renamed.set(match, old.key);
  }
  return side.map((e) => {
    const key = renamed.get(e);
    return key ? { ...e, key } : e;
  });
}

function shortName(entry: Entry): string {
  return entry.key.replace(/^symbol:/, '').replace(/#\d+$/, '');
}

function sameButName(old: Entry, candidate: Entry): boolean {
  const from = shortName(old);
  const to = shortName(candidate);
  if (!identifier.test(from) || !identifier.test(to)) return false;
  const pattern = new RegExp(`(?<![\\w$])${to.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  return candidate.text.replace(pattern, from) === old.text;
}
