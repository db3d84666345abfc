// A small structural model of a source file, rendered to TS, TSX, JS or Python text. Scenarios edit
// the model, never the text, so the expected merge result is computed independently of any merge tool:
// expected = render(theirs' edits applied on top of ours' edits applied on base).

export type Dialect = 'ts' | 'tsx' | 'js' | 'cjs' | 'py';

export interface Fn {
  kind: 'fn';
  name: string;
  params: string[];
  body: string[];
  /** Python decorator / TS doc comment line, rendered above the signature. */
  decorator?: string;
  /** Signature broken over several lines (a formatter's choice). */
  wrapped?: boolean;
  /** Name of the block this one was inserted after (keeps "ours first, then theirs" at one spot). */
  insertedAfter?: string;
}

export interface Cls {
  kind: 'class';
  name: string;
  fields: string[];
  methods: Fn[];
  insertedAfter?: string;
}

export interface Iface {
  kind: 'iface';
  name: string;
  fields: string[];
  insertedAfter?: string;
}

export interface Stmt {
  kind: 'stmt';
  name: string;
  lines: string[];
  insertedAfter?: string;
}

export type Block = Fn | Cls | Iface | Stmt;

export interface Import {
  module: string;
  names: string[];
  /** `import x from 'm'` / `import m` (Python) when names is empty. */
  defaultName?: string;
}

export interface Model {
  dialect: Dialect;
  header: string[];
  imports: Import[];
  blocks: Block[];
  /** Top-level code after the last block (`main()`, `if __name__ == ...`, `module.exports = ...`). */
  tail: string[];
}

const py = (d: Dialect) => d === 'py';

export function render(m: Model): string {
  const parts: string[] = [];
  if (m.header.length > 0) parts.push(m.header.join('\n'));
  if (m.imports.length > 0) parts.push(m.imports.map((i) => renderImport(m.dialect, i)).join('\n'));
  for (const block of m.blocks) parts.push(renderBlock(m.dialect, block));
  if (m.tail.length > 0) parts.push(m.tail.join('\n'));
  return parts.join(py(m.dialect) ? '\n\n\n' : '\n\n') + '\n';
}

function renderImport(d: Dialect, i: Import): string {
  if (d === 'py') {
    if (i.names.length === 0) return `import ${i.module}`;
    return `from ${i.module} import ${i.names.join(', ')}`;
  }
  if (d === 'cjs') {
    if (i.names.length === 0) return `const ${i.defaultName ?? i.module} = require('${i.module}');`;
    return `const { ${i.names.join(', ')} } = require('${i.module}');`;
  }
  const clause = [i.defaultName, i.names.length > 0 ? `{ ${i.names.join(', ')} }` : undefined]
    .filter(Boolean)
    .join(', ');
  return `import ${clause} from '${i.module}';`;
}

function renderBlock(d: Dialect, b: Block): string {
  switch (b.kind) {
    case 'fn':
      return renderFn(d, b, '', d === 'cjs' ? '' : 'export ');
    case 'class':
      return renderClass(d, b);
    case 'iface':
      return `export interface ${b.name} {\n${b.fields.map((f) => `  ${f};`).join('\n')}\n}`;
    case 'stmt':
      return b.lines.join('\n');
  }
}

function renderFn(d: Dialect, f: Fn, indent: string, exported: string): string {
  const inner = indent + (py(d) ? '    ' : '  ');
  const lines: string[] = [];
  if (f.decorator) lines.push(indent + f.decorator);
  const params = f.wrapped ? `\n${f.params.map((p) => `${inner}${p},`).join('\n')}\n${indent}` : f.params.join(', ');
  if (py(d)) lines.push(`${indent}def ${f.name}(${params}):`);
  else if (indent) lines.push(`${indent}${f.name}(${params}) {`);
  else lines.push(`${exported}function ${f.name}(${params}) {`);
  lines.push(...f.body.map((l) => (l === '' ? '' : inner + l)));
  if (!py(d)) lines.push(`${indent}}`);
  return lines.join('\n');
}

function renderClass(d: Dialect, c: Cls): string {
  const indent = py(d) ? '    ' : '  ';
  const head = py(d) ? `class ${c.name}:` : `${d === 'cjs' ? '' : 'export '}class ${c.name} {`;
  const members: string[] = [];
  if (c.fields.length > 0) members.push(c.fields.map((f) => indent + f).join('\n'));
  for (const m of c.methods) members.push(renderFn(d, m, indent, ''));
  return `${head}\n${members.join('\n\n')}${py(d) ? '' : '\n}'}`;
}

export function clone(m: Model): Model {
  return structuredClone(m);
}
