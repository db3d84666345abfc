// JSON (and JSONC: tsconfig, VS Code settings) merge. package.json is the file parallel web builds all
// touch: two generators each add a dependency or a script. The merged meaning comes from values.ts
// (objects are sets of keys); the text is ours, edited with jsonc-parser toward that meaning, so our
// formatting, comments and key order stay and theirs' new keys land after the key they followed there.
import type { FormattingOptions, JSONPath, ParseError } from 'jsonc-parser';
import { applyEdits, modify, parse } from 'jsonc-parser';
import { jsonText } from './json-text.js';
import type { Value } from './values.js';
import { Conflict, mergeValues, same } from './values.js';

export type JsonMerge = { text: string } | { conflict: string } | undefined;

/** undefined: a side does not parse (the caller falls back to a line merge). */
export function mergeJson(base: string, ours: string, theirs: string): JsonMerge {
  const values = [base, ours, theirs].map(read);
  const [b, o, t] = values;
  if (values.some((v) => v === unreadable)) return undefined;
  const merged = mergeValues(b, o, t);
  if (merged instanceof Conflict) return { conflict: merged.path };
  // Each side's own bytes first; where that cannot be done, ours edited toward the merged value.
  const copied = jsonText(base, ours, theirs, merged);
  const copiedValue = copied === undefined ? unreadable : read(copied);
  if (copiedValue !== unreadable && same(copiedValue, merged)) return { text: copied as string };
  const options = formattingOf(ours);
  let text = ours;
  for (const edit of editsToward(o, merged, t, b, [])) {
    text = applyEdits(text, modify(text, edit.path, edit.value, { formattingOptions: options, ...edit.at }));
  }
  // The judge: the text must mean the merged value, or it is not handed back as clean.
  const got = read(text);
  return got !== unreadable && same(got, merged) ? { text } : { conflict: '/' };
}

const unreadable = Symbol('unreadable');

function read(text: string): Value | typeof unreadable {
  if (text.trim() === '') return undefined;
  const errors: ParseError[] = [];
  const value: Value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length > 0 ? unreadable : value;
}

interface Edit {
  path: JSONPath;
  value: Value;
  at?: { getInsertionIndex: (properties: string[]) => number };
}

/**
 * The edits that turn `current` (ours) into `target`; `theirs` tells where its new keys belong: after
 * the key they follow there, and after the keys ours added at that same spot (ours first, then theirs).
 */
function editsToward(current: Value, target: Value, theirs: Value, base: Value, path: JSONPath): Edit[] {
  if (same(current, target)) return [];
  if (!isObject(current) || !isObject(target)) return [{ path, value: target }];
  const edits: Edit[] = [];
  for (const key of Object.keys(current)) {
    if (!Object.hasOwn(target, key)) edits.push({ path: [...path, key], value: undefined });
  }
  const theirsKeys = isObject(theirs) ? Object.keys(theirs) : [];
  for (const [key, value] of Object.entries(target)) {
    if (Object.hasOwn(current, key)) {
      const [t, b] = [theirs, base].map((x) => (isObject(x) ? x[key] : undefined));
      edits.push(...editsToward(current[key], value, t, b, [...path, key]));
      continue;
    }
    // After the key it follows on the side that added it, when that key is there; else at the end.
    const before = theirsKeys.slice(0, theirsKeys.indexOf(key)).reverse();
    edits.push({
      path: [...path, key],
      value,
      at: {
        getInsertionIndex: (properties) => {
          const anchor = before.find((k) => properties.includes(k));
          if (anchor === undefined) return properties.length;
          let at = properties.indexOf(anchor) + 1;
          const addedByOurs = (k: string | undefined) =>
            k !== undefined && !(isObject(base) && Object.hasOwn(base, k)) && !theirsKeys.includes(k);
          while (at < properties.length && addedByOurs(properties[at])) at++;
          return at;
        },
      },
    });
  }
  return edits;
}

function isObject(v: Value): v is Record<string, Value> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Indentation and line ending as ours writes them, for the values the merge inserts. */
function formattingOf(text: string): FormattingOptions {
  const indent = /^([ \t]+)["}\]]/m.exec(text)?.[1] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}
