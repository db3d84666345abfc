// Read-only access for `runs`, `show`, `logs`: Temporal when it answers (never starting anything,
// never needing a worker), else the run folders alone, with a note on stderr.
import net from 'node:net';
import pc from 'picocolors';
import { resolveConfig, type ResolvedConfig } from '../../core/config/index.js';
import { isUserError, UserError } from '../../core/errors.js';
import { temporalTargetFromEnv } from '../../core/temporal/connection-options.js';
import { clientReadOnly, type CliClient } from '../temporal-client.js';
import { runUrl } from '../stack/local-stack.js';
import { printConfigNotices } from '../config-notices.js';

export interface ReadOnlyContext {
  config: ResolvedConfig;
  cli: CliClient | undefined;
  webUi: (runId: string) => string;
  close(): Promise<void>;
}

/** True when something listens at host:port (a refused connection answers at once). */
function listening(address: string, timeoutMs = 1000): Promise<boolean> {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(':')),
    Number(address.slice(address.lastIndexOf(':') + 1)),
  ];
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

export async function openReadOnly(options: { quiet?: boolean } = {}): Promise<ReadOnlyContext> {
  const config = resolveConfig();
  if (!options.quiet) printConfigNotices(config);
  let cli: CliClient | undefined;
  try {
    // The local stack not running is the common case: see it at once instead of after the gRPC
    // connect timeout.
    const target = temporalTargetFromEnv();
    if (!target.explicitAddress && !(await listening(target.address)))
      throw new UserError(`the local stack is not running (nothing listens at ${target.address})`);
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
