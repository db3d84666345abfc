// Read-only access for `runs`, `show`, `logs`: Temporal when it answers (never starting anything,
// never needing a worker), else the run folders alone, with a note on stderr.
import pc from 'picocolors';
import { resolveConfig, type ResolvedConfig } from '../../core/config/index.js';
import { isUserError, UserError } from '../../core/errors.js';
import { temporalTargetFromEnv } from '../../core/temporal/connection-options.js';
import { sessionReadOnly, type CliSession } from '../temporal-client.js';
import { probeTcp } from '../temporal/tcp-probe.js';
import { runUrl } from '../stack/local-stack.js';
import { printConfigNotices } from '../config-notices.js';

export interface ReadOnlyContext {
  config: ResolvedConfig;
  /** HTTP API or gRPC, as the connection module chose (cli/temporal/connection.ts). */
  cli: CliSession | undefined;
  webUi: (runId: string) => string;
  close(): Promise<void>;
}

export async function openReadOnly(options: { quiet?: boolean } = {}): Promise<ReadOnlyContext> {
  const config = resolveConfig();
  if (!options.quiet) printConfigNotices(config);
  let cli: CliSession | undefined;
  try {
    // The local stack not running is the common case: see it at once instead of after the gRPC
    // connect timeout.
    const target = temporalTargetFromEnv();
    if (!target.explicitAddress && (await probeTcp(target.address, 1000)) !== 'open')
      throw new UserError(`the local stack is not running (nothing listens at ${target.address})`);
    const httpUrl = config.values.temporal_http_url;
    cli = await sessionReadOnly(httpUrl ? { httpUrl } : {});
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
