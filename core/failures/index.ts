// The failure protocol in one place: type names, their details, the retry rule and predicates.
export * from './types.js';
export * from './predicates.js';
