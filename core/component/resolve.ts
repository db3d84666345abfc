// Finding a component: a path, a name registered in `.dkmv/components.json`, or a built-in
// (`components/<name>/`, examples in `components/examples/<name>/` of the dkmv source tree).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYamlValue } from 'yaml';
import { UserError } from '../errors.js';
import { DKMV_HOME, dkmvDir, findProjectRoot } from '../project.js';
import { closest } from './yaml.js';

export type ComponentSource = 'path' | 'registered' | 'builtin' | 'example';

/** Where a component lives. Serializable; the plan carries it. */
export interface ComponentRef {
  /** Registered or built-in name, or the folder name for a path. */
  name: string;
  /** Absolute path of the component folder. */
  dir: string;
  source: ComponentSource;
}

export interface ResolveOptions {
  /** Project root holding `.dkmv/` (default: found from the working directory). */
  projectRoot?: string;
  /** Base for relative paths (default: process.cwd()). */
  cwd?: string;
  /** dkmv source tree holding `components/` (default: DKMV_HOME). */
  home?: string;
}

const NAME_RE = /^[a-z0-9][a-z0-9._-]*$/i;

function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || ref.startsWith('.') || ref.startsWith('~');
}

/** True when `dir` is a folder with a component.yaml or at least one *.yaml / *.yml task file. */
export function isComponentDir(dir: string): boolean {
  try {
    if (!statSync(dir).isDirectory()) return false;
    return readdirSync(dir).some((f) => /\.ya?ml$/i.test(f));
  } catch {
    return false;
  }
}

export function builtinsDir(home: string = DKMV_HOME): string {
  return path.join(home, 'components');
}

function builtinDir(name: string, home: string): { dir: string; source: ComponentSource } | undefined {
  const base = builtinsDir(home);
  if (name !== 'examples' && isComponentDir(path.join(base, name)))
    return { dir: path.join(base, name), source: 'builtin' };
  if (isComponentDir(path.join(base, 'examples', name)))
    return { dir: path.join(base, 'examples', name), source: 'example' };
  return undefined;
}

/** Resolves a component reference given on the command line. */
export function resolveComponent(ref: string, options: ResolveOptions = {}): ComponentRef {
  const cwd = options.cwd ?? process.cwd();
  const projectRoot = options.projectRoot ?? findProjectRoot(cwd);
  const home = options.home ?? DKMV_HOME;
  if (!ref.trim())
    throw new UserError('no component given', { hint: 'pass a path, a registered name or a built-in name' });

  if (looksLikePath(ref)) return fromPath(ref, cwd);

  const registry = readRegistry(projectRoot);
  const registered = registry[ref];
  if (registered !== undefined) {
    const dir = path.resolve(projectRoot, registered);
    if (!isComponentDir(dir)) {
      throw new UserError(`component "${ref}" is registered at ${dir}, but that folder has no component files`, {
        location: { file: registryPath(projectRoot), field: ref },
        hint: `fix the path with: dkmv register ${ref} <path> --force  (or remove it: dkmv unregister ${ref})`,
      });
    }
    return { name: ref, dir, source: 'registered' };
  }
  const builtin = builtinDir(ref, home);
  if (builtin) return { name: ref, ...builtin };
  if (isComponentDir(path.resolve(cwd, ref))) return fromPath(ref, cwd);

  const names = listComponents({ projectRoot, home }).map((c) => c.name);
  const suggestion = closest(ref, names);
  throw new UserError(`unknown component "${ref}"`, {
    hint: suggestion
      ? `did you mean "${suggestion}"? (dkmv components lists them all)`
      : `pass a path (./${ref}), register it (dkmv register ${ref} <path>), or pick one of: ${names.join(', ') || '(none)'}`,
  });
}

function fromPath(ref: string, cwd: string): ComponentRef {
  const expanded = ref.startsWith('~') ? path.join(process.env.HOME ?? '~', ref.slice(1)) : ref;
  const dir = path.resolve(cwd, expanded);
  if (!existsSync(dir)) {
    throw new UserError(`component folder ${dir} does not exist`, {
      hint: 'check the path (relative paths start from the current folder)',
    });
  }
  if (!isComponentDir(dir)) {
    throw new UserError(`${dir} is not a component: it has no component.yaml and no *.yaml task files`, {
      hint: 'a component is a folder of YAML task files (01-first.yaml, 02-second.yaml, ...)',
    });
  }
  return { name: path.basename(dir), dir, source: 'path' };
}

// ---- registry (.dkmv/components.json) ----

export function registryPath(projectRoot: string = findProjectRoot()): string {
  return path.join(dkmvDir(projectRoot), 'components.json');
}

