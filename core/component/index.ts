// The component loader: schemas, resolution and registry, planning (plan.ts) and lazy task
// rendering (render.ts) over the plan's bundled files, execution-parameter precedence. Pure code:
// no Temporal, no Docker. Workflow code imports only plan-types.ts (no fs).
export * from './schema.js';
export * from './resolve.js';
export * from './plan-types.js';
export { planComponent, type PlanOptions } from './plan.js';
export { renderTask } from './render.js';
export { taskFilesOf, bundleContext, filesOf, checkBundleSize } from './files.js';
export * from './params.js';
export { agentPath, sourcePath, AGENT_DIR } from './paths.js';
export { renderTemplate, freeVariables, evaluateExpression } from './template.js';
export { closest, editDistance } from './yaml.js';
