// The containment policy of a Docker host's sandboxes, read from the WORKER's environment (the
// operator of a Docker host decides what its containers may reach, not the component being run):
//   DKMV_SANDBOX_NETWORK  host | bridge | none | allowlist   (unset: host for a loopback model URL,
//                         else bridge — what dkmv always did)
//   DKMV_SANDBOX_ALLOW    allowlist entries `host[:port]` (port 443 when left out), comma or space
//                         separated; the agent's model endpoint is always added
//   DKMV_SANDBOX_PIDS     most processes/threads one sandbox may hold (default 4096)
// Pure: parsed and validated here, applied by activities/sandbox.
import { UserError } from '../errors.js';

export const NETWORK_MODES = ['host', 'bridge', 'none', 'allowlist'] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

/** Node and Chromium count threads against the limit too; 4096 fits a browser plus npm, not a fork bomb. */
export const DEFAULT_PIDS_LIMIT = 4096;
/** Below this the agent CLI alone (node + its threads + a shell) cannot start. */
export const MIN_PIDS_LIMIT = 32;

export interface SandboxPolicy {
  /** undefined = decide per run from the model URL (the default). */
  network: NetworkMode | undefined;
  /** `host:port` entries, lower-case; IPv6 literals in brackets. */
  allow: string[];
  pidsLimit: number;
}

export const POLICY_ENV = {
  network: 'DKMV_SANDBOX_NETWORK',
  allow: 'DKMV_SANDBOX_ALLOW',
  pids: 'DKMV_SANDBOX_PIDS',
} as const;

/** Reads and validates the policy; a bad value is a UserError naming the variable and a fix. */
export function sandboxPolicy(env: NodeJS.ProcessEnv = process.env): SandboxPolicy {
  return {
    network: parseNetwork(env[POLICY_ENV.network]),
    allow: parseAllowlist(env[POLICY_ENV.allow] ?? ''),
    pidsLimit: parsePids(env[POLICY_ENV.pids]),
  };
}

function parseNetwork(raw: string | undefined): NetworkMode | undefined {
  const value = (raw ?? '').trim().toLowerCase();
  if (!value) return undefined;
  if ((NETWORK_MODES as readonly string[]).includes(value)) return value as NetworkMode;
  throw new UserError(`'${raw}' is not a sandbox network policy`, {
    location: { field: POLICY_ENV.network },
    hint: `set ${POLICY_ENV.network} to one of ${NETWORK_MODES.join(', ')}, or unset it for the default (see docs/security.md)`,
  });
}

function parsePids(raw: string | undefined): number {
  const value = (raw ?? '').trim();
  if (!value) return DEFAULT_PIDS_LIMIT;
  if (/^\d+$/.test(value) && Number(value) >= MIN_PIDS_LIMIT) return Number(value);
  throw new UserError(`'${raw}' is not a usable pids limit`, {
    location: { field: POLICY_ENV.pids },
    hint: `set ${POLICY_ENV.pids} to a whole number of at least ${MIN_PIDS_LIMIT} (default ${DEFAULT_PIDS_LIMIT}), or unset it`,
  });
}

/** `host[:port]` entries; a scheme or path is refused rather than guessed at. */
export function parseAllowlist(raw: string): string[] {
  const entries = raw
    .split(/[\s,]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  return [...new Set(entries.map(parseAllowEntry))];
}

function parseAllowEntry(entry: string): string {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/i.exec(entry);
  const port = m ? Number(m[2] ?? 443) : 0;
  if (!m || port < 1 || port > 65535) {
    throw new UserError(`'${entry}' is not a host or host:port`, {
      location: { field: POLICY_ENV.allow },
      hint: `write entries like registry.npmjs.org or api.example.com:443 or 127.0.0.1:4010 (no scheme, no path), separated by commas`,
    });
  }
  return `${m[1]!.toLowerCase()}:${port}`;
}

/** The model endpoint(s) an agent in the sandbox must reach: the override, else both vendors' APIs. */
export function modelEndpoints(modelUrl: string | undefined): string[] {
  if (!modelUrl) return ['api.anthropic.com:443', 'api.openai.com:443'];
  const url = new URL(modelUrl);
  return [`${url.hostname.toLowerCase()}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`];
}

/** Loopback model endpoints (mock models, local gateways) are only reachable with host networking. */
export function isLoopbackUrl(modelUrl: string | undefined): boolean {
  return !!modelUrl && /^https?:\/\/(127\.|localhost|\[::1\])/.test(modelUrl);
}

/** The network a sandbox gets: the worker's policy, else host for a loopback model URL, else bridge. */
export function effectiveNetwork(policy: SandboxPolicy, fallback: 'host' | 'bridge'): NetworkMode {
  return policy.network ?? fallback;
}
