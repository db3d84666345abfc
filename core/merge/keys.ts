// Naming the syntax nodes that the merge treats as units. A node gets a key when it is a symbol
// (function, class, method, interface, type, enum, namespace, top-level variable, Python def/class/
// assignment) or an import; anything else (comments, statements) has no key and is kept as text.
import type { SyntaxNode } from './parser.js';

export type NodeRole =
  | { kind: 'symbol'; name: string; declaration: SyntaxNode }
  | { kind: 'import'; name: string; declaration: SyntaxNode }
  | { kind: 'other' };

const namedDeclarations = new Set([
  // TypeScript / JavaScript
  'function_declaration',
  'generator_function_declaration',
  'function_signature',
  'class_declaration',
  'abstract_class_declaration',
  'interface_declaration',
  'type_alias_declaration',
  'enum_declaration',
  'module',
  'internal_module',
  // Python
  'function_definition',
  'class_definition',
  // Rust
  'function_item',
  'function_signature_item',
  'struct_item',
  'enum_item',
  'union_item',
  'trait_item',
  'mod_item',
  'type_item',
  'const_item',
  'static_item',
  'macro_definition',
  // Java (class, interface and enum declarations share the TypeScript names above)
  'record_declaration',
  'annotation_type_declaration',
]);

const variableDeclarations = new Set(['lexical_declaration', 'variable_declaration']);

/** The role of a top-level node: what makes it a symbol or an import, and under which name. */
export function topLevelRole(node: SyntaxNode): NodeRole {
  switch (node.type) {
    case 'export_statement':
      return exportRole(node);
    case 'ambient_declaration':
    case 'expression_statement': {
      // `declare ...` and `namespace X {}` wrap the real declaration; a Python assignment is a symbol.
      const inner = node.namedChildren[0];
      if (!inner) return { kind: 'other' };
      if (node.type === 'expression_statement' && inner.type === 'assignment') return assignmentRole(inner, node);
      if (node.type === 'expression_statement' && isModuleExports(inner))
        return { kind: 'import', name: 'module.exports', declaration: node };
      const role = topLevelRole(inner);
      return role.kind === 'other' ? role : { ...role, declaration: node };
    }
    case 'decorated_definition': {
      const definition = node.childForFieldName('definition');
      const role = definition ? topLevelRole(definition) : ({ kind: 'other' } as NodeRole);
      return role.kind === 'other' ? role : { ...role, declaration: node };
    }
    case 'import_statement':
      return importRole(node);
    case 'import_from_statement':
    case 'future_import_statement': {
      const module = node.childForFieldName('module_name');
      return { kind: 'import', name: `from ${module?.text ?? '__future__'}`, declaration: node };
    }
    case 'type_alias_statement': {
      const left = node.childForFieldName('left');
      return left ? { kind: 'symbol', name: left.text, declaration: node } : { kind: 'other' };
    }
    default:
      return declarationRole(node);
  }
}

function declarationRole(node: SyntaxNode): NodeRole {
  const other = otherLanguageRole(node);
  if (other) return other;
  if (namedDeclarations.has(node.type)) {
    const name = node.childForFieldName('name');
    return name ? { kind: 'symbol', name: name.text, declaration: node } : { kind: 'other' };
  }
  if (variableDeclarations.has(node.type)) {
    const required = requiredModule(node);
    if (required) return { kind: 'import', name: `require ${required}`, declaration: node };
    const names = node.namedChildren.filter((c) => c?.type === 'variable_declarator').map(declaratorName);
    return names.length > 0 ? { kind: 'symbol', name: names.join(','), declaration: node } : { kind: 'other' };
  }
  return { kind: 'other' };
}

/**
 * `const a = ...` is named `a`. A destructuring `const { a, b } = require('x')` is named after its value:
 * naming it after the pattern would turn "both sides added a name" into two declarations of `a`.
 */
function declaratorName(declarator: SyntaxNode | null): string {
  const name = declarator?.childForFieldName('name');
  if (!name) return '';
  if (name.type === 'identifier') return name.text;
  return `${name.type}=${declarator?.childForFieldName('value')?.text ?? name.text}`;
}

function exportRole(node: SyntaxNode): NodeRole {
  const declaration = node.childForFieldName('declaration');
  if (declaration) {
    const role = declarationRole(declaration);
    return role.kind === 'other' ? role : { ...role, declaration: node };
  }
  const source = node.childForFieldName('source');
  // `export { a } from './x'` and `export * from './x'` behave like imports: a union of additions.
  if (source) return { kind: 'import', name: `export from ${stringValue(source)}`, declaration: node };
  if (node.namedChildren.some((c) => c?.type === 'export_clause'))
    return { kind: 'import', name: 'export {}', declaration: node };
  if (node.children.some((c) => c?.type === 'default')) return { kind: 'symbol', name: 'default', declaration: node };
  if (node.children.some((c) => c?.type === '=')) return { kind: 'symbol', name: 'export=', declaration: node };
  return { kind: 'other' };
}

function importRole(node: SyntaxNode): NodeRole {
  const source = node.childForFieldName('source');
  if (source) {
    // TS/JS: keyed by module and by `import type`, so `import type {A}` and `import {a}` stay apart.
    const typeOnly = node.children.some((c) => c?.type === 'type');
    return { kind: 'import', name: `import ${typeOnly ? 'type ' : ''}${stringValue(source)}`, declaration: node };
  }
  // Python `import a, b.c as d`: the imported names are the identity.
  const names = node.namedChildren.map((c) => c?.text ?? '').join(', ');
  return { kind: 'import', name: `import ${names}`, declaration: node };
}

