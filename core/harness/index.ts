// The harness domain: plan schema, Gate 1, ownership keys, marker lines, ids, views and reports.
export * from './plan-schema.js';
export * from './gate1.js';
export * from './ownership-keys.js';
export * from './markers.js';
export * from './ids.js';
export * from './plan-views.js';
export * from './report.js';
export type * from './types.js';
