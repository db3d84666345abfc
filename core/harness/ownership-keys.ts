// Ownership keys of a harness plan: `path:Symbol` (one symbol; `path:Class` also covers
// `path:Class.method`), `path` (a whole file) or `dir/` (everything below a folder). The same
// key forms checkBranchOwnership (core/merge/ownership.ts) understands.

export interface OwnershipKey {
  path: string;
  symbol?: string;
  dir: boolean;
}

export function parseKey(key: string): OwnershipKey {
  const colon = key.indexOf(':');
  if (colon > 0) return { path: key.slice(0, colon), symbol: key.slice(colon + 1), dir: false };
  return { path: key, dir: key.endsWith('/') };
}

/** The path part of a key (file or folder), for path rules. */
export function keyPath(key: string): string {
  return parseKey(key).path;
}

/** True when key `a` covers key `b` (equal keys cover each other). */
export function covers(a: string, b: string): boolean {
  if (a === b) return true;
  const ka = parseKey(a);
  const kb = parseKey(b);
  if (ka.dir) return kb.path.startsWith(ka.path);
  if (ka.symbol === undefined) return !kb.dir && kb.path === ka.path && kb.symbol !== undefined;
  if (kb.dir || kb.path !== ka.path || kb.symbol === undefined) return false;
  return kb.symbol.startsWith(`${ka.symbol}.`);
}

/** Key of a symbol defined in a file. */
export function symbolKey(file: string, symbol: string): string {
  return `${file}:${symbol}`;
}
