// Which files the structural merge understands, by extension. Everything else gets a line merge.
export type LanguageId = 'typescript' | 'tsx' | 'javascript' | 'python';

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
};

export function languageOf(filePath: string): LanguageId | undefined {
  const dot = filePath.lastIndexOf('.');
  if (dot < 0) return undefined;
  return byExtension[filePath.slice(dot).toLowerCase()];
}
