// The one place the CLI connects to Temporal, over one of two paths with the same settings
// (envconfig: address, namespace, TLS, API key, gRPC metadata; core/temporal/connection-options):
//   - HTTP (Temporal's HTTP API, fetch): when its endpoint is known — the local stack's (frontend
//     port + 10) or DKMV_TEMPORAL_HTTP_URL / `temporal_http_url` for another server — and the TLS
//     settings need nothing fetch cannot do (a client certificate, a private CA, a server name
//     override). No gRPC or protobuf is loaded: ≈ 0.45 s of CPU less per command.
//   - gRPC (@temporalio/client, imported only here and only then): every other case, and whatever
//     the HTTP path does not cover (following a run live, reading records through another host).
// Either way an unreachable server, an unknown namespace or refused credentials is a UserError.
import type { Client } from '@temporalio/client';
import type { TemporalTarget } from '../../core/temporal/connection-options.js';
import { stackHttpPort } from '../stack/paths.js';
import { classifyTemporalError, unreachable } from '../temporal-errors.js';
import type { TemporalClientLike } from './client-like.js';
import { HttpApi, HttpApiError, HttpUnreachableError } from './http-api.js';
import { probeTcp } from './tcp-probe.js';

export type Transport = 'http' | 'grpc';

/** Which tasks of a queue a poller asked for. */
export type PollKind = 'workflow' | 'activity';

export interface Poller {
  identity: string;
  /** Last poll, ms since the epoch. */
  at: number;
}

export interface TemporalSession {
  target: TemporalTarget;
  transport: Transport;
  client: TemporalClientLike;
  /** The SDK's client over gRPC (following a run, starting a harness…), opened on first use. */
  sdk(): Promise<Client>;
  /** Workers that polled the task queue for workflow (default) or activity tasks, as long as the server remembers. */
  pollers(taskQueue: string, kind?: PollKind): Promise<Poller[]>;
  close(): Promise<void>;
}

/** Forces the gRPC path (DKMV_TEMPORAL_TRANSPORT=grpc), e.g. to compare the two. */
function grpcForced(env: NodeJS.ProcessEnv): boolean {
  return env.DKMV_TEMPORAL_TRANSPORT === 'grpc';
}

/** What fetch cannot do (Node's fetch takes no client certificate, CA or server name). */
function tlsNeedsGrpc(target: TemporalTarget): boolean {
  const tls = typeof target.tls === 'object' ? target.tls : undefined;
  return Boolean(tls?.clientCertPair || tls?.serverRootCACertificate || tls?.serverNameOverride);
}

/** Temporal's HTTP API: the configured URL, else the local stack's; unknown for another server. */
export function httpApiUrl(target: TemporalTarget, configured?: string): string | undefined {
  if (configured) return configured.replace(/\/+$/, '');
  if (target.explicitAddress) return undefined;
  const [host = '127.0.0.1', port = '7233'] = target.address.split(':');
  return `http://${host}:${stackHttpPort(Number(port))}`;
}

/** The HTTP endpoint the CLI's client commands use for `target`, or undefined for gRPC. */
export function httpTransportUrl(
  target: TemporalTarget,
  configured?: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (grpcForced(env) || tlsNeedsGrpc(target)) return undefined;
  return httpApiUrl(target, configured);
}

function httpApi(target: TemporalTarget, baseUrl: string): HttpApi {
  return new HttpApi({
    baseUrl,
    namespace: target.namespace,
    ...(target.apiKey ? { apiKey: target.apiKey } : {}),
    ...(target.metadata ? { metadata: target.metadata } : {}),
  });
}

const UNREACHABLE_WHY: Record<HttpUnreachableError['reason'], string> = {
  refused: 'nothing listens there (connection refused)',
  'unknown-host': 'the host name does not resolve',
  timeout: 'no answer in time',
  error: 'the request failed',
};

/** Where the HTTP endpoint came from, for the message. */
function from(target: TemporalTarget): string {
  return target.explicitAddress ? ' (DKMV_TEMPORAL_HTTP_URL)' : " (the local stack's, port + 10)";
}

/** An HTTP failure as the UserError the gRPC path gives for the same cause. */
export function httpUserError(err: unknown, target: TemporalTarget, baseUrl: string): Error {
  if (err instanceof HttpUnreachableError)
    return unreachable(target, `its HTTP API at ${baseUrl}${from(target)}: ${UNREACHABLE_WHY[err.reason]}`);
  if (err instanceof HttpApiError)
    return (
      classifyTemporalError(err, target) ?? unreachable(target, `its HTTP API at ${baseUrl} answered: ${err.message}`)
    );
  return err as Error;
}

