// component.yaml `for_each`: a YAML list, a JSON list, or a template expression that evaluates to a
// list; each item becomes a task slot with `item` and `item_index`.
import { UserError } from '../errors.js';
import { evaluateExpression } from './template.js';

// `for_each: "{{ expr }}"` must keep its value through rendering: rewrite it to `{{ (expr) | tojson }}`.
const FOR_EACH_LINE = /^(\s*(?:-\s+)?for_each:\s*)(["']?)\{\{-?\s*([\s\S]+?)\s*-?\}\}\2\s*$/;

/** Rewrites every single-line `for_each: "{{ expr }}"` of component.yaml so rendering yields JSON. */
export function keepForEachValues(source: string): string {
  return source
    .split('\n')
    .map((line) => {
      const m = FOR_EACH_LINE.exec(line);
      return m ? `${m[1]}{{ (${m[3]}) | tojson }}` : line;
    })
    .join('\n');
}

const parseJsonList = (s: string): unknown => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
};

/** The items of a task entry's `for_each`, or undefined when it has none. Not a list: a UserError at `where`. */
export function forEachItems(
  value: unknown[] | string | undefined,
  ctx: Record<string, unknown>,
  where: { file: string; line?: number; field: string },
): unknown[] | undefined {
  if (value === undefined) return undefined;
  let items: unknown = value;
  if (typeof value === 'string') {
    const s = value.trim();
    if (s.startsWith('[')) items = parseJsonList(s);
    else if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(s)) {
      items = evaluateExpression(s, ctx, {
        file: where.file,
        ...(where.line !== undefined ? { line: where.line } : {}),
      });
      if (typeof items === 'string' && items.trim().startsWith('[')) items = parseJsonList(items);
    }
  }
  if (!Array.isArray(items)) {
    const got =
      items === null ? 'null' : typeof items === 'string' ? `the string ${JSON.stringify(items)}` : typeof items;
    throw new UserError(`for_each must be a list, got ${got}`, {
      location: where,
      hint: 'write a YAML list, or an expression for a list, e.g. --var \'phases=["api","ui"]\' with for_each: "{{ phases }}"',
    });
  }
  return items;
}
