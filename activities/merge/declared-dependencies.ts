// After a harness landing: the dependencies the plan declares for the units landed so far are written
// into the root package.json (missing entries only; a version already there is kept). The landing
// does this, not the manifest's owner, so a unit that needs a package never edits a file it does not
// own, and the order in which units land does not matter.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GitRepo } from '../git/git-repo.js';

export interface DeclaredDependencies {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** Adds the missing entries to package.json and amends HEAD; returns the names added. */
export async function ensureDependencies(
  git: GitRepo,
  repoDir: string,
  declared: DeclaredDependencies,
): Promise<string[]> {
  const file = path.join(repoDir, 'package.json');
  if (!existsSync(file)) return []; // the manifest's owner has not landed yet: a later landing adds them
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return []; // a broken manifest is the smoke's finding, not the landing's
  }
  const added: string[] = [];
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const current = { ...((manifest[field] as Record<string, string> | undefined) ?? {}) };
    for (const [name, version] of Object.entries(declared[field])) {
      if (current[name] !== undefined || (field === 'devDependencies' && hasRuntime(manifest, name))) continue;
      current[name] = version;
      added.push(name);
    }
    if (Object.keys(current).length > 0) manifest[field] = sortKeys(current);
  }
  if (added.length === 0) return [];
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  await git.add('package.json');
  await git.raw(['commit', '-q', '--amend', '--no-edit']);
  return added;
}

/**
 * A source that does not own package.json: its dependency entries join `declared` and its own copy
 * of the file is put back as the target had it (its other edits, if any, were rejected before).
 */
export async function takeDependencyEntries(
  git: GitRepo,
  before: string,
  source: string,
  declared: DeclaredDependencies,
): Promise<DeclaredDependencies> {
  const theirs = await git.raw(['show', `${source}:package.json`]).catch(() => undefined);
  let manifest: Record<string, Record<string, string> | undefined> = {};
  try {
    manifest = theirs ? (JSON.parse(theirs) as typeof manifest) : {};
  } catch {
    manifest = {};
  }
  const existed = await git
    .raw(['cat-file', '-e', `${before}:package.json`])
    .then(() => true)
    .catch(() => false);
  if (existed) await git.raw(['checkout', before, '--', 'package.json']);
  else await git.raw(['rm', '-q', '-f', '--ignore-unmatch', '--', 'package.json']);
  await git.raw(['commit', '-q', '--amend', '--no-edit', '--allow-empty']);
  return {
    dependencies: { ...(manifest.dependencies ?? {}), ...declared.dependencies },
    devDependencies: { ...(manifest.devDependencies ?? {}), ...declared.devDependencies },
  };
}

function hasRuntime(manifest: Record<string, unknown>, name: string): boolean {
  return (manifest.dependencies as Record<string, string> | undefined)?.[name] !== undefined;
}

function sortKeys(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
}
