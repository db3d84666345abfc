// Types of scripts/build.js (plain JavaScript, so bin/dkmv.js can run it before anything is built).
export function isUpToDate(root?: string): boolean;
export function ensureBuilt(root?: string): boolean;
export const BUNDLED_COMMANDS: string[];
