// Reads a model script (YAML) into its normalized form. A bad script is a UserError with file, line and field.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { DKMV_HOME } from '../project.js';
import { closest, plainType } from '../component/yaml.js';
import { decodeUtf8 } from '../component/text-encoding.js';
import { modelScriptSchema } from './schema.js';
import type {
  ModelScript,
  ModelScriptInput,
  ScriptAction,
  ScriptSession,
  ScriptToolCall,
  ScriptTurn,
  ScriptUsage,
  TestSetup,
} from './schema.js';

const DEFAULT_USAGE: ScriptUsage = { input_tokens: 100, output_tokens: 20 };
const DEFAULT_FINAL_TEXT = 'Done.';
const HINT = `the format is in dkmv's README, "Testing components with model scripts"; an example: ${path.join(DKMV_HOME, 'components', 'examples', 'hello', 'model-script.yaml')}`;

/** The fields each kind of mapping of a model script may hold (for did-you-mean). */
const FIELDS = {
  top: ['test', 'sessions'],
  test: ['vars', 'seed', 'answers', 'feature_name'],
  session: ['match', 'usage', 'delay_ms', 'final_text', 'turns'],
  action: ['bash', 'write', 'text', 'error', 'delay_ms', 'usage'],
  write: ['path', 'content'],
  usage: ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'],
};

/** The fields allowed where `at` points (the mapping holding the unknown key). */
function fieldsAt(at: (string | number)[]): string[] {
  const last = at[at.length - 1];
  if (at.length === 0) return FIELDS.top;
  if (last === 'test') return FIELDS.test;
  if (last === 'write') return FIELDS.write;
  if (last === 'usage') return FIELDS.usage;
  if (at[0] === 'sessions' && at.length === 2) return FIELDS.session;
  if (at.includes('turns')) return FIELDS.action;
  return [];
}

