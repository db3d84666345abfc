// Temporal errors the user can fix (no server at the address, a namespace that does not exist, an
// API key or TLS against a plain server, refused credentials), as UserErrors with the address and
// the setting to change. No Temporal SDK import: the CLI's error reporter uses this too.
import { UserError } from '../core/errors.js';
import type { TemporalTarget } from '../core/temporal/connection-options.js';

/** Where the address came from, for hints. */
function addressSource(target: TemporalTarget): string {
  return target.explicitAddress ? 'TEMPORAL_ADDRESS (or the TEMPORAL_PROFILE in use)' : 'the local stack';
}

export function unreachable(target: TemporalTarget, why: string): UserError {
  const from = target.explicitAddress ? ' (TEMPORAL_ADDRESS)' : '';
  return new UserError(`cannot reach Temporal at ${target.address}${from}: ${why}`, {
    hint: target.explicitAddress
      ? `check the address in ${addressSource(target)}, or unset TEMPORAL_ADDRESS to use your local stack (\`dkmv up\`)`
      : 'start the local stack with `dkmv up` (or set TEMPORAL_ADDRESS to your Temporal server)',
  });
}

function grpcCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof e.code === 'number' ? e.code : typeof e.cause?.code === 'number' ? e.cause.code : undefined;
  return code;
}

/**
 * A Temporal error the user can fix, as a UserError; undefined for anything else. Used where the
 * CLI connects and, as a last resort, by the CLI's error reporter.
 */
export function classifyTemporalError(err: unknown, target: TemporalTarget): UserError | undefined {
  const message = err instanceof Error ? err.message : String(err);
  const code = grpcCode(err);
  if (code === 5 && /namespace/i.test(message)) {
    return new UserError(
      `TEMPORAL_NAMESPACE: namespace '${target.namespace}' does not exist on the Temporal server at ${target.address}`,
      {
        hint: 'set TEMPORAL_NAMESPACE to an existing namespace (`temporal operator namespace list`), or unset it to use "default"',
      },
    );
  }
  if (code === 16 || code === 7) {
    const setting = target.apiKey ? 'TEMPORAL_API_KEY' : 'TEMPORAL_TLS_CLIENT_CERT_PATH';
    return new UserError(
      `${setting}: the Temporal server at ${target.address} refused dkmv's credentials (${message.replace(/^\d+ \w+: /, '')})`,
      {
        hint: `check TEMPORAL_API_KEY (or the client certificate) and that it may use namespace '${target.namespace}'`,
      },
    );
  }
  if (
    /Failed to connect before the deadline|UNAVAILABLE|ECONNREFUSED|handshake|SSL|TLS/i.test(message) ||
    code === 14
  ) {
    if (target.apiKey || target.tls) {
      return new UserError(
        `cannot talk to Temporal at ${target.address} over TLS: ${target.apiKey ? 'TEMPORAL_API_KEY is set, which turns TLS on, but' : 'TLS is on, but'} the server does not complete a TLS handshake (a plain server, such as a local dev server?)`,
        {
          hint: 'unset TEMPORAL_API_KEY / TEMPORAL_TLS* for a plain server, or point TEMPORAL_ADDRESS at the TLS endpoint (e.g. <namespace>.<account>.tmprl.cloud:7233)',
        },
      );
    }
    return unreachable(target, 'the server does not answer gRPC there');
  }
  if (code === 12) return unreachable(target, 'what answers there is not a Temporal frontend');
  return undefined;
}
