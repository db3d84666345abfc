// Collections inside a symbol: the syntax nodes whose elements the tree merge treats as a list.
// A *set* (object literal keys, enum members, union members, JSX attributes, import lists,
// destructuring, Python sets and dicts, struct fields, CSS declarations) merges by element key and its
// order carries no meaning; an *ordered* list (call arguments, array literals, parameters) merges by
// position. A list is cut into a prefix, its elements, the separators between them and a suffix; the
// merge takes prefix, separators and suffix together from one side (never a mix of two layouts).
import { declarationKey, declarationRules } from './declaration-lists.js';
import type { Tree } from './tree.js';
import { fieldOf, textOf } from './tree.js';

export type ListKind = 'set' | 'ordered';

export interface ListView {
  kind: ListKind;
  prefix: string;
  items: Tree[];
  /** The separator written between elements; undefined with fewer than two elements, or when mixed. */
  separator: string | undefined;
  /** What is written between element i and i + 1 (all equal unless `mixed`). */
  separators: string[];
  /** Elements separated in different ways (Java modifiers): each keeps the separator that follows it. */
  mixed: boolean;
  /** A set whose order still matters (decorators): no reordering, no two additions at one place. */
  strictOrder?: boolean;
  suffix: string;
  /** The identity of each element (its key in a set). */
  keys: string[];
  /** What to write between elements when no side shows it (a one-element list growing). */
  defaultSeparator: string;
  /** Python call: keyword arguments (a set) follow the positional ones (ordered) from this index. */
  keywordsFrom?: number;
}

interface ListRule {
  kind: ListKind;
  /** Picks the elements among the node's children (default: named children). */
  items?: (node: Tree) => Tree[];
  /** Joins elements when no side shows a separator. */
  join: string;
  /** Separators may differ between elements. */
  mixed?: boolean;
}

const commaSet: ListRule = { kind: 'set', join: ',' };
const commaList: ListRule = { kind: 'ordered', join: ',' };

/** Node type -> how its elements merge. Types not listed are merged child by child. */
const rules: Record<string, ListRule> = {
  // TypeScript / JavaScript
  object: commaSet,
  object_pattern: commaSet,
  enum_body: commaSet,
  object_type: { kind: 'set', join: ';' },
  interface_body: { kind: 'set', join: ';' },
  named_imports: commaSet,
  export_clause: commaSet,
  union_type: { kind: 'set', join: ' |', items: flattenUnion },
  jsx_opening_element: { kind: 'set', join: '', items: (n) => n.children.filter((c) => c.field === 'attribute') },
  jsx_self_closing_element: { kind: 'set', join: '', items: (n) => n.children.filter((c) => c.field === 'attribute') },
  arguments: commaList,
  array: commaList,
  formal_parameters: commaList,
  type_arguments: commaList,
  // Python
  set: commaSet,
  dictionary: commaSet,
  argument_list: commaList,
  list: commaList,
  import_from_statement: { kind: 'set', join: ',', items: (n) => n.children.filter((c) => c.field === 'name') },
  // Go
  field_declaration_list: { kind: 'set', join: '' },
  import_spec_list: { kind: 'set', join: '' },
  // Rust
  enum_variant_list: commaSet,
  use_list: commaSet,
  // Java
  // (enum_body is shared with TypeScript above)
  // CSS
  block: { kind: 'set', join: '', items: (n) => n.children.filter((c) => c.type === 'declaration') },
};

/** Elements whose position changes what the code means: a list holding one is merged as ordered. */
const orderSensitive = new Set([
  'spread_element',
  'rest_pattern',
  'jsx_expression',
  'dictionary_splat',
  'list_splat',
  'list_splat_pattern',
  'dictionary_splat_pattern',
]);

/** Nodes that hold other statements: never a list of ours (their children merge one by one). */
const notALists = new Set(['statement_block']);

/**
 * The list view of `node`, or undefined when it is not a collection or its layout is irregular
 * (comments between elements, mixed separators): those merge child by child, or conflict.
 */
export function listOf(node: Tree, parent: Tree | undefined): ListView | undefined {
  const declared = declarationRules[node.type];
  if (declared) {
    if (!node.named || (declared.when && !declared.when(node, parent))) return undefined;
    const view = build(node, declared.items(node), { ...declared, kind: 'set' }, parent);
    return view && declared.ordered ? { ...view, strictOrder: true } : view;
  }
  const rule = rules[node.type];
  if (!rule || notALists.has(node.type)) return undefined;
  // CSS `block` is also Go/Rust/Java's name for a statement block; only declarations make a CSS one.
  if (node.type === 'block' && !node.children.some((c) => c.type === 'declaration')) return undefined;
  if (node.type === 'field_declaration_list' && node.children.some((c) => c.type === ',')) {
    return build(node, node.children.filter(named), commaSet, parent);
  }
  const items = rule.items ? rule.items(node) : node.children.filter(named);
  return build(node, items, rule, parent);
}

const comments = new Set(['comment', 'line_comment', 'block_comment']);

function named(c: Tree): boolean {
  return c.named && !comments.has(c.type);
}