export async function loadModelScript(file: string): Promise<ModelScript> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    throw new UserError(
      `cannot read model script: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      {
        location: { file },
        hint: "pass an existing file with --script FILE (relative to this folder), or leave --script out to use the component's model-script.yaml",
      },
    );
  }
  return parseModelScript(decodeUtf8(buf, file), file);
}

/** Parses and validates YAML text; `file` only labels errors. */
export function parseModelScript(text: string, file?: string): ModelScript {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    throw new UserError(`invalid YAML: ${first.message.split('\n')[0]}`, {
      location: { file, line: pos.line, column: pos.col },
      hint: HINT,
    });
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) {
    throw new UserError('model script is empty', {
      location: { file },
      hint: `start it with "sessions:" and a list of sessions with their turns; ${HINT}`,
    });
  }
  const parsed = modelScriptSchema.safeParse(value);
  if (!parsed.success) {
    // An unknown field (`session:` for `sessions:`) explains the other issues: report it first.
    const issues = [...parsed.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    throw issueToError(issues[0]!, doc, lineCounter, file);
  }
  const input = parsed.data;
  // Regexes are checked here so a bad one is reported at its line.
  input.sessions.forEach((s, i) => {
    if (s.match === undefined) return;
    try {
      new RegExp(s.match);
    } catch (err) {
      const line = lineOf(doc, lineCounter, ['sessions', i, 'match']);
      throw new UserError(`invalid regex in match: ${(err as Error).message}`, {
        location: { file, line, field: `sessions[${i}].match` },
        hint: 'match is a JavaScript regular expression searched in the prompt; escape ( [ . * + ? with a backslash to match them literally',
      });
    }
  });
  return normalize(input, file);
}

function normalize(input: ModelScriptInput, file: string | undefined): ModelScript {
  const sessions: ScriptSession[] = input.sessions.map((s, index) => ({
    index,
    match: s.match === undefined ? undefined : new RegExp(s.match),
    matchSource: s.match,
    finalText: s.final_text ?? DEFAULT_FINAL_TEXT,
    turns: s.turns.map((t, turnIndex): ScriptTurn => {
      const actions: ScriptAction[] = Array.isArray(t) ? t : [t];
      const calls: ScriptToolCall[] = [];
      const texts: string[] = [];
      let error: number | undefined;
      const errors: ScriptTurn['errors'] = [];
      let delayMs = s.delay_ms ?? 0;
      let usage: ScriptUsage = s.usage ?? DEFAULT_USAGE;
      for (const a of actions) {
        if (a.text !== undefined) texts.push(a.text);
        if (a.bash !== undefined) calls.push({ kind: 'bash', command: a.bash });
        if (a.write !== undefined) calls.push({ kind: 'write', path: a.write.path, content: a.write.content });
        if (a.error !== undefined) {
          error ??= a.error;
          errors.push({ status: a.error, times: a.times });
        }
        if (a.delay_ms !== undefined) delayMs = a.delay_ms;
        if (a.usage !== undefined) usage = a.usage;
      }
      return {
        index: turnIndex,
        text: texts.length ? texts.join('\n\n') : undefined,
        calls,
        error,
        errors,
        delayMs,
        usage,
      };
    }),
  }));
  return { file, sessions, ...(input.test ? { test: testSetup(input.test, file) } : {}) };
}

/** Paths in the test setup are relative to the script's folder; lists and maps become JSON, as --var takes them. */
function testSetup(input: NonNullable<ModelScriptInput['test']>, file: string | undefined): TestSetup {
  const base = file ? path.dirname(path.resolve(file)) : process.cwd();
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.vars)) {
    if (typeof value === 'string') vars[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') vars[name] = String(value);
    else if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      typeof value.path === 'string' &&
      Object.keys(value).length === 1
    )
      vars[name] = path.resolve(base, value.path);
    else vars[name] = JSON.stringify(value);
  }
  return {
    vars,
    ...(input.seed !== undefined ? { seed: path.resolve(base, input.seed) } : {}),
    answers: Object.fromEntries(Object.entries(input.answers).map(([k, v]) => [k, String(v)])),
    ...(input.feature_name !== undefined ? { featureName: input.feature_name } : {}),
  };
}

type Path = (string | number)[];

function issueToError(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter, file: string | undefined): UserError {
  let at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known = fieldsAt(at);
    const suggestion = closest(key, known);
    at = [...at, key];
    return new UserError(`unknown field "${key}" in the model script`, {
      location: { file, line: lineOf(doc, lc, at), field: fieldName(at) },
      hint: suggestion
        ? `did you mean "${suggestion}"? (${HINT})`
        : `allowed here: ${known.join(', ') || 'see the format'}; ${HINT}`,
    });
  } else if (issue.code === 'invalid_type') {
    const missing = doc.getIn(at) === undefined;
    const field = fieldName(at);
    message = missing
      ? `missing required field "${field}"`
      : `${field || 'the model script'}: expected ${plainType(issue.expected)}${issue.expected === 'array' ? ' (each item on its own "- " line)' : ''}`;
  } else if (issue.code === 'invalid_union') {
    // A turn is an action or a list of actions: report the deepest issue of the branch that matches the YAML shape.
    const value = doc.getIn(at);
    const branch = issue.errors[isNode(value) && !isMap(value) && !isScalar(value) ? 1 : 0] ?? issue.errors[0];
    const inner = branch?.[0];
    if (inner) return issueToError({ ...inner, path: [...at, ...inner.path] } as z.core.$ZodIssue, doc, lc, file);
  }
  return new UserError(message, {
    location: { file, line: lineOf(doc, lc, at), field: fieldName(at) || undefined },
    hint: HINT,
  });
}

/** Line of the deepest node along `path` that exists (a missing field points at its parent). */
function lineOf(doc: Document, lc: LineCounter, path: Path): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    const node = n === 0 ? doc.contents : doc.getIn(sub, true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
    // For an unknown key, point at the key itself.
    if (n > 0) {
      const parent = n === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === sub[sub.length - 1]);
        if (pair && isNode(pair.key) && pair.key.range) return lc.linePos(pair.key.range[0]).line;
      }
    }
  }
  return undefined;
}

function fieldName(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
