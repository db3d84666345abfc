// Configuration: the cascade (flags > env > .env > .dkmv/config.json > defaults) and .dkmv/config.json.
export * from './cascade.js';
export * from './project-config.js';
export * from './project-env.js';