function build(node: Tree, elements: Tree[], rule: ListRule, parent: Tree | undefined): ListView | undefined {
  if (node.children.some((c) => c.type === 'ERROR')) return undefined;
  const items = withLeadingComments(node, elements);
  if (!items) return undefined;
  const source = node.source;
  let prefixEnd: number;
  let suffixStart: number;
  const first = items[0];
  const last = items[items.length - 1];
  if (first && last) {
    prefixEnd = first.start;
    suffixStart = last.end;
  } else if (node.start === node.end) {
    // An empty run of decorators (decorator-runs.ts): nothing before or after.
    prefixEnd = suffixStart = node.start;
  } else {
    // No elements: split after the opening token (or, for a JSX tag, after its name).
    const opener = fieldOf(node, 'name') ?? node.children[0];
    if (!opener) return undefined;
    prefixEnd = opener.end;
    suffixStart = opener.end;
  }
  const separators = items.slice(1).map((item, i) => source.slice((items[i] as Tree).end, item.start));
  const mixed = separators.some((s) => s !== separators[0]);
  if (mixed && !rule.mixed) return undefined;
  const separator = mixed ? undefined : separators[0];
  const keys = elements.map(keyOf);
  let kind = rule.kind;
  if (kind === 'set') {
    if (items.some((i) => orderSensitive.has(i.type)) || new Set(keys).size !== keys.length) kind = 'ordered';
  }
  // `__all__ = [...]` lists names: a set, whatever the brackets.
  if (node.type === 'list' && parent?.type === 'assignment' && fieldOf(parent, 'left') && isDunderAll(parent))
    kind = 'set';
  const view: ListView = {
    kind,
    prefix: source.slice(node.start, prefixEnd),
    items,
    separator,
    separators,
    mixed,
    suffix: source.slice(suffixStart, node.end),
    keys,
    defaultSeparator:
      node.type === '(decorators)'
        ? lineBreakAt(source, node.start)
        : defaultSeparator(rule.join, source.slice(node.start, prefixEnd)),
  };
  if (node.type === 'argument_list') {
    const firstKeyword = items.findIndex((i) => i.type === 'keyword_argument');
    const tail = firstKeyword < 0 ? [] : items.slice(firstKeyword);
    if (firstKeyword >= 0 && tail.every((i) => i.type === 'keyword_argument') && new Set(keys).size === keys.length)
      view.keywordsFrom = firstKeyword;
  }
  return view;
}

/**
 * Comments on the lines above an element belong to it (they move and merge with it). Any other comment
 * (after an element, before its comma) sits in a separator, which then differs from the others: such a
 * list has no regular layout and is not merged as a list.
 */
function withLeadingComments(node: Tree, elements: Tree[]): Tree[] | undefined {
  const wanted = new Set(elements);
  const out: Tree[] = [];
  let pending: Tree[] = [];
  for (const child of node.children) {
    if (comments.has(child.type)) pending.push(child);
    else if (wanted.has(child)) {
      const first = pending[0];
      out.push(first ? { ...child, start: first.start, children: [...pending, child] } : child);
      pending = [];
    } else pending = [];
  }
  // Elements found elsewhere than among the direct children (union members): no comments to attach.
  return out.length === elements.length ? out : elements;
}

function isDunderAll(assignment: Tree): boolean {
  const left = fieldOf(assignment, 'left');
  return left !== undefined && textOf(left) === '__all__';
}

/** A list that starts on its own line keeps one element per line; otherwise elements share a line. */
function defaultSeparator(join: string, prefix: string): string {
  const indent = /\n([ \t]*)$/.exec(prefix);
  if (indent) return `${join.trimEnd()}\n${indent[1] ?? ''}`;
  return join === '' ? ' ' : `${join} `;
}

/** A line break and the indentation of the line holding `index`: decorators go one per line. */
function lineBreakAt(source: string, index: number): string {
  const lineStart = source.lastIndexOf('\n', index - 1) + 1;
  return `\n${/^[ \t]*/.exec(source.slice(lineStart, index))?.[0] ?? ''}`;
}

/** `A | B | C` parses as ((A | B) | C): its members are the leaves of that chain. */
function flattenUnion(node: Tree): Tree[] {
  return node.children.filter((c) => c.named).flatMap((c) => (c.type === 'union_type' ? flattenUnion(c) : [c]));
}

const unquote = (s: string) => s.replace(/^['"`]|['"`]$/g, '');
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The identity of a set element: the name it defines, else its text. */
export function keyOf(item: Tree): string {
  const declared = declarationKey(item);
  if (declared !== undefined) return declared;
  const by = (field: string) => {
    const f = fieldOf(item, field);
    return f ? unquote(textOf(f)) : undefined;
  };
  switch (item.type) {
    case 'pair':
    case 'pair_pattern':
      return `key:${by('key') ?? squash(textOf(item))}`;
    case 'object_assignment_pattern':
      return `key:${by('left') ?? squash(textOf(item))}`;
    case 'shorthand_property_identifier':
    case 'shorthand_property_identifier_pattern':
      return `key:${textOf(item)}`;
    case 'method_definition': {
      const modifiers = item.children.filter((c) => c.type === 'get' || c.type === 'set' || c.type === 'static');
      return `key:${modifiers.map((m) => m.type).join(' ')}${by('name') ?? squash(textOf(item))}`;
    }
    case 'enum_assignment':
    case 'property_signature':
    case 'method_signature':
    case 'keyword_argument':
    case 'enum_variant':
    case 'enum_constant':
      return `key:${by('name') ?? squash(textOf(item))}`;
    case 'jsx_attribute': {
      const name = item.children[0];
      return `key:${name ? textOf(name) : squash(textOf(item))}`;
    }
    case 'field_declaration': {
      const name = fieldOf(item, 'name');
      return name ? `key:${textOf(name)}` : squash(textOf(item));
    }
    case 'declaration': {
      const property = item.children.find((c) => c.type === 'property_name');
      return property ? `key:${textOf(property)}` : squash(textOf(item));
    }
    case 'import_spec':
      return `key:${by('path') ?? squash(textOf(item))}`;
    default:
      return squash(textOf(item));
  }
}
