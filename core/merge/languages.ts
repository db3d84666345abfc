// Which files the structural merge understands, by extension. Everything else gets a line merge.
// Languages are parsed with tree-sitter; formats (JSON, YAML, HTML, lockfiles) have merges of their own.
export type LanguageId = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust' | 'java' | 'css';
export type FormatId = 'json' | 'yaml' | 'html' | 'lockfile';

const byExtension: Record<string, LanguageId> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.css': 'css',
};

/** Generated from a manifest by a package manager: never merged as text. */
export const lockfileNames: readonly string[] = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'Cargo.lock',
  'go.sum',
  'poetry.lock',
  'uv.lock',
  'Pipfile.lock',
  'composer.lock',
  'Gemfile.lock',
];
const lockfiles = new Set(lockfileNames);

const formatByExtension: Record<string, FormatId> = {
  '.json': 'json',
  '.jsonc': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.html': 'html',
  '.htm': 'html',
};

export function formatOf(filePath: string): FormatId | undefined {
  const name = filePath.slice(filePath.lastIndexOf('/') + 1);
  if (lockfiles.has(name)) return 'lockfile';
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : formatByExtension[name.slice(dot).toLowerCase()];
}

export function languageOf(filePath: string): LanguageId | undefined {
  const dot = filePath.lastIndexOf('.');
  if (dot < 0) return undefined;
  return byExtension[filePath.slice(dot).toLowerCase()];
}