/** Registered components: name → path as written (absolute, or relative to the project root). */
export function readRegistry(projectRoot: string = findProjectRoot()): Record<string, string> {
  const file = registryPath(projectRoot);
  if (!existsSync(file)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`${path.basename(file)} is not valid JSON: ${(err as Error).message}`, {
      location: { file },
      hint: 'fix the file by hand, or delete it and register your components again',
    });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError('components.json must be an object of name → path', { location: { file } });
  }
  const out: Record<string, string> = {};
  for (const [name, p] of Object.entries(data as Record<string, unknown>)) {
    if (typeof p !== 'string') {
      throw new UserError(`the path registered for "${name}" must be a string`, { location: { file, field: name } });
    }
    out[name] = p;
  }
  return out;
}

function writeRegistry(projectRoot: string, registry: Record<string, string>): void {
  mkdirSync(dkmvDir(projectRoot), { recursive: true });
  const sorted = Object.fromEntries(Object.entries(registry).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(registryPath(projectRoot), `${JSON.stringify(sorted, null, 2)}\n`);
}

export interface RegisterOptions {
  projectRoot?: string;
  cwd?: string;
  home?: string;
  /** Replace an existing registration, or shadow a built-in of the same name. */
  force?: boolean;
}

/** Registers `dir` under `name`; stores the path relative to the project root when it is inside it. */
export function registerComponent(name: string, dir: string, options: RegisterOptions = {}): ComponentRef {
  const cwd = options.cwd ?? process.cwd();
  const projectRoot = options.projectRoot ?? findProjectRoot(cwd);
  const home = options.home ?? DKMV_HOME;
  if (!NAME_RE.test(name) || looksLikePath(name)) {
    throw new UserError(`"${name}" is not a valid component name`, {
      hint: 'use letters, digits, ".", "_" and "-", starting with a letter or digit',
    });
  }
  const ref = fromPath(dir, cwd);
  const registry = readRegistry(projectRoot);
  if (!options.force) {
    if (registry[name] !== undefined) {
      throw new UserError(`component "${name}" is already registered (${registry[name]})`, {
        hint: `replace it with: dkmv register ${name} ${dir} --force`,
      });
    }
    if (builtinDir(name, home)) {
      throw new UserError(`"${name}" is a built-in component`, {
        hint: `pick another name, or shadow the built-in with --force`,
      });
    }
  }
  const rel = path.relative(projectRoot, ref.dir);
  registry[name] = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : ref.dir;
  writeRegistry(projectRoot, registry);
  return { name, dir: ref.dir, source: 'registered' };
}

export function unregisterComponent(name: string, options: { projectRoot?: string } = {}): void {
  const projectRoot = options.projectRoot ?? findProjectRoot();
  const registry = readRegistry(projectRoot);
  if (registry[name] === undefined) {
    const suggestion = closest(name, Object.keys(registry));
    throw new UserError(`component "${name}" is not registered`, {
      hint: suggestion ? `did you mean "${suggestion}"?` : 'dkmv components lists the registered components',
    });
  }
  delete registry[name];
  writeRegistry(projectRoot, registry);
}

export interface ComponentListing extends ComponentRef {
  description: string;
  /** False when a registered path no longer holds a component. */
  ok: boolean;
}

/** Built-ins, examples and registered components (registered last; a registered name shadows a built-in). */
export function listComponents(options: { projectRoot?: string; home?: string } = {}): ComponentListing[] {
  const projectRoot = options.projectRoot ?? findProjectRoot();
  const home = options.home ?? DKMV_HOME;
  const byName = new Map<string, ComponentListing>();
  const base = builtinsDir(home);
  const scan = (folder: string, source: ComponentSource): void => {
    let entries: string[] = [];
    try {
      entries = readdirSync(folder).sort();
    } catch {
      return;
    }
    for (const entry of entries) {
      const dir = path.join(folder, entry);
      if (entry === 'examples' || !isComponentDir(dir)) continue;
      if (byName.has(entry)) continue;
      byName.set(entry, { name: entry, dir, source, description: describeComponent(dir), ok: true });
    }
  };
  scan(base, 'builtin');
  scan(path.join(base, 'examples'), 'example');
  for (const [name, p] of Object.entries(readRegistry(projectRoot))) {
    const dir = path.resolve(projectRoot, p);
    const ok = isComponentDir(dir);
    byName.set(name, { name, dir, source: 'registered', description: ok ? describeComponent(dir) : '', ok });
  }
  return [...byName.values()];
}

/** The description in component.yaml, or of the first task file; templates are not rendered. */
export function describeComponent(dir: string): string {
  const candidates = existsSync(path.join(dir, 'component.yaml'))
    ? ['component.yaml']
    : readdirSync(dir)
        .filter((f) => /\.ya?ml$/i.test(f))
        .sort();
  for (const file of candidates.slice(0, 1)) {
    const textContent = readFileSync(path.join(dir, file), 'utf8');
    try {
      const value = parseYamlValue(textContent) as { description?: unknown } | null;
      if (value && typeof value.description === 'string') return value.description.trim();
    } catch {
      const m = /^description:\s*(.+)$/m.exec(textContent);
      if (m) return m[1]!.replace(/^["']|["']$/g, '').trim();
    }
  }
  return '';
}
