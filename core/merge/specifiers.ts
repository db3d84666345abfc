// Imports merge as sets of names: `import { a } from 'x'` + one side adding `b` + the other adding `c`
// gives `import { a, b, c } from 'x'`; a name one side removed stays removed if the other side kept it.
// The text around the names (the `import {`, `} from 'x';` parts) is merged as a whole.
import type { Entry, SpecifierList } from './entries.js';
import type { SyntaxNode } from './parser.js';

const listHolders: Record<string, string> = {
  named_imports: 'import_specifier',
  export_clause: 'export_specifier',
};

/** Locates the named specifiers of an import/export statement inside the entry text [start, end). */
export function specifierList(
  text: string,
  declaration: SyntaxNode,
  start: number,
  end: number,
): SpecifierList | undefined {
  const items = specifierNodes(declaration);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return undefined;
  const second = items[1];
  const separator = second ? text.slice(first.endIndex, second.startIndex) : guessSeparator(text, first, start);
  // Mixed separators (a comment between names, uneven line breaks) would not survive a rebuild.
  for (let i = 1; i < items.length; i++) {
    if (text.slice((items[i - 1] as SyntaxNode).endIndex, (items[i] as SyntaxNode).startIndex) !== separator)
      return undefined;
  }
  return {
    prefix: text.slice(start, first.startIndex),
    items: items.map((n) => n.text),
    separator,
    suffix: text.slice(last.endIndex, end),
  };
}

function specifierNodes(declaration: SyntaxNode): SyntaxNode[] {
  if (declaration.type === 'import_from_statement') {
    const module = declaration.childForFieldName('module_name');
    return declaration.namedChildren.filter(
      (c): c is SyntaxNode =>
        c !== null && c.id !== module?.id && (c.type === 'dotted_name' || c.type === 'aliased_import'),
    );
  }
  const assigned = declaration.namedChildren[0]?.childForFieldName('right');
  if (declaration.type === 'expression_statement' && assigned?.type === 'object') {
    // module.exports = { a, b }: only a list of bare names is a set; `key: value` pairs are not.
    const items = assigned.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
    return items.every((c) => c.type === 'shorthand_property_identifier') ? items : [];
  }
  const pattern = declaration.namedChildren[0]?.childForFieldName('name');
  if (pattern?.type === 'object_pattern') {
    const items = pattern.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
    return items.every((c) => c.type === 'shorthand_property_identifier_pattern') ? items : [];
  }
  for (const child of declaration.namedChildren) {
    if (!child) continue;
    const itemType = listHolders[child.type];
    if (itemType) return child.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type === itemType);
    const nested = specifierNodes(child);
    if (nested.length > 0) return nested;
  }
  return [];
}

/** With a single name there is no separator to copy: a new line + indent if the list is broken. */
function guessSeparator(text: string, first: SyntaxNode, start: number): string {
  const before = text.slice(start, first.startIndex);
  const indent = /\n([ \t]*)$/.exec(before);
  return indent ? `,\n${indent[1] ?? ''}` : ', ';
}

export interface SpecifierMerge {
  text: string;
}

/**
 * Merges the names of one import across base/ours/theirs (a missing side counts as no names).
 * Returns undefined when the statement text around the names changed on both sides differently.
 */
export function mergeSpecifiers(
  base: Entry | undefined,
  ours: Entry | undefined,
  theirs: Entry | undefined,
): string | undefined {
  const lists = [base, ours, theirs].map((e) => e?.specifiers);
  const [b, o, t] = lists;
  if ((base && !b) || (ours && !o) || (theirs && !t)) return undefined;
  if (!o && !t) return '';
  // Prefix, separator and suffix are one layout: taken together from one side, never mixed (a
  // parenthesised one-name-per-line import and a one-line rewrite of it do not combine).
  const frame = pickFrame(b, o, t);
  if (!frame) return undefined;
  const names = mergeNames(b?.items ?? [], o?.items ?? [], t?.items ?? []);
  if (names.length === 0) return '';
  return frame.prefix + names.join(frame.separator) + frame.suffix;
}

/** Three-way pick of the layout around the names; a side that deleted the import has no opinion. */
function pickFrame(
  b: SpecifierList | undefined,
  o: SpecifierList | undefined,
  t: SpecifierList | undefined,
): SpecifierList | undefined {
  const layout = (x: SpecifierList | undefined) =>
    x === undefined ? undefined : [x.prefix, x.separator, x.suffix].join('\u0000');
  const [lb, lo, lt] = [layout(b), layout(o), layout(t)];
  if (o === undefined) return t;
  if (t === undefined) return o;
  if (lo === lt || lt === lb) return o;
  if (lo === lb) return t;
  return undefined;
}

/** Keeps ours' order, then appends what only theirs added; removals on either side stand. */
function mergeNames(base: string[], ours: string[], theirs: string[]): string[] {
  const key = (s: string) => s.replace(/\s+/g, ' ').trim();
  const inBase = new Set(base.map(key));
  const inOurs = new Set(ours.map(key));
  const inTheirs = new Set(theirs.map(key));
  const keep = (name: string) => {
    const k = key(name);
    if (!inBase.has(k)) return true;
    return inOurs.has(k) && inTheirs.has(k);
  };
  const result = ours.filter(keep);
  const seen = new Set(result.map(key));
  for (const name of theirs) {
    if (!seen.has(key(name)) && keep(name)) {
      result.push(name);
      seen.add(key(name));
    }
  }
  return result;
}
