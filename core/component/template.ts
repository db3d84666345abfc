// Jinja2 templates (nunjucks with Jinja2's semantics, see jinja.ts) in strict mode: a variable the
// context does not define is an error naming the variable, the file and the line, and saying how to
// pass it (`--var`).
import nunjucks from 'nunjucks';
import { UserError } from '../errors.js';
import { addJinjaFilters, FROMJSON_FAILED, installJinjaSemantics, METHOD_PRINTED, STR_METHODS } from './jinja.js';
import type { LineMap } from './yaml.js';

export interface AstNode {
  typename: string;
  lineno: number;
  colno: number;
  value?: unknown;
  fields?: string[];
  [field: string]: unknown;
}

const parser = (nunjucks as unknown as { parser: { parse(src: string): AstNode } }).parser;

installJinjaSemantics();

function makeEnv(strict: boolean): nunjucks.Environment {
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: strict });
  addJinjaFilters(env);
  return env;
}
const strictEnv = makeEnv(true);
const lenientEnv = makeEnv(false);

/**
 * Names a template needs from its context (free variables), each with the first line it is used on.
 * Names only used behind `| default(...)` or `is defined` are left out unless `includeGuarded`.
 */
export function freeVariables(source: string, file: string, includeGuarded = false): Map<string, number> {
  const ast = parseTemplate(source, file);
  const bound = new Set<string>(['loop', 'caller', 'super', 'self', 'true', 'false', 'none', 'True', 'False', 'None']);
  const guarded = new Set<string>();
  const used = new Map<string, number>();

  const rootSymbol = (node: unknown): string | undefined => {
    let n = node as AstNode | undefined;
    while (n && n.typename === 'LookupVal') n = n.target as AstNode;
    return n?.typename === 'Symbol' ? String(n.value) : undefined;
  };
  const bindTargets = (node: unknown): void => {
    const n = node as AstNode | undefined;
    if (!n) return;
    if (n.typename === 'Symbol') bound.add(String(n.value));
    else if (Array.isArray(n.children)) for (const c of n.children) bindTargets(c);
  };
  const visit = (node: unknown, skip?: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as AstNode;
    if (n === skip) return;
    switch (n.typename) {
      case 'Symbol':
        if (!used.has(String(n.value))) used.set(String(n.value), n.lineno + 1);
        return;
      case 'For':
      case 'AsyncEach':
      case 'AsyncAll':
        bindTargets(n.name);
        break;
      case 'Set':
        for (const t of (n.targets as unknown[]) ?? []) bindTargets(t);
        break;
      case 'Macro':
        bindTargets(n.name);
        for (const a of ((n.args as AstNode | undefined)?.children as unknown[]) ?? []) {
          bindTargets((a as AstNode).typename === 'KeywordArgs' ? undefined : a);
          if ((a as AstNode).typename === 'KeywordArgs') {
            for (const p of ((a as AstNode).children as AstNode[]) ?? []) bindTargets(p.key);
          }
        }
        break;
      case 'FromImport':
        for (const nm of ((n.names as AstNode | undefined)?.children as AstNode[]) ?? []) {
          bindTargets(nm.typename === 'Pair' ? nm.value : nm);
        }
        return;
      case 'Import':
        bindTargets(n.target);
        return;
      case 'Filter': {
        const filter = String((n.name as AstNode).value);
        const args = ((n.args as AstNode | undefined)?.children as unknown[]) ?? [];
        if ((filter === 'default' || filter === 'd') && args[0]) {
          const root = rootSymbol(args[0]);
          if (root) guarded.add(root);
          if (includeGuarded) visit(args[0]);
          for (const a of args.slice(1)) visit(a);
          return;
        }
        for (const a of args) visit(a);
        return;
      }
      case 'Is': {
        const right = n.right as AstNode;
        const test = String(right.typename === 'FunCall' ? (right.name as AstNode).value : right.value);
        if (test === 'defined' || test === 'undefined' || test === 'none') {
          const root = rootSymbol(n.left);
          if (root) guarded.add(root);
          if (includeGuarded) visit(n.left);
          return;
        }
        visit(n.left);
        if (right.typename === 'FunCall') visit(right.args);
        return;
      }
      case 'Pair':
        // Dict literal keys and keyword-argument names are not variables.
        if ((n.key as AstNode)?.typename !== 'Symbol') visit(n.key);
        visit(n.value);
        return;
      default:
        break;
    }
    for (const f of n.fields ?? []) {
      const child = n[f];
      if (Array.isArray(child)) for (const c of child) visit(c);
      else visit(child);
    }
  };
  visit(ast);
  const free = new Map<string, number>();
  for (const [name, line] of used) {
    if (!bound.has(name) && (includeGuarded || !guarded.has(name)) && !(name in strictGlobals)) free.set(name, line);
  }
  return free;
}
const strictGlobals: Record<string, unknown> = { range: 1, cycler: 1, joiner: 1 };

