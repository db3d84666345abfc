// Decorators (TypeScript, Python) and Rust attributes sit as siblings in front of what they decorate,
// so a side that adds one has one child more than base and a child-by-child merge has no answer. Here
// each side's children get their decorators grouped into one `(decorators)` node (empty where a side
// has none) that the tree merge then merges as a set (declaration-lists.ts).
import type { Tree } from './tree.js';

type Three<T> = [T, T, T];

const decoratorTypes = new Set(['decorator', 'attribute_item']);

/**
 * The three children lists with decorator runs grouped, or the lists unchanged when no side has a
 * decorator or the runs cannot be lined up (more than one run, or before different kinds of node).
 */
export function groupDecorators(lists: Three<Tree[]>): Three<Tree[]> {
  const flat = lists.map(flattenDecorated) as Three<Tree[]>;
  if (!flat.some((children) => children.some((c) => decoratorTypes.has(c.type)))) return lists;
  const runs = flat.map(findRun);
  if (runs.some((r) => r === 'irregular')) return lists;
  const targets = new Set(runs.flatMap((r) => (r && r !== 'irregular' ? [r.before] : [])));
  const [target] = targets;
  if (targets.size !== 1 || target === undefined) return lists;
  const grouped = flat.map((children, i) => withRun(children, runs[i] as Run | undefined, target));
  return grouped.some((g) => g === undefined) ? lists : (grouped as Three<Tree[]>);
}

interface Run {
  from: number;
  to: number;
  /** Type of the node the run decorates. */
  before: string;
}

/** A Python `decorated_definition` is its decorators plus the definition: look inside it. */
function flattenDecorated(children: Tree[]): Tree[] {
  return children.flatMap((c) => (c.type === 'decorated_definition' ? c.children : [c]));
}

function findRun(children: Tree[]): Run | 'irregular' | undefined {
  const first = children.findIndex((c) => decoratorTypes.has(c.type));
  if (first < 0) return undefined;
  let to = first;
  while (to < children.length && decoratorTypes.has((children[to] as Tree).type)) to++;
  const next = children[to];
  if (!next || children.slice(to).some((c) => decoratorTypes.has(c.type))) return 'irregular';
  return { from: first, to, before: next.type };
}

function withRun(children: Tree[], run: Run | undefined, before: string): Tree[] | undefined {
  if (run) {
    const members = children.slice(run.from, run.to);
    const start = (members[0] as Tree).start;
    const end = (members[members.length - 1] as Tree).end;
    const source = (members[0] as Tree).source;
    return [...children.slice(0, run.from), runNode(members, start, end, source), ...children.slice(run.to)];
  }
  const at = children.findIndex((c) => c.type === before);
  const next = children[at];
  if (!next) return undefined;
  return [...children.slice(0, at), runNode([], next.start, next.start, next.source), ...children.slice(at)];
}

function runNode(members: Tree[], start: number, end: number, source: string): Tree {
  return { type: '(decorators)', named: true, field: null, start, end, children: members, source };
}
