// The HTTP API's JSON (proto3 JSON: base64 bytes, int64 as strings, enums by name, RFC 3339
// times) mapped to the shapes the Temporal client gives dkmv's CLI code (payloads with byte
// arrays, Date times, `{code, name}` statuses, decoded memo and search attributes), so the code
// that reads a run does not care which path fetched it. Pure: unit-tested without a server.
import { defaultPayloadConverter, mapFromPayloads, type Payload } from '@temporalio/common';
// The SDK's own search attribute codec (not re-exported from the package's index).
import {
  decodeSearchAttributes,
  decodeTypedSearchAttributes,
} from '@temporalio/common/lib/converter/payload-search-attributes.js';
import type { WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';

export type Json = Record<string, unknown>;

/** A payload as the HTTP API sends it without shorthand: base64 data and metadata values. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const bytes = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));
const b64 = (data: Uint8Array | null | undefined): string => Buffer.from(data ?? new Uint8Array()).toString('base64');

export function payloadFromJson(p: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = bytes(v);
  return { metadata, data: bytes(p.data ?? '') };
}

export function payloadToJson(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = b64(v);
  return { metadata, data: b64(p.data) };
}

/** A value encoded as the SDK's default converter encodes it (JSON, undefined, bytes). */
export function toJsonPayload(value: unknown): JsonPayload {
  return payloadToJson(defaultPayloadConverter.toPayload(value));
}

/** True for an object that is a Payload message: `metadata` of base64 strings, optional `data`. */
function isJsonPayload(v: unknown): v is JsonPayload {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  const meta = (v as Json).metadata;
  return (
    keys.includes('metadata') &&
    keys.every((k) => k === 'metadata' || k === 'data' || k === 'externalPayloads') &&
    !!meta &&
    typeof meta === 'object' &&
    Object.values(meta).every((x) => typeof x === 'string')
  );
}

/** The response with every payload in it turned into the SDK's shape (byte arrays). */
export function withPayloads<T>(value: T): T {
  if (isJsonPayload(value)) return payloadFromJson(value) as T;
  if (Array.isArray(value)) return value.map(withPayloads) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPayloads(v)])) as T;
  return value;
}

const STATUS_CODES: Record<string, number> = {
  UNSPECIFIED: 0,
  RUNNING: 1,
  COMPLETED: 2,
  FAILED: 3,
  CANCELED: 4,
  TERMINATED: 5,
  CONTINUED_AS_NEW: 6,
  TIMED_OUT: 7,
  PAUSED: 8,
};

/** `WORKFLOW_EXECUTION_STATUS_CANCELED` → the client's `{code: 4, name: 'CANCELLED'}`. */
export function statusOf(json: unknown): WorkflowExecutionInfo['status'] {
  const short = String(json ?? 'UNSPECIFIED').replace(/^WORKFLOW_EXECUTION_STATUS_/, '');
  const code = STATUS_CODES[short];
  const name = short === 'CANCELED' ? 'CANCELLED' : code === undefined ? 'UNKNOWN' : short;
  return { code: code ?? 0, name } as WorkflowExecutionInfo['status'];
}

function time(json: unknown): Date | undefined {
  if (typeof json !== 'string' || json.startsWith('0001-01-01')) return undefined;
  return new Date(json);
}

function execution(json: unknown): { workflowId: string; runId: string } | undefined {
  const e = json as { workflowId?: string; runId?: string } | undefined;
  return e?.workflowId ? { workflowId: e.workflowId, runId: e.runId ?? '' } : undefined;
}

/** One `WorkflowExecutionInfo` of a list or describe answer (payloads already converted). */
export function executionInfoFromJson(raw: Json): WorkflowExecutionInfo {
  const exec = execution(raw.execution) ?? { workflowId: '', runId: '' };
  const indexed = (raw.searchAttributes as { indexedFields?: Record<string, Payload> } | undefined)?.indexedFields;
  const parent = execution(raw.parentExecution);
  const root = execution(raw.rootExecution);
  return {
    type: (raw.type as { name?: string } | undefined)?.name ?? '',
    workflowId: exec.workflowId,
    runId: exec.runId,
    taskQueue: String(raw.taskQueue ?? ''),
    status: statusOf(raw.status),
    historyLength: Number(raw.historyLength ?? 0),
    ...(raw.historySizeBytes ? { historySize: Number(raw.historySizeBytes) } : {}),
    startTime: time(raw.startTime) ?? new Date(0),
    ...(time(raw.executionTime) ? { executionTime: time(raw.executionTime) } : {}),
    ...(time(raw.closeTime) ? { closeTime: time(raw.closeTime) } : {}),
    memo: mapFromPayloads(
      defaultPayloadConverter,
      (raw.memo as { fields?: Record<string, Payload> } | undefined)?.fields,
    ),
    searchAttributes: decodeSearchAttributes(indexed),
    typedSearchAttributes: decodeTypedSearchAttributes(indexed),
    ...(parent ? { parentExecution: parent } : {}),
    ...(root ? { rootExecution: root } : {}),
    raw: raw as WorkflowExecutionInfo['raw'],
  };
}

/** A describe answer: the execution info, with the whole answer as `raw` (pending activities, …). */
export function descriptionFromJson(json: Json): WorkflowExecutionDescription {
  const converted = withPayloads(json);
  const info = executionInfoFromJson((converted.workflowExecutionInfo ?? {}) as Json);
  return { ...info, raw: converted } as unknown as WorkflowExecutionDescription;
}

/** The answer of a list page: executions and the token of the next page (absent on the last). */
export function listPageFromJson(json: Json): { executions: WorkflowExecutionInfo[]; nextPageToken?: string } {
  const executions = ((json.executions ?? []) as Json[]).map((e) => executionInfoFromJson(withPayloads(e)));
  const token = typeof json.nextPageToken === 'string' && json.nextPageToken ? json.nextPageToken : undefined;
  return { executions, ...(token ? { nextPageToken: token } : {}) };
}