function assignmentRole(assignment: SyntaxNode, statement: SyntaxNode): NodeRole {
  const left = assignment.childForFieldName('left');
  if (!left || (left.type !== 'identifier' && left.type !== 'pattern_list' && left.type !== 'tuple_pattern'))
    return { kind: 'other' };
  return { kind: 'symbol', name: left.text, declaration: statement };
}

/** `const { a, b } = require('x')` is CommonJS's named import: merged as a set of names too. */
function requiredModule(node: SyntaxNode): string | undefined {
  const declarators = node.namedChildren.filter((c) => c?.type === 'variable_declarator');
  const only = declarators.length === 1 ? declarators[0] : undefined;
  const value = only?.childForFieldName('value');
  if (only?.childForFieldName('name')?.type !== 'object_pattern' || value?.type !== 'call_expression') return undefined;
  if (value.childForFieldName('function')?.text !== 'require') return undefined;
  const source = value.childForFieldName('arguments')?.namedChildren[0];
  return source?.type === 'string' ? stringValue(source) : undefined;
}

/** CommonJS `module.exports = { a, b }` lists names like an export clause does. */
function isModuleExports(node: SyntaxNode): boolean {
  return (
    node.type === 'assignment_expression' &&
    node.childForFieldName('left')?.text === 'module.exports' &&
    node.childForFieldName('right')?.type === 'object'
  );
}

function stringValue(node: SyntaxNode): string {
  return node.text.replace(/^['"`]|['"`]$/g, '');
}

/** The role of a member inside a class or interface body (methods, fields, signatures). */
export function memberRole(node: SyntaxNode): NodeRole {
  switch (node.type) {
    case 'method_definition':
    case 'method_signature':
    case 'abstract_method_signature': {
      const name = node.childForFieldName('name');
      if (!name) return { kind: 'other' };
      // Static members, getters and setters may share a name with another member.
      const modifiers = node.children
        .filter((c) => c?.type === 'static' || c?.type === 'get' || c?.type === 'set')
        .map((c) => c?.type)
        .join(' ');
      return { kind: 'symbol', name: modifiers ? `${modifiers} ${name.text}` : name.text, declaration: node };
    }
    case 'public_field_definition':
    case 'property_signature': {
      const name = node.childForFieldName('name');
      const isStatic = node.children.some((c) => c?.type === 'static');
      return name
        ? { kind: 'symbol', name: isStatic ? `static ${name.text}` : name.text, declaration: node }
        : { kind: 'other' };
    }
    case 'construct_signature':
      return { kind: 'symbol', name: 'new()', declaration: node };
    case 'call_signature':
      return { kind: 'symbol', name: '()', declaration: node };
    case 'index_signature':
      return { kind: 'symbol', name: `[${node.text.replace(/\s+/g, '')}]`, declaration: node };
    case 'function_definition':
    case 'class_definition':
    case 'decorated_definition':
    case 'expression_statement':
      return topLevelRole(node);
    default:
      // Java methods, fields and nested classes; Rust items in an impl; CSS rules in @media.
      return declarationRole(node);
  }
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Go, Rust, Java and CSS declarations whose name is not simply their `name` field. */
function otherLanguageRole(node: SyntaxNode): NodeRole | undefined {
  const symbol = (name: string): NodeRole => ({ kind: 'symbol', name, declaration: node });
  const field = (name: string) => node.childForFieldName(name)?.text;
  switch (node.type) {
    // Go
    case 'method_declaration': {
      const name = field('name');
      if (!name) return undefined;
      // Go methods are named after their receiver type; Java's (a class member) only by name.
      const receiver = node.childForFieldName('receiver');
      const type = receiver?.descendantsOfType('type_identifier')[0]?.text;
      return symbol(receiver ? `(${type ?? receiver.text}).${name}` : name);
    }
    case 'type_declaration':
    case 'var_declaration':
    case 'const_declaration': {
      const names = node.namedChildren.flatMap((spec) => spec?.childrenForFieldName('name').map((n) => n?.text) ?? []);
      return names.length > 0 ? symbol(names.join(',')) : undefined;
    }
    case 'import_declaration': {
      // Go: one import block (its specs merge as a set); Java: one import per line, keyed by its text.
      const java = node.namedChildren.some((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
      return { kind: 'import', name: java ? squash(node.text) : 'import', declaration: node };
    }
    // Rust
    case 'impl_item': {
      const trait = field('trait');
      const type = field('type') ?? '?';
      return symbol(`impl ${trait ? `${trait} for ` : ''}${squash(type)}`);
    }
    case 'use_declaration': {
      const argument = node.childForFieldName('argument');
      const path = argument?.type === 'scoped_use_list' ? argument.childForFieldName('path')?.text : argument?.text;
      return { kind: 'import', name: `use ${path ?? squash(node.text)}`, declaration: node };
    }
    // Java members
    case 'constructor_declaration':
      return symbol(`new ${field('name') ?? ''}`);
    case 'field_declaration': {
      const names = node.childrenForFieldName('declarator').map((d) => d?.childForFieldName('name')?.text);
      return names.length > 0 ? symbol(names.join(',')) : undefined;
    }
    // CSS: a rule is named by its selectors, an at-rule by its prelude.
    case 'rule_set': {
      const selectors = node.namedChildren.find((c) => c?.type === 'selectors');
      return selectors ? symbol(squash(selectors.text)) : undefined;
    }
    case 'media_statement':
    case 'supports_statement':
    case 'keyframes_statement':
    case 'at_rule': {
      const block = node.namedChildren.find((c) => c?.type === 'block' || c?.type === 'keyframe_block_list');
      const prelude = block ? node.text.slice(0, block.startIndex - node.startIndex) : node.text;
      return symbol(squash(prelude));
    }
    default:
      return undefined;
  }
}