/** One lazily opened gRPC connection and its SDK client. */
function grpcOpener(target: TemporalTarget) {
  let opened: Promise<{ client: Client; close(): Promise<void> }> | undefined;
  const open = async () => (await import('../temporal-connect.js')).openSdkClient(target);
  return {
    client: async () => (await (opened ??= open())).client,
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}

async function openGrpc(target: TemporalTarget): Promise<TemporalSession> {
  const grpc = grpcOpener(target);
  const client = await grpc.client();
  return {
    target,
    transport: 'grpc',
    client: client as unknown as TemporalClientLike,
    sdk: grpc.client,
    pollers: async (taskQueue, kind = 'workflow') => {
      const res = await client.workflowService.describeTaskQueue({
        namespace: target.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: kind === 'workflow' ? 1 : 2, // TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY
      });
      return (res.pollers ?? []).map((p) => ({
        identity: p.identity ?? '?',
        at: Number(p.lastAccessTime?.seconds ?? 0) * 1000,
      }));
    },
    close: grpc.close,
  };
}

async function openHttp(target: TemporalTarget, baseUrl: string): Promise<TemporalSession> {
  const api = httpApi(target, baseUrl);
  // One round trip, as the gRPC path's describeNamespace: a wrong namespace or key is reported here.
  await api.get(api.nsPath());
  const grpc = grpcOpener(target);
  const { HttpTemporalClient } = await import('./http-client.js');
  return {
    target,
    transport: 'http',
    client: new HttpTemporalClient(api, grpc.client),
    sdk: grpc.client,
    pollers: async (taskQueue, kind = 'workflow') => {
      const res = await api.get<{ pollers?: { identity?: string; lastAccessTime?: string }[] }>(
        api.nsPath(`/task-queues/${encodeURIComponent(taskQueue)}`),
        { taskQueueType: kind === 'workflow' ? 'TASK_QUEUE_TYPE_WORKFLOW' : 'TASK_QUEUE_TYPE_ACTIVITY' },
      );
      return (res.pollers ?? []).map((p) => ({
        identity: p.identity ?? '?',
        at: p.lastAccessTime ? Date.parse(p.lastAccessTime) : 0,
      }));
    },
    close: grpc.close,
  };
}

/** The configured HTTP API URL (`temporal_http_url`: DKMV_TEMPORAL_HTTP_URL, `.env`, `.dkmv/config.json`). */
async function configuredHttpUrl(): Promise<string | undefined> {
  const { resolveConfig } = await import('../../core/config/index.js');
  try {
    return resolveConfig().values.temporal_http_url;
  } catch {
    // a project configuration with a mistake is reported by the commands that use it
    return process.env.DKMV_TEMPORAL_HTTP_URL;
  }
}

/**
 * Connects to `target` over HTTP when its HTTP API is known and usable, else over gRPC. A local
 * stack whose server has no HTTP API (started by hand) is reached over gRPC too.
 */
export async function openTemporal(
  target: TemporalTarget,
  options: { transport?: Transport; httpUrl?: string } = {},
): Promise<TemporalSession> {
  if (options.transport === 'grpc') return openGrpc(target);
  const url = httpTransportUrl(target, options.httpUrl ?? (await configuredHttpUrl()));
  if (!url) return openGrpc(target);
  try {
    return await openHttp(target, url);
  } catch (err) {
    const refused = err instanceof HttpUnreachableError && err.reason === 'refused';
    if (!refused || target.explicitAddress) throw httpUserError(err, target, url);
    // A local server without the HTTP API (started by hand) still answers gRPC; a stopped stack not.
    if ((await probeTcp(target.address)) !== 'open')
      throw unreachable(target, 'nothing listens there (connection refused)');
    return openGrpc(target);
  }
}

/** True when a Temporal frontend answers for `target` (HTTP when known, else gRPC). */
export async function temporalAnswers(target: TemporalTarget, httpUrl?: string): Promise<boolean> {
  const url = httpTransportUrl(target, httpUrl ?? (await configuredHttpUrl()));
  if (url) {
    const ok = await httpApi(target, url)
      .get('/api/v1/system-info')
      .then(() => true)
      .catch(() => false);
    if (ok || target.explicitAddress) return ok;
  }
  // Nothing listening is the common case of a stopped local stack: known without loading gRPC.
  if ((await probeTcp(target.address)) !== 'open') return false;
  return (await import('../temporal-connect.js')).grpcServerAnswers(target.address);
}
