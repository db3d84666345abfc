// Parser choice: tree-sitter, through the WASM build that @vscode/tree-sitter-wasm ships.
// Why: one package carries both the web-tree-sitter runtime and the TypeScript, TSX, JavaScript and
// Python grammars (and Go, Rust, Java, CSS), built together, so runtime and grammar ABI always match; it needs no native build
// step, and every language goes through one code path (the TypeScript compiler API would only cover
// three of the four). Tree-sitter is error-tolerant, so "does it parse" is `rootNode.hasError`.
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TreeSitter from '@vscode/tree-sitter-wasm';
import type { Language as TsLanguage, Node as TsNode, Parser as TsParser } from '@vscode/tree-sitter-wasm';
import type { LanguageId } from './languages.js';
import type { Tree } from './tree.js';
import { snapshot } from './tree.js';

export type SyntaxNode = TsNode;

type TreeSitterModule = typeof TreeSitter;

const require = createRequire(import.meta.url);
// The package is a UMD bundle: load it with require so it works the same under tsx, vitest and node.
const treeSitter = require('@vscode/tree-sitter-wasm') as TreeSitterModule;
const wasmDir = path.dirname(require.resolve('@vscode/tree-sitter-wasm'));

const grammarFile: Record<LanguageId, string> = {
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  python: 'tree-sitter-python.wasm',
  go: 'tree-sitter-go.wasm',
  rust: 'tree-sitter-rust.wasm',
  java: 'tree-sitter-java.wasm',
  css: 'tree-sitter-css.wasm',
};

const parsers = new Map<LanguageId, TsParser>();
let loading: Promise<void> | undefined;

/** Loads the runtime and all grammars once; every later call returns the same promise. */
export function initParsers(): Promise<void> {
  loading ??= (async () => {
    await treeSitter.Parser.init({ locateFile: (file: string) => path.join(wasmDir, file) });
    for (const [id, file] of Object.entries(grammarFile) as [LanguageId, string][]) {
      const language: TsLanguage = await treeSitter.Language.load(path.join(wasmDir, file));
      const parser = new treeSitter.Parser();
      parser.setLanguage(language);
      parsers.set(id, parser);
    }
  })();
  return loading;
}

export function parsersReady(): boolean {
  return parsers.size === Object.keys(grammarFile).length;
}

/**
 * Parses `text` and hands the root node to `use`; returns undefined when the text has syntax errors
 * (callers then fall back to a line merge). The tree lives in WASM memory, so it is freed right after
 * `use` returns: callers copy what they need into plain objects. Requires initParsers() to have resolved.
 */
export function withParse<T>(text: string, language: LanguageId, use: (root: SyntaxNode) => T): T | undefined {
  const parser = parsers.get(language);
  if (!parser) throw new Error('tree-sitter parsers are not loaded: await initParsers() first');
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    return tree.rootNode.hasError ? undefined : use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** True when `text` parses without errors in `language`. */
export function parsesCleanly(text: string, language: LanguageId): boolean {
  return withParse(text, language, () => true) ?? false;
}

/** A plain copy of the syntax tree of `text`; undefined when it has syntax errors. */
export function parseTree(text: string, language: LanguageId): Tree | undefined {
  return withParse(text, language, (root) => snapshot(root, text));
}
