// How to reach Temporal: a local dev server, a team cluster or Temporal Cloud. Read through
// @temporalio/envconfig, so dkmv understands the same environment variables and config-file
// profiles as the `temporal` CLI and the other SDKs (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
// TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE). TLS material and API
// keys are read here and never logged.
import type { TLSConfig } from '@temporalio/client';
import { loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';
import { UserError } from '../errors.js';

export const DEFAULT_ADDRESS = '127.0.0.1:7233';

/** The user's local stack (`dkmv up`): 127.0.0.1:7233, or DKMV_STACK_PORT (tests use their own). */
export function localStackAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.DKMV_STACK_PORT ? `127.0.0.1:${env.DKMV_STACK_PORT}` : DEFAULT_ADDRESS;
}
export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_TASK_QUEUE = 'dkmv';

export interface TemporalTarget {
  address: string;
  namespace: string;
  taskQueue: string;
  /** True when an address was configured (env or profile): dkmv then never starts a local server. */
  explicitAddress: boolean;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  /** gRPC metadata from the profile or TEMPORAL_GRPC_META_* (e.g. routing headers). */
  metadata?: Record<string, string>;
}

/** dkmv's own variable names before envconfig, and what replaces them. Kept for one release. */
export const DEPRECATED_VARIABLES: Record<string, string> = {
  TEMPORAL_TLS_CERT: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_TLS_KEY: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  TEMPORAL_TLS_CA: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
};

const warned = new Set<string>();

function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`dkmv: ${message}\n`);
}

/** The environment with deprecated names copied to their new names (the new name wins). */
function withCurrentNames(env: NodeJS.ProcessEnv, warn: (message: string) => void): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  for (const [old, current] of Object.entries(DEPRECATED_VARIABLES)) {
    if (!env[old]) continue;
    warn(`${old} is deprecated and will stop working in the next release: set ${current} instead`);
    if (!env[current]) out[current] = env[old];
  }
  return out;
}

function loadProfile(env: Record<string, string>) {
  try {
    return toClientOptions(loadClientConfigProfile({ overrideEnvVars: env }));
  } catch (err) {
    const message = (err as Error).message;
    const profile = env.TEMPORAL_PROFILE;
    if (/Profile '.*' not found/.test(message)) {
      throw new UserError(`TEMPORAL_PROFILE=${profile}: no such profile in the Temporal config file`, {
        hint: 'list profiles with `temporal config list`, or unset TEMPORAL_PROFILE',
      });
    }
    const file = /ENOENT[^']*'([^']+)'/.exec(message)?.[1];
    throw new UserError(`cannot read the Temporal connection settings: ${file ? `${file} cannot be read` : message}`, {
      hint: 'check TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE and the TEMPORAL_TLS_*_PATH variables',
    });
  }
}

/**
 * The Temporal target from the environment (and the active config profile, if any), plus
 * DKMV_TASK_QUEUE. Deprecated names (TEMPORAL_TLS_CERT, _KEY, _CA) still work, with a notice.
 */
export function temporalTargetFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = warnOnce,
): TemporalTarget {
  const current = withCurrentNames(env, warn);
  const certPath = current.TEMPORAL_TLS_CLIENT_CERT_PATH;
  const keyPath = current.TEMPORAL_TLS_CLIENT_KEY_PATH;
  if (Boolean(certPath) !== Boolean(keyPath)) {
    throw new UserError('TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH must be set together', {
      hint: 'give both the client certificate and its key (PEM files) for mTLS',
    });
  }
  const { connectionOptions, namespace } = loadProfile(current);
  const target: TemporalTarget = {
    address: connectionOptions.address || localStackAddress(env),
    namespace: namespace || DEFAULT_NAMESPACE,
    taskQueue: env.DKMV_TASK_QUEUE || DEFAULT_TASK_QUEUE,
    explicitAddress: Boolean(connectionOptions.address),
  };
  if (connectionOptions.apiKey) target.apiKey = connectionOptions.apiKey as string;
  if (connectionOptions.tls != null) target.tls = connectionOptions.tls;
  if (connectionOptions.metadata && Object.keys(connectionOptions.metadata).length) {
    target.metadata = connectionOptions.metadata as Record<string, string>;
  }
  return target;
}

/** Options for `Connection.connect` / `NativeConnection.connect`. */
export function connectOptions(target: TemporalTarget): {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
} {
  return {
    address: target.address,
    ...(target.tls !== undefined ? { tls: target.tls } : {}),
    ...(target.apiKey ? { apiKey: target.apiKey } : {}),
    ...(target.metadata ? { metadata: target.metadata } : {}),
  };
}
