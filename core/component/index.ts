// The component loader: schemas, resolution and registry, planning and lazy task rendering,
// execution-parameter precedence. Pure code: no Temporal, no Docker.
export * from './schema.js';
export * from './resolve.js';
export * from './loader.js';
export * from './params.js';
export { agentPath, sourcePath, AGENT_DIR } from './paths.js';
export { renderTemplate, freeVariables, evaluateExpression } from './template.js';
export { closest, editDistance } from './yaml.js';
