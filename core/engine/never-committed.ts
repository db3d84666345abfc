// Folders the per-task commit never takes in, whatever the repository's .gitignore says: installed
// dependencies, virtualenvs and tool caches. An agent that runs `npm install` or `pip install` must
// not put thousands of generated files on its branch (they would be landed, and merged, as code).

/** Folder names excluded at any depth. */
export const NEVER_COMMITTED_DIRS: readonly string[] = [
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.parcel-cache',
  '.turbo',
];

/** git pathspecs (`git add -A -- . <these>`) that leave the folders out at any depth. */
export function neverCommittedPathspecs(): string[] {
  return NEVER_COMMITTED_DIRS.map((dir) => `:(exclude,glob)**/${dir}/**`);
}

/** True when a repository path lies inside one of the folders. */
export function isNeverCommitted(file: string): boolean {
  return file
    .split('/')
    .slice(0, -1)
    .some((part) => NEVER_COMMITTED_DIRS.includes(part));
}
