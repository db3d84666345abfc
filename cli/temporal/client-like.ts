// What the everyday client commands (runs, show, status, run --no-wait, approve, stop) ask of
// Temporal: the few calls of the SDK's Client they use, with the SDK's shapes. The SDK client
// satisfies it as it is (gRPC); cli/temporal/http-client.ts implements it over the HTTP API, so
// the code that reads and drives runs is the same whichever path the connection module picked.
// Type imports only: nothing here loads the SDK.
import type { WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

export interface WorkflowHandleLike {
  readonly workflowId: string;
  describe(): Promise<WorkflowExecutionDescription>;
  /** A query by name; aborted by the signal given to `withAbortSignal`. */
  query<R>(queryType: string): Promise<R>;
  /** The result of a closed run (a failed run throws an error named WorkflowFailedError). */
  result(): Promise<unknown>;
  fetchHistory(): Promise<temporal.api.history.v1.IHistory>;
  executeUpdate<R, A extends unknown[]>(updateName: string, options: { args: A }): Promise<R>;
  cancel(): Promise<unknown>;
  terminate(reason?: string): Promise<unknown>;
}

/** The start options dkmv's run commands use (cli/run/start-options.ts + the Web UI metadata). */
export interface StartOptionsLike {
  workflowId: string;
  taskQueue: string;
  args: unknown[];
  typedSearchAttributes?: SearchAttributePair[];
  staticSummary?: string;
  staticDetails?: string;
}

export interface TemporalClientLike {
  readonly options: { namespace: string };
  readonly workflow: {
    list(options?: { query?: string; pageSize?: number }): AsyncIterable<WorkflowExecutionInfo>;
    getHandle(workflowId: string): WorkflowHandleLike;
    start(workflowType: string, options: StartOptionsLike): Promise<unknown>;
    /** Start and wait for the result (a short reader workflow on another host's queue). */
    execute(
      workflowType: string,
      options: StartOptionsLike & { workflowExecutionTimeout?: string | number },
    ): Promise<unknown>;
  };
  withAbortSignal<R>(signal: AbortSignal, fn: () => Promise<R>): Promise<R>;
}
