import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DATA_SOURCE } from '@orrery/persistence';
import type { DataSource } from 'typeorm';
import { ContractValidator, createTestDatabase, startTestApi, type TestDatabase } from '@orrery/testing';

type Json = Record<string, unknown>;

describe('/api/flow_runs on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let flowId: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    flowId = String(
      (await call('POST', '/api/flows/', '/flows/', { name: 'runs-flow', labels: { team: 'data' } })).body.id,
    );
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
          'user-agent': 'prefect/3.8.4 (API 0.8.4)',
          'x-prefect-api-version': '0.8.4',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
    const parsed: unknown = response.body === '' ? null : response.json();
    contract.assert({ method, path, status: response.statusCode, body: parsed });
    return { status: response.statusCode, body: parsed as Json };
  }

  const createRun = async (body: Json = {}) =>
    (await call('POST', '/api/flow_runs/', '/flow_runs/', { flow_id: flowId, ...body })).body;
  const setState = (id: unknown, state: Json, force = false) =>
    call('POST', `/api/flow_runs/${String(id)}/set_state`, '/flow_runs/{id}/set_state', { state, force });

  it('creates a run as the SDK does: PENDING, a random name, system labels, every field present', async () => {
    const response = await call('POST', '/api/flow_runs/', '/flow_runs/', {
      state: {
        type: 'PENDING',
        name: 'Pending',
        message: null,
        state_details: { traceparent: null },
        data: null,
      },
      name: null,
      flow_id: flowId,
      flow_version: 'v1',
      parameters: { a: 1, b: 2 },
      context: {},
      parent_task_run_id: null,
      empirical_policy: { retries: 0, retry_delay: 0 },
      tags: [],
    });
    expect(response.status).toBe(201);
    const run = response.body;
    expect(run.name).toMatch(/^[a-z]+-[a-z]+$/);
    expect(run).toMatchObject({
      flow_id: flowId,
      flow_version: 'v1',
      parameters: { a: 1, b: 2 },
      labels: { team: 'data', 'prefect.flow.id': flowId },
      state_type: 'PENDING',
      state_name: 'Pending',
      run_count: 0,
      total_run_time: 0,
      work_pool_name: null,
      work_queue_name: null,
      job_variables: {},
      empirical_policy: {
        max_retries: 0,
        retry_delay_seconds: 0,
        retries: 0,
        retry_delay: 0,
        pause_keys: [],
        resuming: false,
        retry_type: null,
      },
    });
    const state = run.state as Json;
    expect(state.id).toBe(run.state_id);
    expect(run.expected_start_time).toBe(state.timestamp);
    expect((state.state_details as Json).flow_run_id).toBe(run.id);
    expect(typeof run.estimated_start_time_delta).toBe('number');
    expect(await call('GET', `/api/flow_runs/${String(run.id)}`, '/flow_runs/{id}')).toMatchObject({
      status: 200,
      body: { id: run.id, state_id: run.state_id },
    });
  });

  it('returns the existing run with 200 for the same idempotency key', async () => {
    const first = await call('POST', '/api/flow_runs/', '/flow_runs/', {
      flow_id: flowId,
      idempotency_key: 'once',
      state: { type: 'SCHEDULED' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      state_type: 'SCHEDULED',
      next_scheduled_start_time: (first.body.state as Json & { state_details: Json }).state_details
        .scheduled_time,
    });
    const again = await call('POST', '/api/flow_runs/', '/flow_runs/', {
      flow_id: flowId,
      idempotency_key: 'once',
      name: 'other',
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.name).toBe(first.body.name);
  });

  it('answers 404 for an unknown work pool, 422 for oversized parameters and bad bodies', async () => {
    expect(
      await call('POST', '/api/flow_runs/', '/flow_runs/', { flow_id: flowId, work_pool_name: 'nope' }),
    ).toEqual({
      status: 404,
      body: { detail: 'Work pool "nope" not found.' },
    });
    const big = await call('POST', '/api/flow_runs/', '/flow_runs/', {
      flow_id: flowId,
      parameters: { x: 'y'.repeat(600_000) },
    });
    expect(big.status).toBe(422);
    expect(big.body.exception_detail).toEqual([
      expect.objectContaining({
        type: 'value_error',
        loc: ['body', 'parameters'],
        msg: 'Value error, Flow run parameters must be less than 524,288 bytes when serialized (got 600,008 bytes).',
      }),
    ]);
    const badState = await call('POST', '/api/flow_runs/', '/flow_runs/', {
      flow_id: flowId,
      state: { type: 'NOPE' },
    });
    expect(badState.status).toBe(422);
    expect(badState.body.exception_detail).toEqual([
      expect.objectContaining({ loc: ['body', 'state', 'type'] }),
    ]);
    // An unknown flow (or parent task run) violates a foreign key: Prefect's 409.
    const unknownFlow = await call('POST', '/api/flow_runs/', '/flow_runs/', {
      flow_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownFlow.status).toBe(409);
    expect(String(unknownFlow.body.detail)).toMatch(/^Data integrity conflict/);
    const missing = await call('POST', '/api/flow_runs/', '/flow_runs/', {});
    expect(missing.status).toBe(422);
  });

  it('reads, patches (204), merges labels (204) and deletes (204), with 404 "Flow run not found"', async () => {
    const run = await createRun();
    const url = `/api/flow_runs/${String(run.id)}`;
    expect(
      (
        await call('PATCH', url, '/flow_runs/{id}', {
          name: 'renamed',
          flow_version: 'v2',
          empirical_policy: { retries: 3 },
          tags: ['t'],
          infrastructure_pid: 'pid-1',
        })
      ).status,
    ).toBe(204);
    expect(
      (await call('PATCH', `${url}/labels`, '/flow_runs/{id}/labels', { env: 'prod', n: 1 })).status,
    ).toBe(204);
    const read = (await call('GET', url, '/flow_runs/{id}')).body;
    expect(read).toMatchObject({
      name: 'renamed',
      flow_version: 'v2',
      tags: ['t'],
      infrastructure_pid: 'pid-1',
      labels: { team: 'data', 'prefect.flow.id': flowId, env: 'prod', n: 1 },
      empirical_policy: expect.objectContaining({ retries: 3 }),
    });
    expect((await call('PATCH', url, '/flow_runs/{id}', { job_variables: { a: 1 } })).body).toEqual({
      detail: 'Job variables for a flow run in state PENDING cannot be updated',
    });
    expect((await call('DELETE', url, '/flow_runs/{id}')).status).toBe(204);
    const missing = { status: 404, body: { detail: 'Flow run not found' } };
    expect(await call('GET', url, '/flow_runs/{id}')).toEqual(missing);
    expect(await call('DELETE', url, '/flow_runs/{id}')).toEqual(missing);
    expect(await call('PATCH', url, '/flow_runs/{id}', { name: 'x' })).toEqual(missing);
    // The model layer's not-found: 404 with `exception_message`.
    const modelMissing = {
      status: 404,
      body: { exception_message: `Flow run with id ${String(run.id)} not found` },
    };
    expect(await call('PATCH', `${url}/labels`, '/flow_runs/{id}/labels', { a: 'b' })).toEqual(modelMissing);
    expect(await setState(run.id, { type: 'RUNNING' })).toEqual(modelMissing);
    expect(await call('POST', `${url}/resume`, '/flow_runs/{id}/resume', {})).toEqual(missing);
    expect((await call('GET', '/api/flow_runs/not-a-uuid', '/flow_runs/{id}')).body).toEqual({
      detail: 'Not Found',
    });
  });

  it('set_state answers 201 with a new state, 200 without; REJECT, WAIT and ABORT shapes', async () => {
    const run = await createRun({ empirical_policy: { retries: 1, retry_delay: 0 } });
    const running = await setState(run.id, { type: 'RUNNING' });
    expect(running.status).toBe(201);
    expect(running.body).toMatchObject({
      status: 'ACCEPT',
      details: { type: 'accept_details' },
      state: { type: 'RUNNING', name: 'Running' },
    });
    // A second PENDING proposal is the claim lock: ABORT, current state returned, no new row.
    const claim = await setState(run.id, { type: 'PENDING' });
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({
      status: 'ABORT',
      details: {
        type: 'abort_details',
        reason: 'This run is in a RUNNING state and cannot transition to a PENDING state.',
      },
      state: { id: (running.body.state as Json).id },
    });
    const failed = await setState(run.id, { type: 'FAILED', message: 'boom' });
    expect(failed.status).toBe(201);
    expect(failed.body).toMatchObject({
      status: 'REJECT',
      state: { type: 'SCHEDULED', name: 'AwaitingRetry', message: 'boom' },
    });
    // A future scheduled time makes RUNNING wait.
    const later = await createRun({
      state: { type: 'SCHEDULED', state_details: { scheduled_time: '2200-01-01T00:00:00Z' } },
    });
    const wait = await setState(later.id, { type: 'RUNNING' });
    expect(wait.status).toBe(200);
    expect(wait.body).toMatchObject({
      status: 'WAIT',
      details: { type: 'wait_details', reason: 'Scheduled time is in the future' },
      state: { type: 'SCHEDULED' },
    });
    expect(((wait.body.details as Json).delay_seconds as number) > 0).toBe(true);
    const bad = await setState(run.id, { type: 'RUNNING', extra: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.exception_detail).toEqual([
      expect.objectContaining({ type: 'extra_forbidden', loc: ['body', 'state', 'extra'] }),
    ]);
    expect(
      (await call('POST', `/api/flow_runs/${String(run.id)}/set_state`, '/flow_runs/{id}/set_state', {}))
        .status,
    ).toBe(422);
  });

  it('lists the states of a run oldest first and reads one; 404 and 422 otherwise', async () => {
    const run = await createRun();
    await setState(run.id, { type: 'RUNNING' });
    await setState(run.id, {
      type: 'COMPLETED',
      data: { storage_key: 'k', serializer: { type: 'json' }, artifact_key: null },
    });
    const states = await call(
      'GET',
      `/api/flow_run_states/?flow_run_id=${String(run.id)}`,
      '/flow_run_states/',
    );
    expect((states.body as unknown as Json[]).map((s) => s.type)).toEqual([
      'PENDING',
      'RUNNING',
      'COMPLETED',
    ]);
    const completed = (states.body as unknown as Json[])[2]!;
    // A persisted result is stored as the state's result artifact and read back as its data.
    expect(completed.data).toEqual({ storage_key: 'k', serializer: { type: 'json' } });
    expect(
      (await call('GET', `/api/flow_run_states/${String(completed.id)}`, '/flow_run_states/{id}')).body,
    ).toEqual(completed);
    expect(
      ((await call('GET', `/api/flow_runs/${String(run.id)}`, '/flow_runs/{id}')).body.state as Json).data,
    ).toEqual(completed.data);
    expect(
      await call('GET', '/api/flow_run_states/00000000-0000-4000-8000-000000000000', '/flow_run_states/{id}'),
    ).toEqual({
      status: 404,
      body: { detail: 'Flow run state not found' },
    });
    expect((await call('GET', '/api/flow_run_states/', '/flow_run_states/')).status).toBe(422);
  });

  it('a keyed persisted result becomes the latest artifact of its key (artifact collection)', async () => {
    const key = `result-${crypto.randomUUID().slice(0, 8)}`;
    const ids: string[] = [];
    for (const storageKey of ['first', 'second']) {
      const run = await createRun();
      await setState(run.id, { type: 'RUNNING' });
      await setState(run.id, {
        type: 'COMPLETED',
        data: {
          storage_key: storageKey,
          serializer: { type: 'json' },
          artifact_key: key,
          artifact_type: 'result',
        },
      });
      ids.push(String(run.id));
    }
    const latest = await call('GET', `/api/artifacts/${key}/latest`, '/artifacts/{key}/latest');
    expect(latest).toMatchObject({
      status: 200,
      body: {
        key,
        type: 'result',
        flow_run_id: ids[1],
        data: { storage_key: 'second', serializer: { type: 'json' } },
      },
    });
    const all = await call('POST', '/api/artifacts/filter', '/artifacts/filter', {
      artifacts: { key: { any_: [key] } },
    });
    expect((all.body as unknown as Json[]).map((a) => a.flow_run_id).sort()).toEqual([...ids].sort());
  });

  it('resolves work_pool_name / work_queue_name to a queue and answers with their names', async () => {
    const sql = app.get<DataSource>(DATA_SOURCE);
    const [pool] = (await sql.query(
      `INSERT INTO work_pool (name, type) VALUES ('pool-a', 'process') RETURNING id`,
    )) as { id: string }[];
    const [defaultQueue] = (await sql.query(
      `INSERT INTO work_queue (name, priority, work_pool_id) VALUES ('default', 1, $1) RETURNING id`,
      [pool!.id],
    )) as { id: string }[];
    const [fast] = (await sql.query(
      `INSERT INTO work_queue (name, priority, work_pool_id) VALUES ('fast', 2, $1) RETURNING id`,
      [pool!.id],
    )) as { id: string }[];
    await sql.query(`UPDATE work_pool SET default_queue_id = $2 WHERE id = $1`, [pool!.id, defaultQueue!.id]);

    expect(await createRun({ work_pool_name: 'pool-a' })).toMatchObject({
      work_queue_id: defaultQueue!.id,
      work_queue_name: 'default',
      work_pool_id: pool!.id,
      work_pool_name: 'pool-a',
    });
    const inFast = await createRun({ work_pool_name: 'pool-a', work_queue_name: 'fast' });
    expect(inFast).toMatchObject({
      work_queue_id: fast!.id,
      work_queue_name: 'fast',
      work_pool_name: 'pool-a',
    });
    const listed = await call('POST', '/api/flow_runs/filter', '/flow_runs/filter', {
      work_pool_queues: { name: { any_: ['fast'] } },
    });
    expect((listed.body as unknown as Json[]).map((r) => [r.id, r.work_pool_name])).toEqual([
      [inFast.id, 'pool-a'],
    ]);
    expect(
      await call('POST', '/api/flow_runs/', '/flow_runs/', {
        flow_id: flowId,
        work_pool_name: 'pool-a',
        work_queue_name: 'slow',
      }),
    ).toEqual({ status: 404, body: { detail: "Work pool queue 'pool-a/slow' not found." } });
  });

  it('records an automation creator from the Prefect-Automation-* headers', async () => {
    const automationId = '0195f2a8-1111-7000-8000-000000000001';
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: '/api/flow_runs/',
        headers: {
          'content-type': 'application/json',
          'prefect-automation-id': automationId,
          'prefect-automation-name': Buffer.from('nightly').toString('base64'),
        },
        payload: JSON.stringify({ flow_id: flowId }),
      });
    expect(response.json()).toMatchObject({
      created_by: { id: automationId, type: 'AUTOMATION', display_value: 'nightly' },
    });
  });

  it('deletes a run with its logs', async () => {
    const run = await createRun();
    const sql = app.get<DataSource>(DATA_SOURCE);
    await sql.query(
      `INSERT INTO log (name, level, flow_run_id, message, "timestamp") VALUES ('x', 20, $1, 'hello', now())`,
      [run.id],
    );
    expect((await call('DELETE', `/api/flow_runs/${String(run.id)}`, '/flow_runs/{id}')).status).toBe(204);
    expect(await sql.query(`SELECT id FROM log WHERE flow_run_id = $1`, [run.id])).toEqual([]);
  });

  describe('listing and bulk operations', () => {
    let ids: string[];
    beforeAll(async () => {
      const other = String(
        (await call('POST', '/api/flows/', '/flows/', { name: 'runs-list-flow' })).body.id,
      );
      ids = [];
      for (const [name, tags] of [
        ['list-a', ['x']],
        ['list-b', ['x', 'y']],
        ['list-c', []],
      ] as const) {
        ids.push(
          String(
            (
              await call('POST', '/api/flow_runs/', '/flow_runs/', {
                flow_id: other,
                name,
                tags,
                state: { type: 'SCHEDULED' },
              })
            ).body.id,
          ),
        );
      }
    });

    it('filters, counts and pages with the state joined', async () => {
      const listed = await call('POST', '/api/flow_runs/filter', '/flow_runs/filter', {
        flows: { name: { any_: ['runs-list-flow'] } },
        flow_runs: { tags: { all_: ['x'] } },
        sort: 'NAME_DESC',
      });
      const runs = listed.body as unknown as Json[];
      expect(runs.map((r) => r.name)).toEqual(['list-b', 'list-a']);
      expect(runs.every((r) => (r.state as Json).type === 'SCHEDULED')).toBe(true);
      const body = { flows: { name: { any_: ['runs-list-flow'] } } };
      expect((await call('POST', '/api/flow_runs/count', '/flow_runs/count', body)).body).toBe(3);
      const page = await call('POST', '/api/flow_runs/paginate', '/flow_runs/paginate', {
        ...body,
        limit: 2,
        page: 2,
        sort: 'NAME_ASC',
      });
      expect(page.body).toMatchObject({ count: 3, limit: 2, pages: 2, page: 2 });
      expect((page.body.results as Json[]).map((r) => r.name)).toEqual(['list-c']);
    });

    it('bulk-sets a state per run and bulk-deletes', async () => {
      const result = await call('POST', '/api/flow_runs/bulk_set_state', '/flow_runs/bulk_set_state', {
        flow_runs: { id: { any_: ids.slice(0, 2) } },
        state: { type: 'CANCELLING' },
      });
      const results = result.body.results as Json[];
      expect(results).toHaveLength(2);
      // Scheduled runs without infrastructure go straight to Cancelled.
      expect(results.every((r) => r.status === 'REJECT' && (r.state as Json).type === 'CANCELLED')).toBe(
        true,
      );
      expect(new Set(results.map((r) => r.flow_run_id))).toEqual(new Set(ids.slice(0, 2)));
      const deleted = await call('POST', '/api/flow_runs/bulk_delete', '/flow_runs/bulk_delete', {
        flow_runs: { id: { any_: ids } },
        limit: 2,
      });
      expect((deleted.body.deleted as string[]).length).toBe(2);
      expect(
        (await call('POST', '/api/flow_runs/count', '/flow_runs/count', { flow_runs: { id: { any_: ids } } }))
          .body,
      ).toBe(1);
    });
  });
});
