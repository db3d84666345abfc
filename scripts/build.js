// Compiles dkmv's TypeScript (cli/, core/, workflows/, activities/, workers/) into dist/ with
// esbuild, one .js per .ts (no bundling, so each command can still load only its own modules).
// Idempotent: a manifest of every source's size and mtime says when dist/ is up to date, and then
// the check costs a few milliseconds. `bin/dkmv.js` calls ensureBuilt() before every start, so
// stale JavaScript never runs; `npm run build` (and scripts/setup) call it too. Type checking is
// not done here: `npm run typecheck` does it (tsc is ~100× slower than a transpile).
/* global process, console */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['cli', 'core', 'workflows', 'activities', 'workers'];
const dist = (root) => path.join(root, 'dist');
const manifest = (root) => path.join(dist(root), '.build-manifest.json');
const lockDir = (root) => path.join(dist(root), '.build-lock');
// Bump when the build's own settings change, so existing dist/ folders are rebuilt.
const BUILD_FORMAT = 2;

function sources(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'fixtures') walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  return out.sort();
}

/** What dist/ was built from: every source with its size and mtime, plus the build format. */
function fingerprint(root, files) {
  const entries = files.map((file) => {
    const st = statSync(file);
    return `${path.relative(root, file)}:${st.size}:${Math.trunc(st.mtimeMs)}`;
  });
  return JSON.stringify({ format: BUILD_FORMAT, entries });
}

function readManifest(root) {
  try {
    return readFileSync(manifest(root), 'utf8');
  } catch {
    return undefined;
  }
}

/** True when dist/ matches the sources (or when there are no sources, e.g. a dist-only copy). */
export function isUpToDate(root = ROOT) {
  const files = sources(root);
  if (files.length === 0) return existsSync(dist(root));
  return readManifest(root) === fingerprint(root, files);
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One builder at a time (tests start many CLIs at once): a lock directory holding the builder's pid. */
function withLock(root, fn) {
  const LOCK = lockDir(root);
  mkdirSync(dist(root), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(readFileSync(path.join(LOCK, 'pid'), 'utf8'));
      } catch {
        /* the owner is between mkdir and writing its pid */
      }
      if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`another dkmv build holds ${LOCK}; remove it if none runs`);
      else sleep(50);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Removes .js/.js.map files in dist/ whose source is gone, so no import can reach stale code. */
function removeOrphans(root, files) {
  const DIST = dist(root);
  const wanted = new Set(files.map((f) => path.relative(root, f).replace(/\.ts$/, '')));
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const base = path.relative(DIST, full).replace(/\.js(\.map)?$/, '');
        if (base.startsWith(`bundle${path.sep}`)) continue; // the bundle has no sources of its own
        if (/\.js(\.map)?$/.test(entry.name) && !wanted.has(base)) rmSync(full);
      }
    }
  };
  if (existsSync(DIST)) walk(DIST);
}

function compile(root, files) {
  // Loaded only when a build is needed: esbuild's start-up is not free.
  const { buildSync } = createRequire(import.meta.url)('esbuild');
  rmSync(manifest(root), { force: true }); // a reader that sees no manifest waits for the lock
  buildSync({
    entryPoints: files,
    outdir: dist(root),
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'error',
  });
  bundleClientCommands(root, buildSync);
  removeOrphans(root, files);
  writeFileSync(manifest(root), fingerprint(root, files));
}

/**
 * The commands bin/dkmv.js starts from the bundle: those that only talk to Temporal (see below).
 * test/unit/cli/build.test.ts keeps them registered commands, and the worker-side ones out.
 */
export const BUNDLED_COMMANDS = [
  'run',
  'runs',
  'show',
  'logs',
  'plan',
  'dev',
  'qa',
  'docs',
  'ship',
  'harness',
  'cost',
  'components',
  'register',
  'unregister',
  'attach',
  'stop',
  'clean',
  'approve',
  'test',
];

/**
 * The CLI again as one bundle with lazily loaded chunks (dist/bundle/): Node then resolves and
 * reads a few dozen files instead of ~500 (zod, yaml, grpc-js, the Temporal client…), which is
 * ~0.25 s of every `dkmv run`, `dkmv runs`, `dkmv show`. bin/dkmv.js uses it for the commands
 * that only talk to Temporal; anything that runs a worker or activities in its own process
 * (`worker`, `up`, …) keeps the per-file build, so the Temporal worker and the activities
 * share one copy of each Temporal package.
 */
function bundleClientCommands(root, buildSync) {
  const out = path.join(dist(root), 'bundle');
  const program = path.join(dist(root), 'cli', 'program.js');
  if (!existsSync(program)) return rmSync(out, { recursive: true, force: true });
  // Written over the old bundle, not into an emptied folder: a CLI still running from it loads its
  // chunks lazily (they are named by content, so the old ones stay valid until swept below).
  const result = buildSync({
    entryPoints: [program],
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Loaded from node_modules as usual: native parts, WASM, and the worker side of Temporal.
    external: [
      '@temporalio/worker',
      '@temporalio/core-bridge',
      '@temporalio/testing',
      '@vscode/tree-sitter-wasm',
      'dockerode',
      'docker-modem',
      'esbuild',
      'playwright-core',
    ],
    // CommonJS packages inside an ES module bundle still call require().
    banner: {
      js: "import { createRequire as dkmvCreateRequire } from 'node:module'; const require = dkmvCreateRequire(import.meta.url);",
    },
    // Whitespace and syntax only (names kept, so stack traces still read): V8 compiles about a
    // quarter less on every start (85 → 63 ms in a `run --no-wait` profile).
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'error',
    metafile: true,
  });
  sweepOldChunks(out, Object.keys(result.metafile.outputs));
}

/** Chunks no longer part of the bundle, once no CLI started before the rebuild can still need them. */
function sweepOldChunks(out, current) {
  const keep = new Set(current.map((f) => path.resolve(f)));
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(out)) {
    const file = path.join(out, name);
    if (!keep.has(file) && statSync(file).mtimeMs < hourAgo) rmSync(file, { force: true });
  }
}

/** Builds dist/ when it is missing or older than the sources; returns true when it built. */
export function ensureBuilt(root = ROOT) {
  if (isUpToDate(root)) return false;
  // Inside the lock, check again: another process may have built while this one waited.
  return withLock(root, () => {
    if (isUpToDate(root)) return false;
    compile(root, sources(root));
    return true;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const built = ensureBuilt();
  console.log(built ? `build: dist/ compiled in ${Date.now() - started} ms` : 'build: dist/ is up to date');
}
