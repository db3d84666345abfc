// Pairs the gaps (text between symbols) of one side with the gaps of base. A gap is first paired with
// an identical base gap (it did not change, only what surrounds it did: e.g. a function appended after
// `main()`), then with the base gap that sat before the same symbol, then after the same symbol.
// Pairing by content first keeps a moved-but-unchanged statement from being seen as deleted + added.
import type { Entry } from './entries.js';

interface GapInfo {
  entry: Entry;
  before: string;
  after: string;
}

/** Returns `side` with its gap keys rewritten to the keys of the base gaps they correspond to. */
export function alignGaps(base: readonly Entry[], side: readonly Entry[]): Entry[] {
  const baseGaps = gapInfo(base);
  const sideGaps = gapInfo(side);
  const pairs = new Map<Entry, string>();
  const taken = new Set<string>();
  const pass = (same: (b: GapInfo, s: GapInfo) => boolean) => {
    for (const s of sideGaps) {
      if (pairs.has(s.entry)) continue;
      const match = baseGaps.find((b) => !taken.has(b.entry.key) && same(b, s));
      if (match) {
        pairs.set(s.entry, match.entry.key);
        taken.add(match.entry.key);
      }
    }
  };
  pass((b, s) => b.entry.text === s.entry.text);
  pass((b, s) => b.before === s.before);
  pass((b, s) => b.after === s.after);

  const used = new Set([...base.map((e) => e.key), ...side.filter((e) => e.kind !== 'gap').map((e) => e.key)]);
  let fresh = 0;
  return side.map((entry) => {
    if (entry.kind !== 'gap') return entry;
    let key = pairs.get(entry);
    if (key === undefined) {
      key = used.has(entry.key) ? `gap+${++fresh}` : entry.key;
      while (used.has(key)) key = `gap+${++fresh}`;
    }
    used.add(key);
    return key === entry.key ? entry : { ...entry, key };
  });
}

function gapInfo(entries: readonly Entry[]): GapInfo[] {
  const out: GapInfo[] = [];
  entries.forEach((entry, i) => {
    if (entry.kind !== 'gap') return;
    out.push({ entry, after: entries[i - 1]?.key ?? 'START', before: entries[i + 1]?.key ?? 'END' });
  });
  return out;
}
