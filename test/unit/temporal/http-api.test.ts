// The HTTP path of the CLI's Temporal client: the JSON ↔ SDK shape mapping (payloads, statuses,
// times, search attributes, memo, pending activities, the start request), the request itself
// (headers, query string, errors with their gRPC code, no API key in messages) against a local
// stand-in server, and when the connection module picks HTTP or gRPC.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterEach, describe, expect, it } from 'vitest';
import { DkmvComponent, DkmvCostUsd, DkmvStatus } from '../../../core/temporal/search-attributes.js';
import type { TemporalTarget } from '../../../core/temporal/connection-options.js';
import { HttpApi, HttpApiError, HttpUnreachableError } from '../../../cli/temporal/http-api.js';
import { HttpTemporalClient, startRequest } from '../../../cli/temporal/http-client.js';
import {
  descriptionFromJson,
  listPageFromJson,
  payloadFromJson,
  statusOf,
  toJsonPayload,
  withPayloads,
} from '../../../cli/temporal/http-json.js';
import { httpTransportUrl, httpUserError } from '../../../cli/temporal/connection.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const json = (v: unknown) => ({ metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(v)) });
const keyword = (v: string) => ({
  metadata: { encoding: b64('json/plain'), type: b64('Keyword') },
  data: b64(`"${v}"`),
});
const double = (v: number) => ({
  metadata: { encoding: b64('json/plain'), type: b64('Double') },
  data: b64(String(v)),
});

/** An execution as the dev server lists it (application/json+no-payload-shorthand). */
const EXECUTION = {
  execution: { workflowId: '260101-0000-hello-x-ab12', runId: 'r1' },
  type: { name: 'componentWorkflow' },
  startTime: '2026-01-01T00:00:00.500Z',
  closeTime: '2026-01-01T00:01:00Z',
  status: 'WORKFLOW_EXECUTION_STATUS_COMPLETED',
  historyLength: '42',
  memo: { fields: { dkmvRun: json({ status: 'completed', costUsd: 0.5 }) } },
  searchAttributes: {
    indexedFields: { DkmvComponent: keyword('hello'), DkmvStatus: keyword('completed'), DkmvCostUsd: double(0.5) },
  },
  taskQueue: 'dkmv',
  parentExecution: { workflowId: 'parent-1', runId: 'p1' },
};

