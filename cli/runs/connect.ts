// Read-only access for `runs`, `show`, `logs`: Temporal when it answers (never starting anything,
// never needing a worker), else the run folders alone, with a note on stderr.
import pc from 'picocolors';
import { resolveConfig, type ResolvedConfig } from '../../core/config/index.js';
import { isUserError } from '../../core/errors.js';
import { clientReadOnly, type CliClient } from '../temporal-client.js';
import { runUrl } from '../stack/local-stack.js';

export interface ReadOnlyContext {
  config: ResolvedConfig;
  cli: CliClient | undefined;
  webUi: (runId: string) => string;
  close(): Promise<void>;
}

export async function openReadOnly(options: { quiet?: boolean } = {}): Promise<ReadOnlyContext> {
  const config = resolveConfig();
  let cli: CliClient | undefined;
  try {
    cli = await clientReadOnly();
  } catch (err) {
    if (!isUserError(err)) throw err;
    if (!options.quiet)
      process.stderr.write(`${pc.yellow('note:')} ${err.message}; showing the local run folders only\n`);
  }
  return {
    config,
    cli,
    webUi: (runId) => (cli ? runUrl(cli.webUiUrl, cli.target.namespace, runId) : ''),
    close: async () => {
      await cli?.close();
    },
  };
}
