// The text of a merged JSON value, built from the sides' own bytes: a value that equals one side's
// value there is copied from that side as written (its spacing, its line breaks, its comments); an
// object or array both sides changed is rebuilt from ours' frame (brackets, separators, indentation)
// with each member's text taken from the side it came from. Only freshly computed scalars are printed.
// Returns undefined where ours' layout is irregular (comments between members): json.ts then edits
// ours' text toward the value instead.
import type { Node } from 'jsonc-parser';
import { getNodeValue, parseTree } from 'jsonc-parser';
import { mergeOrder } from './layout.js';
import type { Value } from './values.js';
import { same } from './values.js';

type Side = { node: Node; text: string } | undefined;

export function jsonText(base: string, ours: string, theirs: string, target: Value): string | undefined {
  const [b, o, t] = [base, ours, theirs].map((text) => {
    const node = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    return node ? { node, text } : undefined;
  });
  if (!o) return undefined;
  const body = valueText(b, o, t, target);
  if (body === undefined) return undefined;
  return ours.slice(0, o.node.offset) + body + ours.slice(o.node.offset + o.node.length);
}

const slice = (s: NonNullable<Side>) => s.text.slice(s.node.offset, s.node.offset + s.node.length);
const valueOf = (s: Side): Value => (s ? (getNodeValue(s.node) as Value) : undefined);

function valueText(b: Side, o: Side, t: Side, target: Value): string | undefined {
  for (const side of [o, t, b]) if (side && same(valueOf(side), target)) return slice(side);
  if (isObject(target) && o?.node.type === 'object') return objectText(b, o, t, target);
  if (Array.isArray(target) && o?.node.type === 'array') return arrayText(b, o, t, target);
  if (isObject(target) || Array.isArray(target)) return undefined;
  return JSON.stringify(target);
}

function member(side: Side, key: string): { prop: Node; value: Side } | undefined {
  const prop = side?.node.children?.find((p) => p.children?.[0]?.value === key);
  const value = prop?.children?.[1];
  return side && prop && value ? { prop, value: { node: value, text: side.text } } : undefined;
}

function objectText(b: Side, o: NonNullable<Side>, t: Side, target: Record<string, Value>): string | undefined {
  const frame = frameOf(o, t);
  if (!frame) return undefined;
  const parts: string[] = [];
  const keysOf = (side: Side) => (side?.node.children ?? []).map((p) => String(p.children?.[0]?.value));
  const order = mergeOrder(keysOf(b), keysOf(o), keysOf(t), new Set(Object.keys(target)));
  if (order.length !== Object.keys(target).length) return undefined;
  for (const key of order) {
    const own = member(o, key) ?? member(t, key) ?? member(b, key);
    const text = valueText(member(b, key)?.value, member(o, key)?.value, member(t, key)?.value, target[key]);
    if (text === undefined) return undefined;
    const head = own && headOf(own.prop, own.value?.text ?? '');
    parts.push(`${head ?? `${JSON.stringify(key)}: `}${text}`);
  }
  return frame.open + parts.join(frame.separator) + frame.close;
}

/** `"key": ` as written, up to the value. */
function headOf(prop: Node, text: string): string | undefined {
  const value = prop.children?.[1];
  return value ? text.slice(prop.offset, value.offset) : undefined;
}

function arrayText(b: Side, o: NonNullable<Side>, t: Side, target: Value[]): string | undefined {
  const frame = frameOf(o, t);
  if (!frame) return undefined;
  const pools = [o, t, b].map((side) => (side?.node.children ?? []).map((node) => ({ node, text: side?.text ?? '' })));
  const used = new Set<Node>();
  const parts: string[] = [];
  for (const value of target) {
    const found = pools.flat().find((s) => !used.has(s.node) && same(getNodeValue(s.node) as Value, value));
    if (found) used.add(found.node);
    else if (isObject(value) || Array.isArray(value)) return undefined;
    parts.push(found ? slice(found) : JSON.stringify(value));
  }
  return frame.open + parts.join(frame.separator) + frame.close;
}

interface Frame {
  open: string;
  separator: string;
  close: string;
}

/** Brackets and separators of ours, or of theirs where ours has too few members to show them. */
function frameOf(o: NonNullable<Side>, t: Side): Frame | undefined {
  for (const side of [o, t]) {
    const kids = side?.node.children ?? [];
    if (!side || kids.length < 2 || side.node.type !== o.node.type) continue;
    const seps = kids.slice(1).map((k, i) => side.text.slice(end(kids[i] as Node), k.offset));
    if (seps.some((s) => s !== seps[0] || /\/[/*]/.test(s))) return undefined;
    const first = kids[0] as Node;
    const last = kids[kids.length - 1] as Node;
    const whole = slice(side);
    return {
      open: whole.slice(0, first.offset - side.node.offset),
      separator: seps[0] as string,
      close: whole.slice(end(last) - side.node.offset),
    };
  }
  return singleMemberFrame(o);
}

/** One member: a one-line value separates with `, `, a broken one puts each member on its own line. */
function singleMemberFrame(o: NonNullable<Side>): Frame | undefined {
  const only = o.node.children?.length === 1 ? o.node.children[0] : undefined;
  if (!only) return undefined;
  const whole = slice(o);
  const open = whole.slice(0, only.offset - o.node.offset);
  const close = whole.slice(end(only) - o.node.offset);
  if (/\/[/*]/.test(open + close)) return undefined;
  const indent = /\n([ \t]*)$/.exec(open);
  return { open, close, separator: indent ? `,\n${indent[1] ?? ''}` : ', ' };
}

const end = (n: Node) => n.offset + n.length;

function isObject(v: Value): v is Record<string, Value> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
