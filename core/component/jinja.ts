// Jinja2's semantics on top of nunjucks (DKMV renders with Jinja2; its components rely on them):
// values print as Python prints them ({'a': 1}, [1, 'x'], True, None), empty lists and dicts are
// false (also for `and`/`or`/`not`, which return operands as Python does), `True/False/None`,
// Python slices and dict methods (nunjucks' Jinja compatibility layer), and Jinja2's filters
// `selectattr`/`rejectattr` with tests, `map`, `join`, `tojson`. Installed once per process.
import nunjucks from 'nunjucks';

/** Python's truth value: empty strings, lists and dicts, 0, None and undefined are false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.keys(value).length > 0;
  }
  return Boolean(value);
}

function pyString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** `repr()` of a JSON-like value, as Python prints values inside a list or dict. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return pyString(value);
  return pyStr(value);
}

/** `str()` of a JSON-like value: what `{{ value }}` prints in Jinja2. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyString(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** Python's json.dumps with sort_keys: `", "`/`": "` separators, or `indent` spaces per level. */
function dumps(value: unknown, indent: number | undefined, level = 0): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const pad = (n: number): string => (indent === undefined ? '' : `\n${' '.repeat(indent * n)}`);
  const sep = indent === undefined ? ', ' : ',';
  const items = Array.isArray(value)
    ? value.map((v) => dumps(v, indent, level + 1))
    : Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}: ${dumps((value as Record<string, unknown>)[k], indent, level + 1)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (!items.length) return open + close;
  return `${open}${pad(level + 1)}${items.join(sep + pad(level + 1))}${pad(level)}${close}`;
}

/** Jinja2's `tojson`: sorted keys, `<>&'` escaped so the text is safe inside HTML. */
function tojson(value: unknown, indent?: unknown): string {
  const spaces = typeof indent === 'number' ? indent : keyword(indent, 'indent');
  return dumps(value, typeof spaces === 'number' ? spaces : undefined)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027');
}

/** The value of keyword argument `name` when nunjucks passed keyword arguments as `arg`. */
function keyword(arg: unknown, name: string): unknown {
  if (arg && typeof arg === 'object' && (arg as { __keywords?: boolean }).__keywords) {
    return (arg as Record<string, unknown>)[name];
  }
  return undefined;
}

type Test = (value: unknown, ...args: unknown[]) => boolean;
const TESTS: Record<string, Test> = {
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
  none: (v) => v === null,
  equalto: (v, o) => v === o,
  eq: (v, o) => v === o,
  '==': (v, o) => v === o,
  ne: (v, o) => v !== o,
  '!=': (v, o) => v !== o,
  in: (v, o) => (Array.isArray(o) || typeof o === 'string' ? o.includes(v as string) : false),
  truthy: (v) => truthy(v),
  falsy: (v) => !truthy(v),
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  mapping: (v) => Boolean(v) && typeof v === 'object' && !Array.isArray(v),
  sequence: (v) => Array.isArray(v) || typeof v === 'string',
  gt: (v, o) => (v as number) > (o as number),
  lt: (v, o) => (v as number) < (o as number),
  ge: (v, o) => (v as number) >= (o as number),
  le: (v, o) => (v as number) <= (o as number),
};

