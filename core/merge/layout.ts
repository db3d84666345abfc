// Where each surviving entry goes in the merged file. One side's order is the frame (ours, unless only
// theirs reordered things); the other side's additions go right after the entry they followed on that
// side, after anything the frame side added at the same spot: ours first, then theirs, every time.

export function mergeOrder(
  base: readonly string[],
  ours: readonly string[],
  theirs: readonly string[],
  keep: ReadonlySet<string>,
): string[] {
  const oursFirst = reordered(base, ours) || !reordered(base, theirs);
  const primary = oursFirst ? ours : theirs;
  const secondary = oursFirst ? theirs : ours;
  const inBase = new Set(base);
  const inSecondary = new Set(secondary);
  const result = primary.filter((k) => keep.has(k));
  const placed = new Set(result);
  const addedByPrimary = (k: string | undefined) => k !== undefined && !inBase.has(k) && !inSecondary.has(k);

  secondary.forEach((key, i) => {
    if (placed.has(key) || !keep.has(key)) return;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const anchor = secondary[j] as string;
      if (placed.has(anchor)) {
        at = result.indexOf(anchor) + 1;
        break;
      }
    }
    while (at < result.length && addedByPrimary(result[at])) at++;
    result.splice(at, 0, key);
    placed.add(key);
  });
  return result;
}

/** True when `side` changed the relative order of the entries it shares with base. */
function reordered(base: readonly string[], side: readonly string[]): boolean {
  const inSide = new Set(side);
  const inBase = new Set(base);
  const a = base.filter((k) => inSide.has(k));
  const b = side.filter((k) => inBase.has(k));
  return a.some((k, i) => b[i] !== k);
}
