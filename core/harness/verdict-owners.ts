// Who owns a failure: a smoke error or a failing overall criterion names files (a stack location, a
// fix hint); the file's owner in the plan's manifest gets the fix, else the aggregation owner.
// Pure: used by the smoke report mapping and by the verdict's re-dispatch set.

/**
 * The slice of the plan the quality loop needs. Built from the plan by whoever holds it:
 * `fileOwners` maps repo-relative paths (or `dir/` prefixes) to unit ids.
 */
export interface OwnerManifest {
  fileOwners: Record<string, string>;
  /** Owner of the aggregation symbols (app entry, router): gets what no file names. */
  aggregationOwner?: string;
}

/** The pseudo-unit a failure goes to when nothing names an owner: the integration fixer. */
export const INTEGRATION = 'integration';

/** Normalises `./a/b.js`, `/a/b.js`, `a\\b.js` to `a/b.js`. */
function normalise(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.?\/+/, '');
}

/**
 * The unit owning `file`: an exact path wins, then the longest `dir/` prefix, then the unique
 * manifest path `file` is a suffix of (a browser names `/app.js` for the repo's `public/app.js`),
 * then the longest manifest path that ends `file` (a stack trace's absolute path).
 */
export function ownerOfFile(manifest: OwnerManifest, file: string): string | undefined {
  const wanted = normalise(file.split(':')[0] ?? file);
  if (!wanted) return undefined;
  const entries = Object.entries(manifest.fileOwners).map(([k, v]) => [normalise(k), v] as const);
  const exact = entries.find(([k]) => k === wanted);
  if (exact) return exact[1];
  const dirs = entries
    .filter(([k]) => k.endsWith('/') && wanted.startsWith(k))
    .sort((a, b) => b[0].length - a[0].length);
  if (dirs[0]) return dirs[0][1];
  const suffix = entries.filter(([k]) => !k.endsWith('/') && k.endsWith(`/${wanted}`));
  const owners = new Set(suffix.map(([, v]) => v));
  if (owners.size === 1) return suffix[0]![1];
  // An absolute path in a stack trace (/home/dkmv/workspace/server.mjs): the longest manifest path it ends with.
  const within = entries
    .filter(([k]) => wanted.endsWith(`/${k}`) || (k.endsWith('/') && wanted.includes(`/${k}`)))
    .sort((a, b) => b[0].length - a[0].length);
  return within[0]?.[1];
}

// A path-like token: at least one dot-extension, optional directories, optional :line[:col] or :Symbol.
const FILE_TOKEN = /(?:[\w.@-]+\/)*[\w@-][\w.@-]*\.[A-Za-z][\w]{0,7}(?=[:\s,;.)\]>'"`]|$)/g;

/** File paths mentioned in a text (a stack trace, a fix hint, a log tail), in order, without repeats. */
export function filesMentioned(text: string): string[] {
  const seen = new Set<string>();
  for (const m of stripUrls(text).matchAll(FILE_TOKEN)) {
    const token = m[0];
    if (/^\d+(\.\d+)+$/.test(token)) continue; // a version or an IP address, not a file
    seen.add(normalise(token));
  }
  return [...seen];
}

/** The owner of the first file in `texts` that the manifest knows, else the aggregation owner, else integration. */
export function ownerOfText(manifest: OwnerManifest, ...texts: (string | undefined)[]): string {
  for (const text of texts) {
    if (!text) continue;
    for (const file of filesMentioned(text)) {
      const owner = ownerOfFile(manifest, file);
      if (owner) return owner;
    }
  }
  return manifest.aggregationOwner ?? INTEGRATION;
}

/** `http://127.0.0.1:4173/js/app.js:3:9` → `/js/app.js:3:9`: the host and port are not part of a file. */
function stripUrls(text: string): string {
  return text.replace(/\bhttps?:\/\/[^/\s]+/g, '');
}
