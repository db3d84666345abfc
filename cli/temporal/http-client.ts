// The client commands' Temporal calls (client-like.ts) over Temporal's HTTP API, answering with
// the SDK's shapes and error names, so `dkmv runs`, `show`, `status`, `run --no-wait`, `approve`
// and `stop` never load gRPC and protobuf. What has no HTTP mapping here (a reader workflow's
// execute, a result after continue-as-new) is handed to the gRPC client, opened on first use.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Client } from '@temporalio/client';
import { arrayFromPayloads, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { encodeUnifiedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes.js';
import type { temporal } from '@temporalio/proto';
import type { StartOptionsLike, TemporalClientLike, WorkflowHandleLike } from './client-like.js';
import { HttpApiError, type HttpApi } from './http-api.js';
import {
  descriptionFromJson,
  listPageFromJson,
  payloadToJson,
  toJsonPayload,
  withPayloads,
  type Json,
} from './http-json.js';

type Grpc = () => Promise<Client>;

/** The identity the SDK's client sends (pid@host), so history and the Web UI name the CLI alike. */
const IDENTITY = `${process.pid}@${os.hostname()}`;
/** Long enough for a worker to answer a decision; the update is repeated (same id) until it has. */
const UPDATE_WAIT_MS = 60_000;

/** An error with the name the SDK gives it, for code that branches on `err.name`. */
function named(name: string, message: string, cause?: unknown): Error {
  const err = new Error(message, cause === undefined ? undefined : { cause });
  err.name = name;
  return err;
}

function notFoundAware(workflowId: string): (err: unknown) => never {
  return (err) => {
    if (err instanceof HttpApiError && err.code === 5 && !/namespace/i.test(err.message))
      throw named('WorkflowNotFoundError', `Workflow not found: ${workflowId}`, err);
    throw err;
  };
}

const payloadsOf = (values: unknown[]) => ({ payloads: values.map(toJsonPayload) });

/** The first payload of `{payloads}` decoded as the SDK decodes it. */
function firstValue(payloads: { payloads?: Payload[] } | undefined): unknown {
  const p = payloads?.payloads?.[0];
  return p ? defaultPayloadConverter.fromPayload(p) : undefined;
}

/** A failure message and its details (the view a failed run carries). */
function failureCause(failure: Json | undefined): { message: string; details: unknown[] } {
  const info = failure?.applicationFailureInfo as { details?: { payloads?: Payload[] } } | undefined;
  return {
    message: String(failure?.message ?? 'failed'),
    details: arrayFromPayloads(defaultPayloadConverter, info?.details?.payloads),
  };
}

class HttpWorkflowHandle implements WorkflowHandleLike {
  constructor(
    private readonly api: HttpApi,
    readonly workflowId: string,
    private readonly signals: AsyncLocalStorage<AbortSignal>,
    private readonly grpc: Grpc,
  ) {}

  private path(rest = ''): string {
    return this.api.nsPath(`/workflows/${encodeURIComponent(this.workflowId)}${rest}`);
  }

  async describe() {
    const json = await this.api.get<Json>(this.path()).catch(notFoundAware(this.workflowId));
    return descriptionFromJson(json);
  }

  async query<R>(queryType: string): Promise<R> {
    const body = { query: { queryArgs: { payloads: [] } } };
    const path = this.path(`/query/${encodeURIComponent(queryType)}`);
    const json = withPayloads(await this.api.post<Json>(path, body, this.signals.getStore()));
    if (json.queryRejected) throw named('QueryRejectedError', `Query rejected: ${JSON.stringify(json.queryRejected)}`);
    return firstValue(json.queryResult as { payloads?: Payload[] }) as R;
  }

  async result(): Promise<unknown> {
    const json = withPayloads(
      await this.api
        .get<Json>(this.path('/history'), {
          historyEventFilterType: 'HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT',
          waitNewEvent: 'true',
        })
        .catch(notFoundAware(this.workflowId)),
    );
    const event = ((json.history as { events?: Json[] } | undefined)?.events ?? [])[0] ?? {};
    return this.resultOf(event);
  }

  /** The close event as the SDK's result(): the value, or a WorkflowFailedError with its cause. */
  private async resultOf(event: Json): Promise<unknown> {
    const attrs = (name: string) => event[name] as Json | undefined;
    if (attrs('workflowExecutionCompletedEventAttributes'))
      return firstValue(attrs('workflowExecutionCompletedEventAttributes')!.result as { payloads?: Payload[] });
    if (attrs('workflowExecutionFailedEventAttributes')) {
      const cause = failureCause(attrs('workflowExecutionFailedEventAttributes')!.failure as Json);
      throw named('WorkflowFailedError', 'Workflow execution failed', cause);
    }
    if (attrs('workflowExecutionCanceledEventAttributes')) {
      const details = attrs('workflowExecutionCanceledEventAttributes')!.details as { payloads?: Payload[] };
      const cause = {
        message: 'Workflow canceled',
        details: arrayFromPayloads(defaultPayloadConverter, details?.payloads),
      };
      throw named('WorkflowFailedError', 'Workflow execution cancelled', cause);
    }
    if (attrs('workflowExecutionTerminatedEventAttributes') || attrs('workflowExecutionTimedOutEventAttributes'))
      throw named('WorkflowFailedError', 'Workflow execution did not complete', { message: 'closed', details: [] });
    // Continued as new (or anything newer): the SDK follows the chain.
    return (await this.grpc()).workflow.getHandle(this.workflowId).result();
  }

  async fetchHistory(): Promise<temporal.api.history.v1.IHistory> {
    const events: Json[] = [];
    let nextPageToken: string | undefined;
    do {
      const page = await this.api
        .get<Json>(this.path('/history'), { nextPageToken })
        .catch(notFoundAware(this.workflowId));
      events.push(...(((page.history as { events?: Json[] } | undefined)?.events ?? []) as Json[]));
      nextPageToken = typeof page.nextPageToken === 'string' && page.nextPageToken ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return { events: withPayloads(events) } as temporal.api.history.v1.IHistory;
  }

  async executeUpdate<R, A extends unknown[]>(updateName: string, options: { args: A }): Promise<R> {
    const body = {
      request: { meta: { updateId: randomUUID(), identity: IDENTITY }, input: { args: payloadsOf(options.args) } },
      waitPolicy: { lifecycleStage: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED' },
    };
    const path = this.path(`/update/${encodeURIComponent(updateName)}`);
    const deadline = Date.now() + UPDATE_WAIT_MS;
    for (;;) {
      const json = withPayloads(await this.api.post<Json>(path, body).catch(notFoundAware(this.workflowId)));
      const outcome = json.outcome as { success?: { payloads?: Payload[] }; failure?: Json } | undefined;
      if (outcome?.failure)
        throw named('WorkflowUpdateFailedError', 'Workflow Update failed', failureCause(outcome.failure));
      if (outcome) return firstValue(outcome.success) as R;
      // Accepted but not completed within the server's wait: asking again (same update id) waits on.
      if (Date.now() > deadline)
        throw named('WorkflowUpdateRPCTimeoutOrCancelledError', 'update not completed in time');
    }
  }

  cancel(): Promise<unknown> {
    return this.api.post(this.path('/cancel'), { identity: IDENTITY, requestId: randomUUID() });
  }

  terminate(reason?: string): Promise<unknown> {
    return this.api.post(this.path('/terminate'), { identity: IDENTITY, ...(reason ? { reason } : {}) });
  }
}

/** The request body of StartWorkflowExecution for dkmv's start options. */
export function startRequest(workflowType: string, options: StartOptionsLike): Json {
  const indexed = encodeUnifiedSearchAttributes(undefined, options.typedSearchAttributes);
  const userMetadata = {
    ...(options.staticSummary !== undefined ? { summary: toJsonPayload(options.staticSummary) } : {}),
    ...(options.staticDetails !== undefined ? { details: toJsonPayload(options.staticDetails) } : {}),
  };
  return {
    workflowId: options.workflowId,
    workflowType: { name: workflowType },
    taskQueue: { name: options.taskQueue },
    input: payloadsOf(options.args),
    identity: IDENTITY,
    requestId: randomUUID(),
    ...(Object.keys(indexed).length
      ? {
          searchAttributes: {
            indexedFields: Object.fromEntries(
              Object.entries(indexed).map(([k, p]) => [k, payloadToJson(p as Payload)]),
            ),
          },
        }
      : {}),
    ...(Object.keys(userMetadata).length ? { userMetadata } : {}),
  };
}

export class HttpTemporalClient implements TemporalClientLike {
  readonly options: { namespace: string };
  private readonly signals = new AsyncLocalStorage<AbortSignal>();

  constructor(
    private readonly api: HttpApi,
    private readonly grpc: Grpc,
  ) {
    this.options = { namespace: api.namespace };
  }

  readonly workflow: TemporalClientLike['workflow'] = {
    list: (options = {}) => this.list(options),
    getHandle: (workflowId) => new HttpWorkflowHandle(this.api, workflowId, this.signals, this.grpc),
    start: async (workflowType, options) => {
      const path = this.api.nsPath(`/workflows/${encodeURIComponent(options.workflowId)}`);
      return this.api.post(path, startRequest(workflowType, options)).catch((err: unknown) => {
        if (err instanceof HttpApiError && err.code === 6)
          throw named(
            'WorkflowExecutionAlreadyStartedError',
            `Workflow execution already started: ${options.workflowId}`,
          );
        throw err;
      });
    },
    execute: async (workflowType, options) => (await this.grpc()).workflow.execute(workflowType, options),
  };

  withAbortSignal<R>(signal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    return this.signals.run(signal, fn);
  }

  private async *list(options: { query?: string; pageSize?: number }) {
    let nextPageToken: string | undefined;
    do {
      const json = await this.api.get<Json>(this.api.nsPath('/workflows'), {
        query: options.query,
        pageSize: options.pageSize,
        nextPageToken,
      });
      const page = listPageFromJson(json);
      yield* page.executions;
      nextPageToken = page.nextPageToken;
    } while (nextPageToken);
  }
}