function attrOf(item: unknown, attr: string): unknown {
  let v: unknown = item;
  for (const part of attr.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

function selectByAttr(keep: boolean) {
  return (items: unknown, attr: string, test?: string, ...args: unknown[]): unknown[] => {
    const list = Array.isArray(items) ? items : [];
    const fn = test === undefined ? (v: unknown) => truthy(v) : TESTS[test];
    if (!fn) throw new Error(`no test named '${test}'`);
    return list.filter((item) => fn(attrOf(item, attr), ...args) === keep);
  };
}

function map(items: unknown, ...args: unknown[]): unknown[] {
  const list = Array.isArray(items) ? items : [];
  const attribute = keyword(args[args.length - 1], 'attribute');
  if (typeof attribute === 'string') {
    const fallback = keyword(args[args.length - 1], 'default');
    return list.map((item) => attrOf(item, attribute) ?? fallback);
  }
  const filter = args[0];
  if (typeof filter !== 'string') throw new Error('map needs a filter name or attribute=...');
  const fn = env?.getFilter(filter) as ((v: unknown, ...a: unknown[]) => unknown) | undefined;
  if (!fn) throw new Error(`no filter named '${filter}'`);
  return list.map((item) => fn(item, ...args.slice(1)));
}

const escapeRe = (s: string): string => s.replace(/[-.*+?^${}()|[\]\\]/g, '\\$&');
const trimRe = (chars: unknown, side: 'l' | 'r' | 'b'): RegExp => {
  const set = typeof chars === 'string' ? `[${escapeRe(chars)}]` : '\\s';
  return new RegExp(side === 'l' ? `^${set}+` : side === 'r' ? `${set}+$` : `^${set}+|${set}+$`, 'g');
};
/** The message when a template prints a method or function instead of calling it. */
export const METHOD_PRINTED = 'a method or function was printed instead of called';

/** Starts the message of a `fromjson` that was given text that is not JSON. */
export const FROMJSON_FAILED = 'fromjson: not valid JSON:';

/** Python str methods, for `value.method(...)` in templates. */
export const STR_METHODS: Record<string, (s: string, ...a: unknown[]) => unknown> = {
  strip: (s, c) => s.replace(trimRe(c, 'b'), ''),
  lstrip: (s, c) => s.replace(trimRe(c, 'l'), ''),
  rstrip: (s, c) => s.replace(trimRe(c, 'r'), ''),
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  startswith: (s, p) => s.startsWith(String(p)),
  endswith: (s, p) => s.endsWith(String(p)),
  split: (s, sep) => (typeof sep === 'string' ? s.split(sep) : s.trim().split(/\s+/).filter(Boolean)),
  replace: (s, a, b) => s.split(String(a)).join(String(b)),
  title: (s) => s.replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()),
  capitalize: (s) => (s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s),
  join: (s, items) => (Array.isArray(items) ? items.map(pyStr).join(s) : ''),
  format: (s, ...args) => {
    let i = 0;
    return s.replace(/\{\}/g, () => pyStr(args[i++]));
  },
};

let env: nunjucks.Environment | undefined;

/** Jinja2 filters DKMV's components use, on an environment. */
export function addJinjaFilters(environment: nunjucks.Environment): void {
  env ??= environment;
  environment.addFilter('tojson', tojson);
  environment.addFilter('fromjson', (v: unknown) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch (err) {
      // Marked so template.ts can name the expression (and the --var) that held the bad text.
      throw new Error(`${FROMJSON_FAILED} ${(err as Error).message}`);
    }
  });
  environment.addFilter('selectattr', selectByAttr(true));
  environment.addFilter('rejectattr', selectByAttr(false));
  environment.addFilter('map', map);
  environment.addFilter('join', (items: unknown, sep: unknown = '', attr?: unknown) => {
    const list = Array.isArray(items) ? items : typeof items === 'string' ? [...items] : [];
    const attribute = typeof attr === 'string' ? attr : (keyword(sep, 'attribute') ?? keyword(attr, 'attribute'));
    const separator = typeof sep === 'string' ? sep : ((keyword(sep, 'd') as string | undefined) ?? '');
    const values = typeof attribute === 'string' ? list.map((i) => attrOf(i, attribute)) : list;
    return values.map(pyStr).join(separator);
  });
  environment.addFilter('string', (v: unknown) => pyStr(v));
  environment.addFilter('list', (v: unknown) =>
    Array.isArray(v) ? v : typeof v === 'string' ? [...v] : v && typeof v === 'object' ? Object.keys(v) : [],
  );
  environment.addFilter('bool', (v: unknown) => truthy(v));
  // `default(x, boolean=true)` also replaces values Python finds false (an empty list included).
  const byDefault = (v: unknown, fallback: unknown = '', boolean: unknown = false): unknown =>
    v === undefined || ((keyword(boolean, 'boolean') ?? boolean) === true && !truthy(v)) ? fallback : v;
  environment.addFilter('default', byDefault);
  environment.addFilter('d', byDefault);
  environment.addFilter('items', (v: unknown) => (v && typeof v === 'object' ? Object.entries(v) : []));
  for (const [name, fn] of Object.entries(TESTS))
    if (!['defined', 'undefined', 'none'].includes(name))
      (environment as unknown as { addTest(n: string, f: Test): void }).addTest(name, fn);
}

interface CompilerProto {
  _emit(code: string): void;
  compile(node: unknown, frame: unknown): void;
  [method: string]: unknown;
}
interface Internals {
  runtime: Record<string, unknown>;
  compiler: { Compiler: { prototype: CompilerProto } };
  installJinjaCompat(): void;
}

let installed = false;

