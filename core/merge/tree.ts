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

export function snapshot(node: SyntaxNode, source: string, field: string | null = null): Tree {
  const children: Tree[] = [];
  node.children.forEach((child, i) => {
    if (child) children.push(snapshot(child, source, node.fieldNameForChild(i)));
  });
  return { type: node.type, named: node.isNamed, field, start: node.startIndex, end: node.endIndex, children, source };
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