export function parseTemplate(source: string, file: string): AstNode {
  try {
    return parser.parse(source);
  } catch (err) {
    throw templateError(err, source, file, (l) => l);
  }
}

export interface RenderOptions {
  file: string;
  /** Explains a missing variable, e.g. where it could come from. Default: pass it with --var. */
  missingHint?: (name: string) => string;
  /** Names the context does not hold yet but will at a later stage; not reported as missing. */
  deferred?: readonly string[];
  /** Render without failing on undefined values (used only to peek at a task's name while planning). */
  lenient?: boolean;
}

export function defaultMissingHint(name: string): string {
  if (name === 'item' || name === 'item_index') {
    return `"${name}" is only defined in tasks expanded with for_each in component.yaml`;
  }
  if (name === 'tasks') return '"tasks" holds results of earlier tasks and is only available inside task files';
  return `pass it on the command line: --var ${name}=value`;
}

/** Checks that every free variable is in the context, then renders strictly. */
export function renderTemplate(source: string, context: Record<string, unknown>, options: RenderOptions): string {
  const { file } = options;
  if (!options.lenient) {
    for (const [name, line] of freeVariables(source, file)) {
      if (name in context || options.deferred?.includes(name)) continue;
      throw new UserError(`template variable "${name}" is not defined`, {
        location: { file, line },
        hint: (options.missingHint ?? defaultMissingHint)(name),
      });
    }
  }
  try {
    return (options.lenient ? lenientEnv : strictEnv).renderString(source, context);
  } catch (err) {
    throw templateError(err, source, file, (l) => l, context);
  }
}

/** Evaluates one expression (e.g. a for_each value) to a JSON value. */
export function evaluateExpression(
  expression: string,
  context: Record<string, unknown>,
  options: RenderOptions & { line?: number },
): unknown {
  const source = `{{ (${expression}) | tojson }}`;
  let out: string;
  try {
    out = renderTemplate(source, context, options);
  } catch (err) {
    if (err instanceof UserError && options.line !== undefined) {
      throw new UserError(err.message, { location: { ...err.location, line: options.line }, hint: err.hint ?? '' });
    }
    throw err;
  }
  return out === '' ? undefined : (JSON.parse(out) as unknown);
}

const JINJA_HINT =
  'templates use Jinja2 syntax: {{ variable }}, {% if cond %}...{% endif %}, {% for x in list %}...{% endfor %}';

/** Every `Filter` node named `name` in the template, with its line (1-based) and argument. */
function filterNodes(source: string, name: string): { line: number; arg: AstNode | undefined }[] {
  let ast: AstNode;
  try {
    ast = parser.parse(source);
  } catch {
    return [];
  }
  const out: { line: number; arg: AstNode | undefined }[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as AstNode;
    if (n.typename === 'Filter' && String((n.name as AstNode | undefined)?.value) === name) {
      const args = ((n.args as AstNode | undefined)?.children as AstNode[] | undefined) ?? [];
      out.push({ line: n.lineno + 1, arg: args[0] });
    }
    for (const f of n.fields ?? []) {
      const child = n[f];
      if (Array.isArray(child)) for (const c of child) visit(c);
      else visit(child);
    }
  };
  visit(ast);
  return out;
}

/** The variable an expression starts from (`x` of `x.a.b`), if it is one. */
function rootName(node: AstNode | undefined): string | undefined {
  let n = node;
  while (n && n.typename === 'LookupVal') n = n.target as AstNode;
  return n?.typename === 'Symbol' ? String(n.value) : undefined;
}