/** Patches nunjucks (once) so output and truth follow Jinja2. */
export function installJinjaSemantics(): void {
  if (installed) return;
  installed = true;
  const nj = nunjucks as unknown as Internals;
  nj.installJinjaCompat();
  const runtime = nj.runtime;
  runtime.pyTruthy = truthy;
  // `{{ value }}`: Python's str(); None prints "None", as in Jinja2.
  runtime.suppressValue = (val: unknown): unknown => {
    // A method named without its call (`x.upper`) would print JavaScript source: refuse it.
    if (typeof val === 'function') throw new Error(`${METHOD_PRINTED}`);
    return val === undefined
      ? ''
      : val instanceof (nunjucks.runtime.SafeString as unknown as new () => object)
        ? val
        : pyStr(val);
  };
  // Strict mode may reject undefined, not None.
  const lib = nunjucks.lib as unknown as { TemplateError: new (m: string, l: number, c: number) => Error };
  runtime.ensureDefined = (val: unknown, lineno: number, colno: number): unknown => {
    if (val === undefined)
      throw new lib.TemplateError('attempted to output null or undefined value', lineno + 1, colno + 1);
    return val;
  };
  // Python's str methods DKMV's templates call (`x.rstrip('/')`, `x.startswith('a')`, ...).
  const memberLookup = runtime.memberLookup as (...args: unknown[]) => unknown;
  runtime.memberLookup = (...args: unknown[]): unknown => {
    const [obj, key] = args;
    if (args.length < 4 && typeof obj === 'string' && typeof key === 'string' && Object.hasOwn(STR_METHODS, key)) {
      return (...callArgs: unknown[]) => STR_METHODS[key]!(obj, ...callArgs);
    }
    return memberLookup(...args); // 4 arguments: a slice (nunjucks' Jinja compatibility)
  };
  const proto = nj.compiler.Compiler.prototype;
  const cond = (self: CompilerProto, node: unknown, frame: unknown): void => {
    self._emit('runtime.pyTruthy(');
    self.compile(node, frame);
    self._emit(')');
  };
  proto.compileIf = function (
    this: CompilerProto & { _emitLine(code: string): void; _withScopedSyntax(fn: () => void): void },
    node: { cond: unknown; body: unknown; else_: unknown },
    frame: unknown,
    async?: boolean,
  ) {
    // nunjucks' own compileIf, with the condition tested by Python's truth.
    const branch = (body: unknown): void =>
      this._withScopedSyntax(() => {
        this.compile(body, frame);
        if (async) this._emit('cb()');
      });
    this._emit('if(');
    cond(this, node.cond, frame);
    this._emitLine(') {');
    branch(node.body);
    if (node.else_) {
      this._emitLine('}\nelse {');
      branch(node.else_);
    } else if (async) {
      this._emitLine('}\nelse {');
      this._emit('cb()');
    }
    this._emitLine('}');
  };
  proto.compileInlineIf = function (
    this: CompilerProto,
    node: { cond: unknown; body: unknown; else_: unknown },
    frame: unknown,
  ) {
    this._emit('(');
    cond(this, node.cond, frame);
    this._emit('?');
    this.compile(node.body, frame);
    this._emit(':');
    if (node.else_ !== null) this.compile(node.else_, frame);
    else this._emit('""');
    this._emit(')');
  };
  proto.compileNot = function (this: CompilerProto, node: { target: unknown }, frame: unknown) {
    this._emit('!');
    cond(this, node.target, frame);
  };
  // Python's `a or b` / `a and b` return an operand, chosen by Python truth.
  const logical = (pick: string) =>
    function (this: CompilerProto, node: { left: unknown; right: unknown }, frame: unknown) {
      this._emit('(function(l){return runtime.pyTruthy(l)?');
      this._emit(pick === 'or' ? 'l:(' : '(');
      this.compile(node.right, frame);
      this._emit(pick === 'or' ? ')' : '):l');
      this._emit(';})(');
      this.compile(node.left, frame);
      this._emit(')');
    };
  proto.compileOr = logical('or');
  proto.compileAnd = logical('and');
  // `a ~ b` joins str() of both.
  proto.compileConcat = function (this: CompilerProto, node: { left: unknown; right: unknown }, frame: unknown) {
    this._emit('(runtime.suppressValue(');
    this.compile(node.left, frame);
    this._emit(') + "" + runtime.suppressValue(');
    this.compile(node.right, frame);
    this._emit('))');
  };
}
