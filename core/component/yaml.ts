// YAML parsing that keeps positions, so schema errors can point at a file and line.
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { closest } from './did-you-mean.js';

/** Maps a line of the rendered text back to the line of the template it came from (1-based). */
export type LineMap = (renderedLine: number) => number;
export const identityLines: LineMap = (line) => line;

export interface ParsedYaml {
  file: string;
  value: unknown;
  doc: Document;
  lineCounter: LineCounter;
  mapLine: LineMap;
}

/** Parses YAML text (already rendered); syntax errors become UserErrors with file and line. */
export function parseYaml(text: string, file: string, mapLine: LineMap = identityLines): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.pos ? mapLine(lineCounter.linePos(first.pos[0]).line) : undefined;
    const detail = first.message.split('\n')[0] ?? first.message;
    throw new UserError(`malformed YAML: ${detail}`, {
      location: { file, ...(line !== undefined ? { line } : {}) },
      hint: yamlHint(first.code),
    });
  }
  return { file, value: doc.toJS({ maxAliasCount: 100 }) as unknown, doc, lineCounter, mapLine };
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear only once in a mapping; remove or rename the duplicate';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation (spaces, not tabs) and that every "key: value" has its colon';
    default:
      return 'quote values that contain ": ", "#" or start with "{", "[", "*", "&" or "!" (e.g. a template: "{{ x }}")';
  }
}

/** 1-based line (in the template) of the node at `path`, or of `key` inside the mapping at `path`. */
export function lineAt(parsed: ParsedYaml, path: readonly PropertyKey[], key?: string): number | undefined {
  let node: unknown = parsed.doc.contents;
  let best: unknown = node;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => scalarKey(p.key) === String(segment));
      if (!pair) break;
      best = pair.key ?? best;
      node = pair.value;
      if (node) best = node;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (!node) break;
      best = node;
    } else {
      break;
    }
  }
  if (key !== undefined && isMap(node)) {
    const pair = (node.items as Pair[]).find((p) => scalarKey(p.key) === key);
    if (pair?.key) best = pair.key;
  }
  const range = (best as YamlNode | undefined)?.range;
  if (!range) return undefined;
  return parsed.mapLine(parsed.lineCounter.linePos(range[0]).line);
}

function scalarKey(key: unknown): string | undefined {
  if (key && typeof key === 'object' && 'value' in key) return String((key as { value: unknown }).value);
  if (typeof key === 'string') return key;
  return undefined;
}

/** Dotted field name as users write it: `inputs[0].dest`. */
export function fieldName(path: readonly PropertyKey[], key?: string): string {
  let out = '';
  for (const seg of [...path, ...(key !== undefined ? [key] : [])]) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

export { closest, editDistance } from './did-you-mean.js';

type ZodDef = { type?: string; innerType?: unknown; out?: unknown; shape?: Record<string, unknown>; element?: unknown };
function defOf(schema: unknown): ZodDef | undefined {
  return (schema as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;
}
function unwrap(schema: unknown): ZodDef | undefined {
  let def = defOf(schema);
  for (let i = 0; def && i < 20; i++) {
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') {
      def = defOf(def.innerType);
    } else if (def.type === 'pipe') {
      def = defOf(def.out);
    } else {
      return def;
    }
  }
  return def;
}

/** Field names a strict object accepts, found by walking the schema along `path`. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let def = unwrap(schema);
  for (const seg of path) {
    if (def?.type === 'object') def = unwrap(def.shape?.[String(seg)]);
    else if (def?.type === 'array') def = unwrap(def.element);
    else return [];
  }
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** Validates a parsed document; the first problem becomes a UserError with file, line, field and a fix. */
export function validateYaml<S extends z.ZodType>(
  schema: S,
  parsed: ParsedYaml,
  what: string,
  value: unknown = parsed.value,
): z.output<S> {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${what} must be a YAML mapping of fields (key: value)`, {
      location: { file: parsed.file, line: 1 },
      hint: 'start the file with fields such as "name: my-task"',
    });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = [...result.error.issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  const issue = issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known = knownKeysAt(schema, issue.path);
    const suggestion = closest(key, known);
    throw new UserError(`unknown field "${key}" in ${what}`, {
      location: { file: parsed.file, line: lineAt(parsed, issue.path, key), field: fieldName(issue.path, key) },
      hint: suggestion ? `did you mean "${suggestion}"?` : `remove it; allowed fields here: ${known.join(', ')}`,
    });
  }
  const field = fieldName(issue.path);
  let message = issue.message;
  if (issue.code === 'invalid_type' && /^Invalid input/.test(message))
    message = `expected ${plainType(issue.expected)}`;
  // A bare name where a mapping belongs (`tasks: [01-work.yaml]`): show the shape to write.
  const got = getIn(value, issue.path);
  if (issue.code === 'invalid_type' && issue.expected === 'object' && typeof got === 'string') {
    const isTaskEntry = issue.path[0] === 'tasks' && typeof issue.path[1] === 'number';
    throw new UserError(`${field} is the text "${got}", but it must be a mapping (key: value)`, {
      location: { file: parsed.file, line: lineAt(parsed, issue.path), ...(field ? { field } : {}) },
      hint: isTaskEntry
        ? `write each task entry with its file: "- file: ${got}" (one per line under tasks:)`
        : `write it as fields, e.g. "name: value"`,
    });
  }
  if (issue.code === 'invalid_value' && /^Invalid/.test(message)) {
    message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  const missing = issue.code === 'invalid_type' && getIn(value, issue.path) === undefined;
  throw new UserError(missing ? `missing required field "${field}" in ${what}` : `${field || what}: ${message}`, {
    location: { file: parsed.file, line: lineAt(parsed, issue.path), ...(field ? { field } : {}) },
    hint: missing ? `add "${String(issue.path[issue.path.length - 1])}: ..." to the ${what}` : fixHint(issue, field),
  });
}

/** Validator type names in plain words. */
export function plainType(expected: string): string {
  const words: Record<string, string> = {
    object: 'a mapping (key: value)',
    array: 'a list',
    string: 'text',
    number: 'a number',
    boolean: 'true or false',
  };
  return words[expected] ?? expected;
}

function fixHint(issue: z.core.$ZodIssue, field: string): string {
  if (issue.code === 'invalid_type') return `change ${field || 'the value'} to ${plainType(issue.expected)}`;
  if (issue.code === 'invalid_value') return `change ${field || 'the value'} to one of the values above`;
  if (issue.code === 'custom') return 'edit the file as described above';
  return `change the value of ${field || 'this field'}`;
}

function getIn(value: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}
