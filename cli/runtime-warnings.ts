// Node's runtime warnings (MaxListenersExceededWarning, DeprecationWarning DEP0123 from a library
// connecting with TLS to an IP address, ...) are for dkmv's developers, not its users: they would
// land in the middle of a run's progress. They are kept out of the terminal unless DKMV_DEBUG is set.

/** Replaces Node's printing of process warnings: shown only with DKMV_DEBUG=1. */
export function keepRuntimeWarningsFromUsers(env: NodeJS.ProcessEnv = process.env): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error) => {
    if (env.DKMV_DEBUG) process.stderr.write(`(debug) node warning: ${warning.name}: ${warning.message}\n`);
  });
}
