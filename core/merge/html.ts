// HTML merge: elements that sit on lines of their own are entries, keyed by their id (or by their tag
// where no sibling shares it: <head>, <main>, <footer>); elements holding such children are containers.
// The entry rules then apply as for code: two sides adding different sections under one parent both
// land. parse5 finds the elements. The merged page must carry exactly the ids the three-way rule asks
// for and no parse error the sides did not already have, or it is a conflict.
import type { DefaultTreeAdapterMap } from 'parse5';
import { parse } from 'parse5';
import type { Entry } from './entries.js';
import { joinEntries } from './entries.js';
import type { EntryConflict } from './merge-entries.js';
import { mergeEntries } from './merge-entries.js';
import { lineEnd, lineStart } from './segment.js';

type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['document'];
type Element = DefaultTreeAdapterMap['element'];

export interface HtmlMerge {
  text: string;
  conflicts: EntryConflict[];
  resolved: string[];
}

export function mergeHtml(base: string, ours: string, theirs: string): HtmlMerge | undefined {
  const sides = [base, ours, theirs].map(read);
  const [b, o, t] = sides;
  if (!b || !o || !t) return undefined;
  const merged = mergeEntries(b.entries, o.entries, t.entries);
  if (merged.conflicts.length > 0) return merged;
  const result = read(merged.text);
  const knownErrors = new Set([...b.errors, ...o.errors, ...t.errors]);
  const want = expected(b.ids, o.ids, t.ids);
  const ok =
    result !== undefined &&
    result.errors.every((e) => knownErrors.has(e)) &&
    result.ids.length === want.size &&
    result.ids.every((id) => want.has(id));
  return ok ? merged : { ...merged, conflicts: [{ symbol: '(file)', kind: 'both-modified' }] };
}

interface Page {
  entries: Entry[];
  ids: string[];
  errors: string[];
}

function read(text: string): Page | undefined {
  const errors: string[] = [];
  const doc = parse(text, { sourceCodeLocationInfo: true, onParseError: (e) => errors.push(e.code) });
  const ids: string[] = [];
  const collect = (node: Node) => {
    const id = isElement(node) ? idOf(node) : undefined;
    if (id !== undefined) ids.push(id);
    for (const child of childrenOf(node)) collect(child);
  };
  collect(doc);
  // Two elements with one id: the page is already ambiguous, keying by id would be too.
  if (new Set(ids).size !== ids.length) return undefined;
  const entries = segment(text, childrenOf(doc), 0, text.length, '');
  return entries && joinEntries(entries) === text ? { entries, ids, errors } : undefined;
}

function expected(b: string[], o: string[], t: string[]): Set<string> {
  const [bs, os, ts] = [new Set(b), new Set(o), new Set(t)];
  return new Set([...os, ...ts].filter((x) => (os.has(x) && ts.has(x)) || !bs.has(x)));
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function idOf(element: Element): string | undefined {
  return element.attrs.find((a) => a.name === 'id')?.value;
}

/** Child nodes, looking through the elements parse5 implies (<html>, <head>, <body> not in the text). */
function childrenOf(node: Node): Node[] {
  const children = 'childNodes' in node ? (node.childNodes as Node[]) : [];
  return children.flatMap((c) => (isElement(c) && !c.sourceCodeLocation ? childrenOf(c) : [c]));
}

function segment(text: string, nodes: Node[], rangeStart: number, rangeEnd: number, scope: string) {
  const elements = nodes.filter(isElement).filter((e) => ownLines(text, e));
  const tagCount = new Map<string, number>();
  for (const e of elements) tagCount.set(e.tagName, (tagCount.get(e.tagName) ?? 0) + 1);
  const entries: Entry[] = [];
  let cursor = rangeStart;
  for (const element of elements) {
    const location = element.sourceCodeLocation;
    if (!location) continue;
    const id = idOf(element);
    const name = id !== undefined ? `#${id}` : tagCount.get(element.tagName) === 1 ? `<${element.tagName}>` : undefined;
    const start = lineStart(text, location.startOffset);
    const end = lineEnd(text, location.endOffset);
    if (name === undefined || start < cursor || end > rangeEnd) continue;
    const full = scope ? `${scope} ${name}` : name;
    if (start > cursor) entries.push(gap(text, cursor, start, `symbol:${name}`));
    const entry: Entry = { key: `symbol:${name}`, kind: 'symbol', name: full, text: text.slice(start, end), start };
    const container = containerOf(text, element, start, end, full);
    if (container) entry.container = container;
    entries.push(entry);
    cursor = end;
  }
  if (cursor < rangeEnd) entries.push(gap(text, cursor, rangeEnd, 'END'));
  return entries;
}

/** Start and end tags on lines of their own, children between: merge the children one by one. */
function containerOf(text: string, element: Element, start: number, end: number, scope: string) {
  const location = element.sourceCodeLocation;
  const open = location?.startTag;
  const close = location?.endTag;
  if (!open || !close) return undefined;
  const headerEnd = lineEnd(text, open.endOffset);
  const footerStart = lineStart(text, close.startOffset);
  if (headerEnd > footerStart || text.slice(footerStart, close.startOffset).trim() !== '') return undefined;
  const members = segment(text, childrenOf(element), headerEnd, footerStart, scope);
  if (!members.some((m) => m.kind !== 'gap')) return undefined;
  return { header: text.slice(start, headerEnd), members, footer: text.slice(footerStart, end) };
}

function ownLines(text: string, element: Element): boolean {
  const location = element.sourceCodeLocation;
  if (!location) return false;
  const before = text.slice(lineStart(text, location.startOffset), location.startOffset);
  const after = text.slice(location.endOffset, lineEnd(text, location.endOffset));
  return before.trim() === '' && after.trim() === '';
}

function gap(text: string, start: number, end: number, next: string): Entry {
  return { key: `gap@${next}`, kind: 'gap', name: '(top-level code)', text: text.slice(start, end), start };
}