/** `fromjson` given text that is not JSON: the line of the filter and the variable it read. */
function fromJsonError(
  detail: string,
  source: string,
  file: string,
  context: Record<string, unknown>,
  mapLine: LineMap,
): UserError {
  const why = detail.slice(detail.indexOf(FROMJSON_FAILED) + FROMJSON_FAILED.length).trim();
  const nodes = filterNodes(source, 'fromjson');
  // The filter whose variable holds text that does not parse (the first one when none can tell).
  const bad =
    nodes.find((n) => {
      const name = rootName(n.arg);
      const value = name === undefined ? undefined : context[name];
      if (typeof value !== 'string') return false;
      try {
        JSON.parse(value);
        return false;
      } catch {
        return true;
      }
    }) ?? nodes[0];
  const name = rootName(bad?.arg);
  const value = name === undefined ? undefined : context[name];
  const shown =
    typeof value === 'string' ? ` (${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)})` : '';
  return new UserError(`${name ? `"${name}"${shown}` : 'the value given to fromjson'} is not valid JSON: ${why}`, {
    location: { file, ...(bad ? { line: mapLine(bad.line) } : {}) },
    hint: name
      ? `"${name} | fromjson" needs JSON; if it comes from the command line, quote it: --var ${name}='["a", "b"]' (or '{"key": "value"}')`
      : 'fromjson needs a JSON string',
  });
}

