// Run notifications: event shapes, bodies (plain JSON, Slack), answer paths and webhook targets.
export * from './types.js';
export * from './answer.js';
export * from './event.js';
export * from './slack.js';
export * from './targets.js';
export * from './body.js';
export * from './facts.js';
