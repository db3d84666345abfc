// Cuts a parsed file (or a class body) into entries at line boundaries.
// Each entry owns whole lines: the blank lines before it, comments glued to it (a doc comment with no
// blank line in between), its own lines, and anything else sharing those lines. Consecutive nodes with
// the same name (overloads, a Python property and its setter) form one entry. Text that belongs to no
// symbol or import becomes a gap entry, named after the entry that follows it, so edits to top-level
// statements and comments merge as text between two fixed points.
import type { Container, Entry, EntryKind } from './entries.js';
import type { NodeRole } from './keys.js';
import { memberRole, topLevelRole } from './keys.js';
import type { LanguageId } from './languages.js';
import type { SyntaxNode } from './parser.js';
import { withParse } from './parser.js';
import { specifierList } from './specifiers.js';

interface Unit {
  start: number;
  end: number;
  /** Where the first node's line begins; start..firstLine is leading blank space. */
  firstLine: number;
  role: NodeRole;
  nodes: SyntaxNode[];
}

/** Segments a whole file; undefined when it does not parse. */
export function segmentFile(text: string, language: LanguageId): Entry[] | undefined {
  return withParse(text, language, (root) => segmentRoot(text, root));
}

/** Segments a file already parsed (without errors) into `root`. */
export function segmentRoot(text: string, root: SyntaxNode): Entry[] {
  return segmentRange(text, root.namedChildren.filter(isNode), 0, text.length, topLevelRole, '');
}

function isNode(n: SyntaxNode | null): n is SyntaxNode {
  return n !== null;
}

function segmentRange(
  text: string,
  nodes: SyntaxNode[],
  rangeStart: number,
  rangeEnd: number,
  roleOf: (n: SyntaxNode) => NodeRole,
  scope: string,
): Entry[] {
  const units = attachDocstrings(attachComments(buildUnits(text, nodes, rangeStart, rangeEnd, roleOf)));
  const entries: Entry[] = [];
  let pendingGap: Unit[] = [];
  for (const unit of units) {
    if (unit.role.kind === 'other') {
      pendingGap.push(unit);
      continue;
    }
    const entry = unitEntry(text, unit, scope);
    if (pendingGap.length > 0) entries.push(gapEntry(text, pendingGap, entry.key, unit.start));
    pendingGap = [];
    const previous = entries[entries.length - 1];
    // Overloads and property/setter pairs: one symbol, merged as one. A repeated import stays apart
    // (it becomes `key#2`), so that one side adding an import twice can come out once.
    if (previous && previous.key === entry.key && !previous.container && entry.kind !== 'import') {
      previous.text += entry.text;
      delete previous.specifiers;
    } else entries.push(entry);
  }
  const last = units[units.length - 1];
  const tailStart = last ? last.end : rangeStart;
  if (pendingGap.length > 0 || tailStart < rangeEnd) {
    const gap = gapEntry(text, pendingGap, 'END', tailStart);
    gap.text += text.slice(tailStart, rangeEnd);
    entries.push(gap);
  }
  return uniqueKeys(entries);
}

/** One unit per run of lines: nodes sharing a line fall into the same unit. */
function buildUnits(
  text: string,
  nodes: SyntaxNode[],
  rangeStart: number,
  rangeEnd: number,
  roleOf: (n: SyntaxNode) => NodeRole,
): Unit[] {
  const units: Unit[] = [];
  let cursor = rangeStart;
  for (const node of nodes) {
    const firstLine = Math.max(lineStart(text, node.startIndex), cursor);
    const end = Math.min(lineEnd(text, node.endIndex), rangeEnd);
    const role = roleOf(node);
    const previous = units[units.length - 1];
    if (previous && node.startIndex < previous.end) {
      previous.end = Math.max(previous.end, end);
      previous.nodes.push(node);
      if (previous.role.kind === 'other' && role.kind !== 'other') previous.role = role;
      else if (previous.role.kind !== 'other' && role.kind !== 'other') previous.role = combine(previous.role, role);
    } else {
      units.push({ start: cursor, end, firstLine, role, nodes: [node] });
    }
    cursor = Math.max(cursor, end);
  }
  return units;
}

/** Two symbols written on one line (`const a = 1; const b = 2;`) are one entry named after both. */
function combine(a: NodeRole, b: NodeRole): NodeRole {
  if (a.kind === 'other' || b.kind === 'other') return a;
  return { kind: 'symbol', name: `${a.name}+${b.name}`, declaration: a.declaration };
}

/** A comment block directly above a symbol (no blank line between) documents it: keep them together. */
function attachComments(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] as Unit;
    let j = i;
    while (j < units.length && isCommentUnit(units[j] as Unit)) {
      const next = units[j + 1];
      if (!next || next.start !== next.firstLine) break;
      j++;
    }
    const target = units[j];
    if (j > i && target && target.role.kind !== 'other') {
      out.push({ ...target, start: unit.start, firstLine: unit.firstLine, nodes: [...unit.nodes, ...target.nodes] });
      i = j;
    } else out.push(unit);
  }
  return out;
}

