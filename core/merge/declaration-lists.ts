// Lists inside one declaration: Java modifiers and annotations, `implements` / `extends` type lists and
// `throws`; Rust `#[derive(...)]` lists and trait bounds; TypeScript `implements` and `extends` of an
// interface. Their order carries no meaning: sets, so two sides adding different entries both land,
// like names in an import list. Decorators (grouped into a run by decorator-runs.ts) are the exception:
// they wrap what they decorate in order, so they are matched by name like a set but keep their order:
// additions at different places both land, a reordering or two different additions at one place are
// a conflict (which goes first changes what the code does).
import type { Tree } from './tree.js';
import { fieldOf, textOf } from './tree.js';

export interface DeclarationListRule {
  /** Order matters: matched by key, but a reordering or two additions at one place conflict. */
  ordered?: boolean;
  /** Picks the elements among the node's children. */
  items: (node: Tree) => Tree[];
  /** Written between elements when no side shows a separator. */
  join: string;
  /** Elements may be separated differently (`@Override` on its own line, then `public static`). */
  mixed?: boolean;
  /** Only this node under this parent is such a list (a Rust token tree is one inside `derive` only). */
  when?: (node: Tree, parent: Tree | undefined) => boolean;
}

const comments = new Set(['comment', 'line_comment', 'block_comment']);
const allButComments = (n: Tree) => n.children.filter((c) => !comments.has(c.type));
const namedTypes = (n: Tree) => n.children.filter((c) => c.named && !comments.has(c.type));

export const declarationRules: Record<string, DeclarationListRule> = {
  // Java: `@Entity public final`, `implements A, B` (the type_list), `throws A, B`.
  modifiers: { items: allButComments, join: ' ', mixed: true },
  type_list: { items: namedTypes, join: ',' },
  throws: { items: namedTypes, join: ',' },
  // TypeScript: `implements A, B`, `interface X extends A, B`.
  implements_clause: { items: namedTypes, join: ',' },
  extends_type_clause: { items: namedTypes, join: ',' },
  // Rust: `#[derive(Debug, Clone)]`, `T: Clone + Send`.
  token_tree: { items: namedTypes, join: ',', when: isDeriveList },
  trait_bounds: { items: namedTypes, join: ' +' },
  // A run of decorators or Rust attributes above one declaration (see decorator-runs.ts).
  '(decorators)': { ordered: true, items: allButComments, join: '', mixed: true },
};

/** `derive(...)` holding plain names (a derive with anything else in it is not a set of names). */
function isDeriveList(node: Tree, parent: Tree | undefined): boolean {
  if (parent?.type !== 'attribute' || textOf(parent.children[0] ?? node) !== 'derive') return false;
  return namedTypes(node).every((c) => c.type === 'identifier' || c.type === 'scoped_identifier');
}

/** Annotations and decorators are named by what they call: `@Table(name = "x")` is `@Table`. */
export function declarationKey(item: Tree): string | undefined {
  switch (item.type) {
    // One access level at a time: `public` -> `private` on one side, `protected` on the other conflicts.
    case 'public':
    case 'private':
    case 'protected':
      return 'key:(access)';
    case 'annotation':
    case 'marker_annotation': {
      const name = fieldOf(item, 'name');
      return name ? `key:@${textOf(name)}` : undefined;
    }
    case 'decorator': {
      const inner = item.children.find((c) => c.named && !comments.has(c.type));
      const callee = inner && (fieldOf(inner, 'function') ?? inner);
      return callee ? `key:@${textOf(callee)}` : undefined;
    }
    case 'scoped_use_list': {
      // `io::{Read}` inside a use tree is the `io` branch: both sides growing it merge inside it.
      const path = fieldOf(item, 'path');
      return path ? `key:use ${textOf(path)}::{}` : undefined;
    }
    case 'attribute_item': {
      const attribute = item.children.find((c) => c.type === 'attribute');
      const path = attribute?.children[0];
      return path ? `key:#${textOf(path)}` : undefined;
    }
    default:
      return undefined;
  }
}