function templateError(
  err: unknown,
  source: string,
  file: string,
  mapLine: LineMap,
  context: Record<string, unknown> = {},
): UserError {
  if (err instanceof UserError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const pos = /\[Line (\d+), Column (\d+)\]/.exec(raw);
  const text = ((pos ? raw.split('\n').slice(1).join(' ').trim() : '') || raw).replace(/^\(unknown path\)\s*/, '');
  // nunjucks numbers parse errors from 1 but errors raised while rendering from 0; those wrap the
  // JavaScript error they caught, whose name starts the message ("Error: ...", "TypeError: ...").
  const runtime = /^\w*Error: /.test(text);
  const detail = text.replace(/^\w*Error: /, '');
  if (detail.includes(FROMJSON_FAILED)) return fromJsonError(detail, source, file, context, mapLine);
  const errLine = (err as { lineno?: unknown }).lineno;
  const reported = pos ? Number(pos[1]) : typeof errLine === 'number' ? errLine : undefined;
  const line =
    lineFromMessage(detail, source) ?? (reported !== undefined ? reported + (runtime && pos ? 1 : 0) : undefined);
  const at = { file, ...(line !== undefined ? { line: mapLine(line) } : {}) };
  if (/attempted to output null or undefined value/.test(detail) && line !== undefined) {
    const expr = expressionAt(source, line, Number(pos?.[2] ?? 1));
    return new UserError(`template value ${expr ? `"${expr}" ` : ''}is undefined`, {
      location: at,
      hint: expr?.startsWith('tasks.')
        ? 'only tasks that ran earlier in this component have results; check the task name, or guard it with "| default(...)"'
        : 'check the variable and field names, pass missing values with --var name=value, or use "| default(...)"',
    });
  }
  if (/end of file/.test(detail)) {
    const lines = source.replace(/\n$/, '').split('\n');
    const opened = unclosedBlockLine(lines);
    const tag = opened !== undefined ? /\{%-?\s*(\w+)/.exec(lines[opened - 1]!.slice(0))?.[1] : undefined;
    if (tag)
      return new UserError(`template error: {% ${tag} %} is never closed`, {
        location: at,
        hint: `add {% end${tag} %} where the block ends`,
      });
  }
  if (/^Cannot read properties of (null|undefined)/.test(detail)) {
    const open = unclosedTagLine(source);
    if (open)
      return new UserError(`template error: "${open.text}" is never closed`, {
        location: { file, line: mapLine(open.line) },
        hint: `finish the expression and close it with ${open.close}, e.g. {{ repo }}`,
      });
  }
  const call = /Unable to call `(.+)`, which is (undefined or falsey|not a function)/.exec(detail);
  if (call) {
    const what = readableCall(call[1]!);
    return new UserError(`template error: ${what}(...) is not a method or function that exists here`, {
      location: at,
      hint: `text values have the methods ${Object.keys(STR_METHODS).join(', ')}; filters are written with "|", e.g. {{ name | upper }}`,
    });
  }
  if (detail.includes(METHOD_PRINTED)) {
    return new UserError(`template error: ${METHOD_PRINTED}`, {
      location: at,
      hint: 'call it with parentheses, e.g. {{ name.upper() }}, or print a value instead',
    });
  }
  const unknown = /(filter|test) not found: (\w+)|no (filter|test) named '(\w+)'/.exec(detail);
  if (unknown) {
    const kind = unknown[1] ?? unknown[3];
    const name = unknown[2] ?? unknown[4];
    return new UserError(`template error: unknown ${kind} "${name}"`, {
      location: at,
      hint:
        kind === 'filter'
          ? 'check its spelling; Jinja2 filters dkmv knows include default, join, length, lower, upper, replace, trim, tojson, fromjson, selectattr, map, list'
          : 'check its spelling; tests dkmv knows include defined, none, string, number, mapping, sequence, equalto, in',
    });
  }
  return new UserError(`template error: ${detail}`, { location: at, hint: JINJA_HINT });
}

/** `x["a"]["b"]` (nunjucks' rendering of a lookup) back as the template wrote it: `x.a.b`. */
function readableCall(text: string): string {
  return text.replace(/the return value of \(([^()]*)\)/g, '$1(...)').replace(/\["([^"\]]+)"\]/g, '.$1');
}

/** A line for errors nunjucks reports without one (or with a poor one): an unclosed block, an unknown filter or test. */
function lineFromMessage(detail: string, source: string): number | undefined {
  const lines = source.replace(/\n$/, '').split('\n');
  if (/end of file/.test(detail)) return unclosedBlockLine(lines) ?? lines.length;
  const name = /(?:filter|test) not found: (\w+)|no (?:filter|test) named '(\w+)'/.exec(detail);
  const word = name?.[1] ?? name?.[2];
  if (word) {
    const at = lines.findIndex((l) => new RegExp(`(\\|\\s*|\\bis\\s+(not\\s+)?|["'])${word}\\b`).test(l));
    return at >= 0 ? at + 1 : undefined;
  }
  return undefined;
}

/** The line of the last block tag left open (`{% if %}` with no `{% endif %}`), for "end of file" errors. */
function unclosedBlockLine(lines: string[]): number | undefined {
  const open: { tag: string; line: number }[] = [];
  lines.forEach((text, i) => {
    for (const m of text.matchAll(/\{%-?\s*(\w+)/g)) {
      const tag = m[1]!;
      if (/^(if|for|macro|block|raw|call|filter|set)$/.test(tag)) {
        // `{% set x = 1 %}` has no end tag; only `{% set x %}...{% endset %}` does.
        if (tag === 'set' && /=/.test(text.slice(m.index))) continue;
        open.push({ tag, line: i + 1 });
      } else if (tag.startsWith('end')) {
        const at = open.map((o) => o.tag).lastIndexOf(tag.slice(3));
        if (at >= 0) open.splice(at);
      }
    }
  });
  return open.at(-1)?.line;
}

/** The first `{{` or `{%` with no closing `}}` / `%}` after it (nunjucks' parser fails on it without a line). */
function unclosedTagLine(source: string): { line: number; text: string; close: string } | undefined {
  for (const m of source.matchAll(/\{\{|\{%/g)) {
    const close = m[0] === '{{' ? '}}' : '%}';
    const next = source.indexOf(close, m.index + 2);
    const reopen = source.slice(m.index + 2).search(/\{\{|\{%/);
    if (next >= 0 && (reopen < 0 || next < m.index + 2 + reopen)) continue;
    const line = source.slice(0, m.index).split('\n').length;
    const text = source.slice(m.index).split('\n')[0]!.trim();
    return { line, text: text.length > 40 ? `${text.slice(0, 40)}…` : text, close };
  }
  return undefined;
}

function expressionAt(source: string, line: number, column: number): string | undefined {
  const text = source.split('\n')[line - 1];
  if (text === undefined) return undefined;
  const start = text.indexOf('{{', Math.max(0, column - 1));
  const from = start >= 0 ? start : text.lastIndexOf('{{', column);
  if (from < 0) return undefined;
  const end = text.indexOf('}}', from);
  if (end < 0) return undefined;
  return text
    .slice(from + 2, end)
    .replace(/^-|-$/g, '')
    .trim();
}

/**
 * Maps lines of the rendered text back to template lines by aligning identical lines (longest common
 * subsequence); lines a template produced map to the template line between the same anchors.
 */
export function lineMapFor(source: string, rendered: string): LineMap {
  const a = source.split('\n');
  const b = rendered.split('\n');
  if (a.length === b.length) return (line) => line;
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) return (line) => Math.min(line, n);
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const map = new Array<number>(m + 1).fill(0);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      map[j + 1] = i + 1;
      i++;
      j++;
    } else if (lcs[i]![j + 1]! >= lcs[i + 1]![j]!) {
      // A rendered line the template produced: it belongs to the current template line.
      map[j + 1] = i + 1;
      j++;
    } else {
      i++;
    }
  }
  while (j < m) {
    map[j + 1] = Math.min(i + 1, n);
    j++;
  }
  return (line) => map[line] || Math.min(line, n);
}