/**
 * Python documents an attribute with a string on the line below it (`x = 1` then `"""About x."""`):
 * that string belongs to the attribute, or a merge could leave it under a different one.
 */
function attachDocstrings(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  for (const unit of units) {
    const previous = out[out.length - 1];
    const isDocstring =
      unit.role.kind === 'other' &&
      unit.nodes.length === 1 &&
      unit.nodes[0]?.type === 'expression_statement' &&
      unit.nodes[0].namedChildren.length === 1 &&
      unit.nodes[0].namedChildren[0]?.type === 'string';
    const documentsPrevious =
      previous?.role.kind === 'symbol' &&
      previous.role.declaration.type === 'expression_statement' &&
      unit.start === unit.firstLine;
    if (isDocstring && previous && documentsPrevious) {
      previous.end = unit.end;
      previous.nodes.push(...unit.nodes);
    } else out.push(unit);
  }
  return out;
}

/** Comments, Python decorators and Rust attributes (`#[derive(...)]`) belong to what follows them. */
const leading = new Set(['comment', 'line_comment', 'block_comment', 'decorator', 'attribute_item']);

function isCommentUnit(unit: Unit): boolean {
  return unit.nodes.every((n) => leading.has(n.type));
}

function unitEntry(text: string, unit: Unit, scope: string): Entry {
  const role = unit.role as Exclude<NodeRole, { kind: 'other' }>;
  const kind: EntryKind = role.kind;
  const name = scope ? `${scope}.${role.name}` : role.name;
  const entry: Entry = {
    key: `${kind}:${role.name}`,
    kind,
    name,
    text: text.slice(unit.start, unit.end),
    start: unit.start,
  };
  if (kind === 'import') {
    const list = specifierList(text, role.declaration, unit.start, unit.end);
    if (list) entry.specifiers = list;
  } else {
    const container = containerOf(text, role.declaration, unit.start, unit.end, name);
    if (container) entry.container = container;
  }
  return entry;
}

function gapEntry(text: string, units: Unit[], nextKey: string, at: number): Entry {
  const first = units[0];
  const last = units[units.length - 1];
  const body = first && last ? text.slice(first.start, last.end) : '';
  return { key: `gap@${nextKey}`, kind: 'gap', name: '(top-level code)', text: body, start: first?.start ?? at };
}

/** Keys stay unique: a second, separate `foo` becomes `foo#2`. */
function uniqueKeys(entries: Entry[]): Entry[] {
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const count = (seen.get(entry.key) ?? 0) + 1;
    seen.set(entry.key, count);
    if (count > 1) entry.key = `${entry.key}#${count}`;
  }
  return entries;
}

const bodyHolders = new Set([
  'class_declaration',
  'abstract_class_declaration',
  'interface_declaration',
  'class',
  'class_definition',
  // Rust
  'impl_item',
  'trait_item',
  'mod_item',
  // Java
  'record_declaration',
]);

/** CSS at-rules whose block holds rules. */
const ruleHolders = new Set(['media_statement', 'supports_statement']);

/** Finds the class/interface body inside a (possibly exported, decorated or declared) declaration. */
function findBody(node: SyntaxNode): SyntaxNode | undefined {
  if (bodyHolders.has(node.type)) return node.childForFieldName('body') ?? undefined;
  if (ruleHolders.has(node.type)) return node.namedChildren.find((c) => c?.type === 'block') ?? undefined;
  const inner =
    node.childForFieldName('declaration') ??
    node.childForFieldName('definition') ??
    node.childForFieldName('value') ??
    (node.type === 'ambient_declaration' ? node.namedChildren[0] : null);
  return inner ? findBody(inner) : undefined;
}

/** Splits a class or interface into header, members and footer when members sit on their own lines. */
function containerOf(text: string, declaration: SyntaxNode, start: number, end: number, scope: string) {
  const body = findBody(declaration);
  if (!body) return undefined;
  const members = body.namedChildren.filter(isNode);
  const first = members[0];
  const last = members[members.length - 1];
  if (!first || !last) return undefined;
  const braced = body.type !== 'block';
  const headerEnd = braced ? lineEnd(text, body.startIndex + 1) : lineStart(text, first.startIndex);
  if (headerEnd > lineStart(text, first.startIndex) || headerEnd <= declaration.startIndex) return undefined;
  const footerStart = braced ? lineStart(text, body.endIndex - 1) : Math.min(lineEnd(text, last.endIndex), end);
  if (lineEnd(text, last.endIndex) > footerStart || footerStart > end || headerEnd < start) return undefined;
  const container: Container = {
    header: text.slice(start, headerEnd),
    members: segmentRange(text, members, headerEnd, footerStart, memberRole, scope),
    footer: text.slice(footerStart, end),
  };
  return container;
}

export function lineStart(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

/** Index just past the newline that ends the line containing `index - 1` (the node's last character). */
export function lineEnd(text: string, index: number): number {
  const newline = text.indexOf('\n', Math.max(index - 1, 0));
  return newline < 0 ? text.length : newline + 1;
}