describe('HTTP JSON → the SDK client shapes', () => {
  it('payloads: base64 data and metadata become byte arrays the SDK converter decodes, and back', () => {
    const p = payloadFromJson(json({ a: [1, 'x'] }));
    expect(p.data).toBeInstanceOf(Uint8Array);
    expect(defaultPayloadConverter.fromPayload(p)).toEqual({ a: [1, 'x'] });
    expect(toJsonPayload({ a: 1 })).toEqual(json({ a: 1 }));
    expect(withPayloads({ x: { payloads: [json(3)] }, y: 'z' })).toEqual({
      x: { payloads: [payloadFromJson(json(3))] },
      y: 'z',
    });
  });

  it('statuses by enum name, with the client’s spelling and codes', () => {
    expect(statusOf('WORKFLOW_EXECUTION_STATUS_RUNNING')).toEqual({ code: 1, name: 'RUNNING' });
    expect(statusOf('WORKFLOW_EXECUTION_STATUS_CANCELED')).toEqual({ code: 4, name: 'CANCELLED' });
    expect(statusOf('WORKFLOW_EXECUTION_STATUS_TIMED_OUT')).toEqual({ code: 7, name: 'TIMED_OUT' });
  });

  it('a list page: ids, type, times, typed search attributes, memo, parent, next page token', () => {
    const page = listPageFromJson({ executions: [EXECUTION], nextPageToken: 'dG9rZW4=' });
    expect(page.nextPageToken).toBe('dG9rZW4=');
    const info = page.executions[0]!;
    expect(info).toMatchObject({
      workflowId: '260101-0000-hello-x-ab12',
      runId: 'r1',
      type: 'componentWorkflow',
      status: { code: 2, name: 'COMPLETED' },
      historyLength: 42,
      taskQueue: 'dkmv',
      parentExecution: { workflowId: 'parent-1', runId: 'p1' },
      memo: { dkmvRun: { status: 'completed', costUsd: 0.5 } },
    });
    expect(info.startTime.toISOString()).toBe('2026-01-01T00:00:00.500Z');
    expect(info.closeTime?.toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(info.typedSearchAttributes.get(DkmvComponent)).toBe('hello');
    expect(info.typedSearchAttributes.get(DkmvStatus)).toBe('completed');
    expect(info.typedSearchAttributes.get(DkmvCostUsd)).toBe(0.5);
    expect(listPageFromJson({}).executions).toEqual([]);
  });

  it('a describe answer keeps pending activities (heartbeat payloads) and the workflow task in raw', () => {
    const d = descriptionFromJson({
      workflowExecutionInfo: { ...EXECUTION, status: 'WORKFLOW_EXECUTION_STATUS_RUNNING', closeTime: undefined },
      pendingActivities: [
        { activityType: { name: 'runAgentTask' }, attempt: 2, heartbeatDetails: { payloads: [json({ turns: 3 })] } },
      ],
      pendingWorkflowTask: { attempt: 4 },
    });
    expect(d.status.name).toBe('RUNNING');
    expect(d.closeTime).toBeUndefined();
    const pending = d.raw.pendingActivities![0]!;
    expect(pending.attempt).toBe(2);
    expect(defaultPayloadConverter.fromPayload(pending.heartbeatDetails!.payloads![0] as Payload)).toEqual({
      turns: 3,
    });
    expect(d.raw.pendingWorkflowTask?.attempt).toBe(4);
  });

  it('the start request: type, queue, input, search attributes (typed) and the Web UI metadata', () => {
    const body = startRequest('componentWorkflow', {
      workflowId: 'w1',
      taskQueue: 'dkmv',
      args: [{ runId: 'w1' }],
      typedSearchAttributes: [{ key: DkmvComponent, value: 'hello' }],
      staticSummary: 'hello on main',
    }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body).toMatchObject({
      workflowId: 'w1',
      workflowType: { name: 'componentWorkflow' },
      taskQueue: { name: 'dkmv' },
      input: { payloads: [json({ runId: 'w1' })] },
      userMetadata: { summary: json('hello on main') },
    });
    expect(body.searchAttributes.indexedFields.DkmvComponent).toEqual(keyword('hello'));
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

/** A stand-in for the frontend's HTTP API: records requests, answers from `routes`. */
async function fakeServer(routes: Record<string, (body: unknown) => [number, unknown]>) {
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: unknown }[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = text ? JSON.parse(text) : undefined;
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const route = Object.keys(routes).find((r) => `${req.method} ${req.url}`.startsWith(r));
      const [status, answer] = route ? routes[route]!(body) : [404, { code: 5, message: 'no route' }];
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const NS = '/api/v1/namespaces/default';
const noGrpc = () => Promise.reject(new Error('gRPC must not be used here'));

describe('HttpApi and HttpTemporalClient against a stand-in server', () => {
  it('sends full-payload JSON with the namespace, metadata and the API key; errors keep the gRPC code', async () => {
    const fake = await fakeServer({
      [`GET ${NS}/workflows?`]: () => [200, { executions: [EXECUTION] }],
      [`GET ${NS}/workflows/nope`]: () => [404, { code: 5, message: 'workflow not found for ID: nope' }],
    });
    const api = new HttpApi({
      baseUrl: `${fake.url}/`,
      namespace: 'default',
      apiKey: 'sekret',
      metadata: { 'x-route': 'a' },
    });
    await api.get(api.nsPath('/workflows'), {
      query: "DkmvStatus = 'running'",
      pageSize: 20,
      nextPageToken: undefined,
    });
    const req = fake.seen[0]!;
    expect(req.url).toBe(`${NS}/workflows?query=DkmvStatus+%3D+%27running%27&pageSize=20`);
    expect(req.headers).toMatchObject({
      accept: 'application/json+no-payload-shorthand',
      authorization: 'Bearer sekret',
      'temporal-namespace': 'default',
      'x-route': 'a',
    });
    const err = await api.get(api.nsPath('/workflows/nope')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpApiError);
    expect(err).toMatchObject({ code: 5, httpStatus: 404, message: 'workflow not found for ID: nope' });
  });

  it('an address nothing listens at is HttpUnreachableError (refused), and its UserError has no key in it', async () => {
    const fake = await fakeServer({});
    const url = fake.url;
    await closers.splice(0)[0]!(); // closed: the port now refuses
    const api = new HttpApi({ baseUrl: url, namespace: 'default', apiKey: 'sekret' });
    const err = await api.get(api.nsPath()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpUnreachableError);
    expect((err as HttpUnreachableError).reason).toBe('refused');
    const target: TemporalTarget = {
      address: 'x:7233',
      namespace: 'default',
      taskQueue: 'q',
      explicitAddress: true,
      apiKey: 'sekret',
    };
    const user = httpUserError(err, target, url);
    expect(user.message).toContain(`its HTTP API at ${url} (DKMV_TEMPORAL_HTTP_URL): nothing listens there`);
    expect(`${user.message} ${(user as { hint?: string }).hint}`).not.toContain('sekret');
  });

  it('lists page by page, describes, queries, and maps not-found, failed results and rejected updates', async () => {
    const failure = {
      message: 'task failed',
      applicationFailureInfo: { details: { payloads: [json({ status: 'failed' })] } },
    };
    const fake = await fakeServer({
      [`GET ${NS}/workflows?pageSize=1&nextPageToken=`]: () => [200, { executions: [EXECUTION] }],
      [`GET ${NS}/workflows?pageSize=1`]: () => [200, { executions: [EXECUTION], nextPageToken: 'cDI=' }],
      [`GET ${NS}/workflows/gone`]: () => [404, { code: 5, message: 'workflow not found for ID: gone' }],
      [`GET ${NS}/workflows/w1/history`]: () => [
        200,
        { history: { events: [{ workflowExecutionFailedEventAttributes: { failure } }] } },
      ],
      [`GET ${NS}/workflows/w1`]: () => [200, { workflowExecutionInfo: EXECUTION }],
      [`POST ${NS}/workflows/w1/query/status`]: () => [
        200,
        { queryResult: { payloads: [json({ status: 'running' })] } },
      ],
      [`POST ${NS}/workflows/w1/update/decide`]: () => [
        200,
        { outcome: { failure: { message: 'scope: expected small, large' } } },
      ],
    });
    const client = new HttpTemporalClient(new HttpApi({ baseUrl: fake.url, namespace: 'default' }), noGrpc);
    const ids: string[] = [];
    for await (const info of client.workflow.list({ pageSize: 1 })) ids.push(info.workflowId);
    expect(ids).toHaveLength(2);

    const handle = client.workflow.getHandle('w1');
    expect((await handle.describe()).typedSearchAttributes.get(DkmvComponent)).toBe('hello');
    expect(await handle.query('status')).toEqual({ status: 'running' });
    const gone = await client.workflow
      .getHandle('gone')
      .describe()
      .catch((e: unknown) => e);
    expect((gone as Error).name).toBe('WorkflowNotFoundError');
    const failed = await handle.result().catch((e: unknown) => e);
    expect(failed).toMatchObject({
      name: 'WorkflowFailedError',
      cause: { message: 'task failed', details: [{ status: 'failed' }] },
    });
    const rejected = await handle.executeUpdate('decide', { args: [{ action: 'continue' }] }).catch((e: unknown) => e);
    expect(rejected).toMatchObject({ cause: { message: 'scope: expected small, large' } });
    const update = fake.seen.find((r) => r.url.endsWith('/update/decide'))!.body as {
      request: { input: { args: unknown } };
    };
    expect(update.request.input.args).toEqual({ payloads: [json({ action: 'continue' })] });
  });
});

describe('which path the connection module takes', () => {
  const local: TemporalTarget = {
    address: '127.0.0.1:7233',
    namespace: 'default',
    taskQueue: 'dkmv',
    explicitAddress: false,
  };
  const cloud: TemporalTarget = {
    ...local,
    address: 'ns.acct.tmprl.cloud:7233',
    explicitAddress: true,
    apiKey: 'k',
    tls: true,
  };

  it('the local stack: its HTTP API on the frontend port + 10', () => {
    expect(httpTransportUrl(local, undefined, {})).toBe('http://127.0.0.1:7243');
    expect(httpTransportUrl({ ...local, address: '127.0.0.1:17633' }, undefined, {})).toBe('http://127.0.0.1:17643');
  });

  it('another server: HTTP only with a configured endpoint; gRPC for what fetch-free HTTP cannot do, or when forced', () => {
    expect(httpTransportUrl(cloud, undefined, {})).toBeUndefined();
    expect(httpTransportUrl(cloud, 'https://ns.acct.tmprl.cloud/', {})).toBe('https://ns.acct.tmprl.cloud');
    const mtls = { ...cloud, tls: { clientCertPair: { crt: Buffer.from('c'), key: Buffer.from('k') } } };
    expect(httpTransportUrl(mtls, 'https://x', {})).toBeUndefined();
    expect(httpTransportUrl(local, undefined, { DKMV_TEMPORAL_TRANSPORT: 'grpc' })).toBeUndefined();
  });
});
