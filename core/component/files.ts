// Reading a component's files. While a run is planned the files come from disk and every text read
// is put in the plan's bundle; when a task is rendered later (on any worker) they come from that
// bundle, so no worker needs the planning machine's paths. Plans without a bundle read from disk.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { BundledFile, ComponentPlan, PlanBundle } from './plan-types.js';
import { decodeUtf8 } from './text-encoding.js';

/** Most a bundle may hold (characters of text): it travels in workflow history, under Temporal's payload limit. */
export const MAX_BUNDLE_CHARS = 1_000_000;

/** Folders and files of a component folder that are not part of a run (test material, VCS). */
const NOT_BUNDLED = /^(fixtures|model-scripts|node_modules|\.git)$|^model-script\.ya?ml$/i;

/** A path as shown in messages: relative to the working directory when inside it. */
export function display(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function readText(file: string, what: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new UserError(`cannot read ${what}: ${(err as Error).message}`, { location: { file: display(file) } });
  }
  return decodeUtf8(buf, display(file));
}

/** True when `p` is `root` or inside it. */
function inside(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * A symbolic link is followed only when its target stays inside one of `roots` (the project, or a
 * folder named explicitly): a link in the project that points at, say, ~/.ssh must not carry that
 * file into a run, its outputs and its commits. To use a file outside the project, name it by its
 * own path (an absolute `src` or `--context`), not through a link.
 */
export function checkLink(p: string, roots: string[]): void {
  let stat;
  try {
    stat = lstatSync(p);
  } catch {
    return; // missing: reported by whoever needs it
  }
  if (!stat.isSymbolicLink()) return;
  const target = realOrSelf(p);
  if (roots.some((root) => inside(target, root))) return;
  throw new UserError(
    `a symbolic link to ${target}, outside the project (links that leave the project are not followed)`,
    {
      location: { file: display(p) },
      hint: `copy the file into the project, or name ${target} itself (an absolute path) if it is meant to be read`,
    },
  );
}

const isTaskFile = (f: string): boolean => /\.ya?ml$/i.test(f) && !/^(component|model-script)\.ya?ml$/i.test(f);

/**
 * Task files in run order when component.yaml has no `tasks:` list: `*.yaml`/`*.yml` of its `tasks/`
 * subfolder when that folder exists (as DKMV discovers them: a README.yaml beside it is no task),
 * else of the folder itself.
 */
export function taskFilesOf(dir: string): string[] {
  const list = (sub: string): string[] => {
    const folder = path.join(dir, sub);
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((f) => isTaskFile(f) && statSync(path.join(folder, f)).isFile())
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((f) => (sub ? `${sub}/${f}` : f));
  };
  const inTasks = list('tasks');
  return inTasks.length ? inTasks : list('');
}

export function manifestFile(dir: string): string | undefined {
  for (const name of ['component.yaml', 'component.yml'])
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  return undefined;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** True when the first 8 KiB hold a NUL byte (how git and grep tell binary files). */
function isBinaryBuffer(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

/** Where the texts of a plan come from: disk (planning, old plans) or the plan's bundle. */
export interface ComponentFiles {
  /** Text of a file relative to the component folder, or undefined when there is none. */
  component(rel: string): string | undefined;
  /** A project file or folder (key = project-relative or absolute path), or undefined. */
  source(key: string): BundledFile[] | undefined;
  /** Text of a bundled blob. */
  blob(file: BundledFile): string;
  /** How a component file is named in messages. */
  shown(rel: string): string;
}

const posixRel = (p: string): string => path.posix.normalize(p.replace(/\\/g, '/'));

/** Reads from disk and records everything read into `bundle` (when given). */
export class DiskFiles implements ComponentFiles {
  readonly bundle: PlanBundle;

  constructor(
    private readonly componentDir: string,
    private readonly projectRoot: string,
    bundle?: PlanBundle,
  ) {
    this.bundle = bundle ?? emptyBundle();
  }

  private keep(text: string): string {
    const sum = sha256(text);
    this.bundle.blobs[sum] = text;
    return sum;
  }

  /** Where links may point: the component folder and the project (their real paths). */
  private roots(extra: string[] = []): string[] {
    return [realOrSelf(this.componentDir), realOrSelf(this.projectRoot), ...extra];
  }

  component(rel: string): string | undefined {
    const file = path.resolve(this.componentDir, rel);
    if (!isFile(file)) return undefined;
    checkLink(file, this.roots());
    const text = readText(file, 'component file');
    this.bundle.component[posixRel(rel)] = this.keep(text);
    return text;
  }

  /** `onBinary` set: binary files are reported to it and left out. */
  source(key: string, onBinary?: (file: string) => void): BundledFile[] | undefined {
    const abs = path.resolve(this.projectRoot, key);
    if (!existsSync(abs)) return undefined;
    // A path named explicitly (absolute, or outside the project) may be read, but links inside it
    // must stay inside it (or the project); a link named by a relative path must stay in the project.
    const explicit = path.isAbsolute(key) && !lstatSync(abs).isSymbolicLink() ? [realOrSelf(abs)] : [];
    const roots = [realOrSelf(this.projectRoot), ...explicit];
    const files: BundledFile[] = [];
    const walk = (p: string, rel: string): void => {
      checkLink(p, roots);
      if (statSync(p).isDirectory()) {
        for (const entry of readdirSync(p).sort()) {
          if (entry === '.git' || entry === 'node_modules') continue;
          walk(path.join(p, entry), rel ? `${rel}/${entry}` : entry);
        }
        return;
      }
      const buf = readFileSync(p);
      const binary = isBinaryBuffer(buf);
      if (binary && onBinary) return onBinary(p);
      const text = binary ? buf.toString('base64') : buf.toString('utf8');
      files.push({ path: rel, sha256: this.keep(text), ...(binary ? { binary: true } : {}) });
    };
    walk(abs, '');
    this.bundle.sources[key] = files;
    return files;
  }

  blob(file: BundledFile): string {
    const text = this.bundle.blobs[file.sha256];
    if (text === undefined) throw new Error(`no text read for ${file.path} (${file.sha256})`);
    return text;
  }

  shown(rel: string): string {
    return display(path.resolve(this.componentDir, rel));
  }

  /** Puts every text file of the component folder into the bundle (task files, prompts, guides). */
  bundleComponentFolder(): void {
    const walk = (rel: string): void => {
      for (const entry of readdirSync(path.join(this.componentDir, rel)).sort()) {
        if (NOT_BUNDLED.test(entry) && rel === '') continue;
        const child = rel ? `${rel}/${entry}` : entry;
        const abs = path.join(this.componentDir, child);
        checkLink(abs, this.roots());
        if (statSync(abs).isDirectory()) walk(child);
        else if (!isBinaryBuffer(readFileSync(abs))) this.component(child);
      }
    };
    walk('');
  }
}

/** Reads the texts a plan carries; never touches the disk. */
export class BundleFiles implements ComponentFiles {
  constructor(
    private readonly bundle: PlanBundle,
    private readonly componentName: string,
  ) {}

  component(rel: string): string | undefined {
    const sum = this.bundle.component[posixRel(rel)];
    return sum === undefined ? undefined : this.bundle.blobs[sum];
  }

  source(key: string): BundledFile[] | undefined {
    return this.bundle.sources[key];
  }

  blob(file: BundledFile): string {
    const text = this.bundle.blobs[file.sha256];
    if (text === undefined) throw new Error(`the plan's bundle has no text for ${file.path} (${file.sha256})`);
    return text;
  }

  shown(rel: string): string {
    return `${this.componentName}/${posixRel(rel)}`;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export function emptyBundle(): PlanBundle {
  return { blobs: {}, component: {}, sources: {}, context: [], skippedBinary: [] };
}

/** The files a plan reads from: its bundle, or (plans made before bundles) the disk. */
export function filesOf(plan: ComponentPlan): ComponentFiles {
  return plan.bundle
    ? new BundleFiles(plan.bundle, plan.component.name)
    : new DiskFiles(plan.component.dir, plan.projectRoot);
}

/** Total size of a bundle's texts; too big a bundle is a user error naming its largest files. */
export function checkBundleSize(bundle: PlanBundle): void {
  const total = Object.values(bundle.blobs).reduce((n, t) => n + t.length, 0);
  if (total <= MAX_BUNDLE_CHARS) return;
  const named: [string, number][] = [];
  const size = (sum: string): number => bundle.blobs[sum]?.length ?? 0;
  for (const [rel, sum] of Object.entries(bundle.component)) named.push([rel, size(sum)]);
  for (const [key, files] of Object.entries(bundle.sources))
    for (const f of files) named.push([f.path ? `${key}/${f.path}` : key, size(f.sha256)]);
  for (const f of bundle.context) named.push([f.path, size(f.sha256)]);
  const largest = named
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([n, s]) => `${n} (${Math.round(s / 1024)} KiB)`);
  throw new UserError(
    `the files this run needs are too large to send with it (${Math.round(total / 1024)} KiB; the limit is ${Math.round(MAX_BUNDLE_CHARS / 1024)} KiB)`,
    {
      hint: `largest: ${largest.join(', ')}. Commit large files to the repository and let the task read them from the branch`,
    },
  );
}

/** Adds `--context` paths to the bundle as the files they become under `.agent/context/`. */
export function bundleContext(bundle: PlanBundle, paths: string[], contextDir: string): void {
  const disk = new DiskFiles(process.cwd(), process.cwd(), bundle);
  for (const p of paths) {
    const abs = path.resolve(p);
    const base = path.basename(abs);
    let files: BundledFile[];
    try {
      files = disk.source(abs, (file) => bundle.skippedBinary.push(file)) ?? [];
    } catch (err) {
      if (err instanceof UserError)
        throw new UserError(`--context ${p}: ${err.message}`, err.hint ? { hint: err.hint } : {});
      throw err;
    }
    for (const f of files) bundle.context.push({ path: path.posix.join(contextDir, base, f.path), sha256: f.sha256 });
    delete bundle.sources[abs];
  }
}
