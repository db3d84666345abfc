// Prints the configuration's one-line notices (e.g. run folders in dkmv's old layout) on stderr,
// each once per command however often the configuration is resolved.
import pc from 'picocolors';
import type { ResolvedConfig } from '../core/config/index.js';

const shown = new Set<string>();

export function printConfigNotices(config: Pick<ResolvedConfig, 'notices'>): void {
  for (const notice of config.notices) {
    if (shown.has(notice)) continue;
    shown.add(notice);
    process.stderr.write(`${pc.yellow('notice:')} ${notice}\n`);
  }
}
