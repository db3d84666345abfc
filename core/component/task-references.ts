// The `tasks.<name>` a template reads (`tasks.scan.outputs.x`, `tasks["scan"]`), found in its syntax
// tree, so a misspelt task name is reported while planning, before the first task runs and spends.
import { UserError } from '../errors.js';
import { closest } from './yaml.js';
import { parseTemplate, type AstNode } from './template.js';

export interface TaskReference {
  name: string;
  /** 1-based line in the template. */
  line: number;
}

/** Every literal `tasks.<name>` / `tasks["<name>"]` lookup in a template, in source order. */
export function taskReferences(source: string, file: string): TaskReference[] {
  const found: TaskReference[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as AstNode;
    if (n.typename === 'FunCall' && isTasksLookup(n.name)) {
      visit(n.args); // tasks.items(), tasks.get("x"): a method of the mapping, not a task
      return;
    }
    if (n.typename === 'LookupVal') {
      const target = n.target as AstNode | undefined;
      const val = n.val as AstNode | undefined;
      if (target?.typename === 'Symbol' && target.value === 'tasks' && val?.typename === 'Literal') {
        if (typeof val.value === 'string') found.push({ name: val.value, line: n.lineno + 1 });
      }
    }
    for (const f of n.fields ?? []) {
      const child = n[f];
      if (Array.isArray(child)) for (const c of child) visit(c);
      else visit(child);
    }
  };
  visit(parseTemplate(source, file));
  return found;
}

function isTasksLookup(node: unknown): boolean {
  const n = node as AstNode | undefined;
  const target = n?.target as AstNode | undefined;
  return n?.typename === 'LookupVal' && target?.typename === 'Symbol' && target.value === 'tasks';
}

/** A UserError for the first reference to a task the component does not have, if any. */
export function checkTaskReferences(source: string, file: string, known: string[], mapLine = (l: number) => l): void {
  const base = (name: string): string => name.replace(/-\d+$/, '');
  const bases = new Set(known.filter((k) => /-\d+$/.test(k)).map(base));
  for (const ref of taskReferences(source, file)) {
    // `<name>-<k>`: a repeated task (for_each) whose count may depend on the run's vars.
    if (known.includes(ref.name) || bases.has(base(ref.name))) continue;
    const suggestion = closest(ref.name, known);
    throw new UserError(`tasks.${ref.name}: this component has no task named "${ref.name}"`, {
      location: { file, line: mapLine(ref.line) },
      hint: suggestion
        ? `did you mean "tasks.${suggestion}"? (tasks are named by their "name:"; this component's: ${known.join(', ')})`
        : `tasks are named by their "name:"; this component's: ${known.join(', ')}`,
    });
  }
}
