// How to reach Temporal, from the environment: a local dev server, a team cluster or Temporal Cloud.
// TLS material and API keys are read from files/env here and never logged.
import { readFileSync } from 'node:fs';
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
  /** True when TEMPORAL_ADDRESS was given: dkmv then never starts a local server on its own. */
  explicitAddress: boolean;
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer } | true;
  apiKey?: string;
}

function readPem(path: string, variable: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new UserError(`${variable} points to ${path}, which cannot be read`, {
      hint: `set ${variable} to the path of a PEM file`,
    });
  }
}

/**
 * Reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, DKMV_TASK_QUEUE, TEMPORAL_API_KEY,
 * TEMPORAL_TLS (true/false), TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY (mTLS), TEMPORAL_TLS_CA.
 */
export function temporalTargetFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const target: TemporalTarget = {
    address: env.TEMPORAL_ADDRESS || localStackAddress(env),
    namespace: env.TEMPORAL_NAMESPACE || DEFAULT_NAMESPACE,
    taskQueue: env.DKMV_TASK_QUEUE || DEFAULT_TASK_QUEUE,
    explicitAddress: Boolean(env.TEMPORAL_ADDRESS),
  };
  if (env.TEMPORAL_API_KEY) target.apiKey = env.TEMPORAL_API_KEY;
  const cert = env.TEMPORAL_TLS_CERT;
  const key = env.TEMPORAL_TLS_KEY;
  if (Boolean(cert) !== Boolean(key)) {
    throw new UserError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together');
  }
  if (cert && key) {
    target.tls = { clientCertPair: { crt: readPem(cert, 'TEMPORAL_TLS_CERT'), key: readPem(key, 'TEMPORAL_TLS_KEY') } };
    if (env.TEMPORAL_TLS_CA) target.tls.serverRootCACertificate = readPem(env.TEMPORAL_TLS_CA, 'TEMPORAL_TLS_CA');
  } else if (env.TEMPORAL_TLS === 'true' || target.apiKey) {
    target.tls = true;
  }
  return target;
}

/** Options for `Connection.connect` / `NativeConnection.connect`. */
export function connectOptions(target: TemporalTarget): {
  address: string;
  tls?: TemporalTarget['tls'];
  apiKey?: string;
} {
  const options: { address: string; tls?: TemporalTarget['tls']; apiKey?: string } = { address: target.address };
  if (target.tls) options.tls = target.tls;
  if (target.apiKey) options.apiKey = target.apiKey;
  return options;
}
