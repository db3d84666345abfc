// A plain-object copy of a syntax tree. Tree-sitter trees live in WASM memory and are freed right after
// a parse; the tree merge walks three of them side by side, so it works on these copies instead.
import type { SyntaxNode } from './parser.js';

export interface Tree {
  type: string;
  named: boolean;
  /** The field this node fills in its parent (`name`, `key`, `attribute`, ...), if any. */
  field: string | null;
  start: number;
  end: number;
  children: Tree[];
  /** The whole source the offsets point into. */
  source: string;
}

export function textOf(tree: Tree): string {
  return tree.source.slice(tree.start, tree.end);
}

/** Copies the tree under `node` with one cursor walk (per-node API calls into WASM are slow). */
export function snapshot(node: SyntaxNode, source: string): Tree {
  const cursor = node.walk();
  try {
    const copy = (): Tree => {
      const tree: Tree = {
        type: cursor.nodeType,
        named: cursor.nodeIsNamed,
        field: cursor.currentFieldName,
        start: cursor.startIndex,
        end: cursor.endIndex,
        children: [],
        source,
      };
      if (cursor.gotoFirstChild()) {
        do tree.children.push(copy());
        while (cursor.gotoNextSibling());
        cursor.gotoParent();
      }
      return tree;
    };
    return { ...copy(), field: null };
  } finally {
    cursor.delete();
  }
}

/**
 * The nodes that make up the text range [start, end) of `root` (an entry of the segmentation), under one
 * virtual parent: the outermost nodes lying fully inside the range, in order.
 */
export function rangeTree(root: Tree, start: number, end: number): Tree {
  const children: Tree[] = [];
  const visit = (node: Tree) => {
    for (const child of node.children) {
      if (child.end <= start || child.start >= end) continue;
      if (child.start >= start && child.end <= end) children.push(child);
      else visit(child);
    }
  };
  visit(root);
  return { type: '(range)', named: true, field: null, start, end, children, source: root.source };
}

/** Child by field name. */
export function fieldOf(tree: Tree, field: string): Tree | undefined {
  return tree.children.find((c) => c.field === field);
}
