import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ContractValidator, createTestDatabase, startTestApi, type TestDatabase } from '@orrery/testing';

type Json = Record<string, unknown>;

describe('/api/task_runs on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let flowRun: Json;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    const flow = (await call('POST', '/api/flows/', '/flows/', { name: 'task-runs-flow' })).body;
    flowRun = (
      await call('POST', '/api/flow_runs/', '/flow_runs/', { flow_id: flow.id, labels: { team: 'data' } })
    ).body;
    await call('POST', `/api/flow_runs/${String(flowRun.id)}/set_state`, '/flow_runs/{id}/set_state', {
      state: { type: 'RUNNING' },
    });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  async function call(method: string, url: string, path: string, body?: unknown) {
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: method as 'GET',
        url,
        headers: {
          'x-prefect-api-version': '0.8.4',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
    const parsed: unknown = response.body === '' ? null : response.json();
    contract.assert({ method, path, status: response.statusCode, body: parsed });
    return { status: response.statusCode, body: parsed as Json };
  }

  const sdkTaskRun = (dynamicKey: string, extra: Json = {}) => ({
    state: {
      type: 'PENDING',
      name: 'Pending',
      message: null,
      state_details: { flow_run_id: null, task_run_id: null, deferred: null },
      data: null,
    },
    name: `child-${dynamicKey}`,
    flow_run_id: flowRun.id,
    task_key: 'child-b0edb127',
    dynamic_key: dynamicKey,
    cache_key: null,
    cache_expiration: null,
    task_version: 'v1',
    empirical_policy: {
      max_retries: 0,
      retry_delay_seconds: 0,
      retries: 0,
      retry_delay: 0,
      retry_jitter_factor: null,
    },
    tags: [],
    labels: {},
    task_inputs: { x: [] },
    ...extra,
  });
  const setState = (id: unknown, state: Json, force = false) =>
    call('POST', `/api/task_runs/${String(id)}/set_state`, '/task_runs/{id}/set_state', { state, force });

  it('creates a task run as the SDK does (201), then returns it untouched (200)', async () => {
    const created = await call('POST', '/api/task_runs/', '/task_runs/', sdkTaskRun('0'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'child-0',
      flow_run_id: flowRun.id,
      labels: { team: 'data', 'prefect.flow.id': flowRun.flow_id, 'prefect.flow-run.id': flowRun.id },
      state_type: 'PENDING',
      state_name: 'Pending',
      run_count: 0,
      flow_run_run_count: 0,
      task_inputs: { x: [] },
      total_run_time: 0,
    });
    const state = created.body.state as Json;
    expect(state.state_details).toMatchObject({ flow_run_id: flowRun.id, task_run_id: created.body.id });
    expect(created.body.expected_start_time).toBe(state.timestamp);
    const again = await call('POST', '/api/task_runs/', '/task_runs/', sdkTaskRun('0', { name: 'other' }));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: created.body.id,
      name: 'child-0',
      state_id: created.body.state_id,
    });
  });

  it('is idempotent for task runs without a flow run too, and takes a client id', async () => {
    const id = '0195f2a8-0000-7000-8000-00000000abcd';
    const body = {
      id,
      task_key: 'bg',
      dynamic_key: 'k',
      state: { type: 'SCHEDULED', state_details: { deferred: true } },
    };
    const first = await call('POST', '/api/task_runs/', '/task_runs/', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id,
      flow_run_id: null,
      name: expect.stringMatching(/^[a-z]+-[a-z]+$/) as unknown,
      state_type: 'SCHEDULED',
      labels: {},
    });
    expect((await call('POST', '/api/task_runs/', '/task_runs/', { ...body, id: undefined })).body.id).toBe(
      id,
    );
    // Deferred states go through BackgroundTaskPolicy (PreventPendingTransitions, CopyTaskParametersID …).
    const deferred = {
      state_details: { deferred: true, task_parameters_id: '0195f2a8-2222-7000-8000-000000000001' },
    };
    const pending = await setState(id, { type: 'PENDING', ...deferred });
    expect(pending.body).toMatchObject({ status: 'ACCEPT', state: { type: 'PENDING' } });
    const again = await setState(id, { type: 'PENDING', ...deferred });
    expect(again).toMatchObject({
      status: 200,
      body: { status: 'ABORT', state: { id: (pending.body.state as Json).id } },
    });
  });

  it('moves a task run PENDING → RUNNING → COMPLETED through CoreTaskPolicy', async () => {
    const run = (await call('POST', '/api/task_runs/', '/task_runs/', sdkTaskRun('1'))).body;
    const running = await setState(run.id, { type: 'RUNNING' });
    expect(running).toMatchObject({ status: 201, body: { status: 'ACCEPT', state: { type: 'RUNNING' } } });
    const completed = await setState(run.id, { type: 'COMPLETED' });
    expect(completed).toMatchObject({
      status: 201,
      body: { status: 'ACCEPT', state: { type: 'COMPLETED' } },
    });
    const read = (await call('GET', `/api/task_runs/${String(run.id)}`, '/task_runs/{id}')).body;
    expect(read).toMatchObject({ state_type: 'COMPLETED', run_count: 1, flow_run_run_count: 1 });
    expect(read.start_time).toBe((running.body.state as Json).timestamp);
    expect(read.end_time).toBe((completed.body.state as Json).timestamp);
    expect(read.total_run_time).toBeGreaterThan(0);
    const states = await call(
      'GET',
      `/api/task_run_states/?task_run_id=${String(run.id)}`,
      '/task_run_states/',
    );
    expect((states.body as unknown as Json[]).map((s) => s.type)).toEqual([
      'PENDING',
      'RUNNING',
      'COMPLETED',
    ]);
    const first = (states.body as unknown as Json[])[0]!;
    expect(
      (await call('GET', `/api/task_run_states/${String(first.id)}`, '/task_run_states/{id}')).body,
    ).toEqual(first);
    expect(
      (
        await call(
          'GET',
          '/api/task_run_states/00000000-0000-4000-8000-000000000000',
          '/task_run_states/{id}',
        )
      ).status,
    ).toBe(404);
    expect((await call('GET', '/api/task_run_states/?task_run_id=nope', '/task_run_states/')).status).toBe(
      422,
    );
  });

  it('retries a failing task into AwaitingRetry and hands out a cached state', async () => {
    const run = (
      await call(
        'POST',
        '/api/task_runs/',
        '/task_runs/',
        sdkTaskRun('2', { empirical_policy: { retries: 1, retry_delay: 0 } }),
      )
    ).body;
    await setState(run.id, { type: 'RUNNING' });
    const failed = await setState(run.id, { type: 'FAILED' });
    expect(failed.body).toMatchObject({
      status: 'REJECT',
      state: { type: 'SCHEDULED', name: 'AwaitingRetry' },
    });
    const retrying = await setState(run.id, { type: 'RUNNING' });
    expect(retrying.body).toMatchObject({ status: 'ACCEPT', state: { name: 'Retrying' } });
    await setState(run.id, { type: 'COMPLETED', state_details: { cache_key: 'ck' } });
    const other = (await call('POST', '/api/task_runs/', '/task_runs/', sdkTaskRun('3'))).body;
    const cached = await setState(other.id, { type: 'RUNNING', state_details: { cache_key: 'ck' } });
    expect(cached.body).toMatchObject({ status: 'REJECT', state: { type: 'COMPLETED', name: 'Cached' } });
  });

  it('reads through the UI with the flow run name; renames (204) and deletes (204); 404 "Task not found"', async () => {
    const run = (await call('POST', '/api/task_runs/', '/task_runs/', sdkTaskRun('4'))).body;
    const url = `/api/task_runs/${String(run.id)}`;
    expect(
      (await call('GET', `/api/ui/task_runs/${String(run.id)}`, '/ui/task_runs/{id}')).body,
    ).toMatchObject({
      id: run.id,
      flow_run_name: flowRun.name,
    });
    expect((await call('PATCH', url, '/task_runs/{id}', { name: 'renamed' })).status).toBe(204);
    expect((await call('GET', url, '/task_runs/{id}')).body.name).toBe('renamed');
    expect((await call('DELETE', url, '/task_runs/{id}')).status).toBe(204);
    const missing = { status: 404, body: { detail: 'Task not found' } };
    expect(await call('GET', url, '/task_runs/{id}')).toEqual(missing);
    expect(await call('GET', `/api/ui/task_runs/${String(run.id)}`, '/ui/task_runs/{id}')).toEqual(missing);
    expect(await call('PATCH', url, '/task_runs/{id}', { name: 'x' })).toEqual({
      status: 404,
      body: { detail: 'Task run not found' },
    });
    expect(await call('DELETE', url, '/task_runs/{id}')).toEqual(missing);
    expect(await setState(run.id, { type: 'RUNNING' })).toEqual({
      status: 404,
      body: { exception_message: `Task run with id ${String(run.id)} not found` },
    });
  });

  it('rejects invalid bodies with 422', async () => {
    expect(
      (await call('POST', '/api/task_runs/', '/task_runs/', { task_key: 'k' })).body.exception_detail,
    ).toEqual([expect.objectContaining({ loc: ['body', 'dynamic_key'], type: 'missing' })]);
    expect(
      (
        await call('POST', '/api/task_runs/', '/task_runs/', {
          task_key: 'k',
          dynamic_key: '0',
          cache_expiration: 'soon',
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await call('POST', '/api/task_runs/', '/task_runs/', {
          task_key: 'k',
          dynamic_key: '0',
          empirical_policy: { retry_delay: 'x' },
        })
      ).status,
    ).toBe(422);
  });

  it('filters, counts and pages task runs with their state', async () => {
    const body = { flow_runs: { id: { any_: [flowRun.id] } }, task_runs: { name: { like_: 'child-' } } };
    const listed = (
      await call('POST', '/api/task_runs/filter', '/task_runs/filter', { ...body, sort: 'NAME_ASC' })
    ).body as unknown as Json[];
    expect(listed.map((r) => r.name)).toEqual(['child-0', 'child-1', 'child-2', 'child-3']);
    expect(listed.every((r) => (r.state as Json).id === r.state_id)).toBe(true);
    expect((await call('POST', '/api/task_runs/count', '/task_runs/count', body)).body).toBe(4);
    const page = await call('POST', '/api/task_runs/paginate', '/task_runs/paginate', {
      ...body,
      sort: 'NAME_DESC',
      limit: 3,
      page: 2,
    });
    expect(page.body).toMatchObject({ count: 4, pages: 2, page: 2 });
    expect((page.body.results as Json[]).map((r) => r.name)).toEqual(['child-0']);
  });
});
