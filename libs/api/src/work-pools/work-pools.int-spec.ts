import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ContractValidator,
  createTestDatabase,
  startTestApi,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';

const TEMPLATE = {
  job_configuration: { command: '{{ command }}', env: '{{ env }}' },
  variables: { properties: { command: { type: 'string' }, env: { type: 'object' } } },
};

describe('/api/work_pools, queues, workers and /api/work_queues on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  /** Calls the API and checks the response against the operation's schema in the contract. */
  async function call(method: string, url: string, path: string, body?: unknown) {
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: method as 'GET',
        url,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
      });
    const parsed: unknown = response.body === '' ? null : response.json();
    contract.assert({ method, path, status: response.statusCode, body: parsed });
    return { status: response.statusCode, body: parsed as Record<string, unknown> };
  }

  async function eventsOf(resourceId: string): Promise<Array<Record<string, unknown>>> {
    const rows = (await db.dataSource.query(
      `SELECT data FROM outbox WHERE data->'resource'->>'prefect.resource.id' = $1 ORDER BY created, id`,
      [resourceId],
    )) as Array<{ data: Record<string, unknown> }>;
    return rows.map((r) => r.data);
  }

  describe('work pools', () => {
    it('creates a pool with its default queue (201), refuses a taken name (409) and reserved names (403)', async () => {
      const created = await call('POST', '/api/work_pools/', '/work_pools/', {
        name: 'pool-a',
        type: 'process',
        base_job_template: TEMPLATE,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'pool-a',
        type: 'process',
        status: 'NOT_READY',
        is_paused: false,
        concurrency_limit: null,
        active_slots: null,
        base_job_template: TEMPLATE,
        storage_configuration: {
          bundle_upload_step: null,
          bundle_execution_step: null,
          default_result_storage_block_id: null,
        },
      });
      const queues = await call(
        'POST',
        '/api/work_pools/pool-a/queues/filter',
        '/work_pools/{work_pool_name}/queues/filter',
        {
          work_queues: null,
          limit: null,
          offset: null,
        },
      );
      expect(queues.body).toEqual([
        expect.objectContaining({
          id: created.body.default_queue_id,
          name: 'default',
          description: "The work pool's default queue.",
          priority: 1,
          work_pool_name: 'pool-a',
          status: 'NOT_READY',
          active_slots: null,
        }),
      ]);
      expect(await call('POST', '/api/work_pools/', '/work_pools/', { name: 'pool-a' })).toEqual({
        status: 409,
        body: { detail: 'A work pool with this name already exists.' },
      });
      const reserved = await call('POST', '/api/work_pools/', '/work_pools/', { name: 'Prefect-thing' });
      expect(reserved.status).toBe(403);
      const events = await eventsOf(`prefect.work-pool.${String(created.body.id)}`);
      expect(events.map((e) => e.event).sort()).toEqual([
        'prefect.work-pool.created',
        'prefect.work-pool.not-ready',
      ]);
    });

    it('creates a paused pool PAUSED, and a prefect-agent pool reports no status', async () => {
      const paused = await call('POST', '/api/work_pools/', '/work_pools/', {
        name: 'pool-paused',
        is_paused: true,
      });
      expect(paused.body).toMatchObject({ status: null, type: 'prefect-agent', is_paused: true });
      const processPaused = await call('POST', '/api/work_pools/', '/work_pools/', {
        name: 'pool-paused-process',
        type: 'process',
        is_paused: true,
      });
      expect(processPaused.body.status).toBe('PAUSED');
    });

    it.each([
      [{ job_configuration: { command: '{{ command }}' } }, 'must contain both'],
      [
        { job_configuration: { command: '{{ nope }}' }, variables: { properties: {} } },
        'undeclared variable(s): nope',
      ],
    ])('answers 422 for the base job template %j', async (template, fragment) => {
      const response = await call('POST', '/api/work_pools/', '/work_pools/', {
        name: 'bad-template',
        type: 'process',
        base_job_template: template,
      });
      expect(response.status).toBe(422);
      expect(JSON.stringify(response.body.exception_detail)).toContain(fragment);
    });

    it('checks the template defaults against its variables: 422 on a bad default, 404 on a missing block', async () => {
      const template = (defaultValue: unknown) => ({
        job_configuration: { image: '{{ image }}' },
        variables: { properties: { image: { type: 'string', default: defaultValue } }, required: ['image'] },
      });
      const bad = await call('POST', '/api/work_pools/', '/work_pools/', {
        name: 'bad-default',
        type: 'docker',
        base_job_template: template(3),
      });
      expect(bad.status).toBe(422);
      expect(String(bad.body.detail)).toMatch(
        /^Validation failed for work pool's job variable defaults: .*'image'/,
      );
      const missingBlock = await call('POST', '/api/work_pools/', '/work_pools/', {
        name: 'missing-block',
        type: 'docker',
        base_job_template: template({ $ref: { block_document_id: '00000000-0000-4000-8000-000000000000' } }),
      });
      expect(missingBlock).toEqual({ status: 404, body: { detail: 'Block not found.' } });
      // `required` is not enforced for defaults, and a null default passes.
      const ok = await call('POST', '/api/work_pools/', '/work_pools/', {
        name: 'null-default',
        type: 'docker',
        base_job_template: template(null),
      });
      expect(ok.status).toBe(201);
      expect(
        (
          await call('PATCH', '/api/work_pools/null-default', '/work_pools/{name}', {
            base_job_template: template(4),
          })
        ).status,
      ).toBe(422);
    });

    it('reads by name, 404s with upstream wording, filters and counts', async () => {
      const read = await call('GET', '/api/work_pools/pool-a', '/work_pools/{name}');
      expect(read.body.name).toBe('pool-a');
      expect(await call('GET', '/api/work_pools/nope', '/work_pools/{name}')).toEqual({
        status: 404,
        body: { detail: 'Work pool "nope" not found.' },
      });
      const filtered = await call('POST', '/api/work_pools/filter', '/work_pools/filter', {
        work_pools: { type: { any_: ['process'] } },
      });
      expect(filtered.body).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'pool-a' })]));
      expect(
        (filtered.body as unknown as unknown[]).every((p) => (p as { type: string }).type === 'process'),
      ).toBe(true);
      const count = await call('POST', '/api/work_pools/count', '/work_pools/count', {
        work_pools: { name: { any_: ['pool-a', 'pool-paused'] } },
      });
      expect(count.body).toBe(2);
    });

    it('PATCHes with 204, pauses (PAUSED + status event) and unpauses to NOT_READY without workers', async () => {
      const id = String((await call('GET', '/api/work_pools/pool-a', '/work_pools/{name}')).body.id);
      expect(
        (
          await call('PATCH', '/api/work_pools/pool-a', '/work_pools/{name}', {
            description: 'd',
            concurrency_limit: 3,
          })
        ).status,
      ).toBe(204);
      let pool = (await call('GET', '/api/work_pools/pool-a', '/work_pools/{name}')).body;
      expect(pool).toMatchObject({
        description: 'd',
        concurrency_limit: 3,
        active_slots: 0,
        status: 'NOT_READY',
      });
      await call('PATCH', '/api/work_pools/pool-a', '/work_pools/{name}', { is_paused: true });
      pool = (await call('GET', '/api/work_pools/pool-a', '/work_pools/{name}')).body;
      expect(pool).toMatchObject({ is_paused: true, status: 'PAUSED' });
      await call('PATCH', '/api/work_pools/pool-a', '/work_pools/{name}', { is_paused: false });
      pool = (await call('GET', '/api/work_pools/pool-a', '/work_pools/{name}')).body;
      expect(pool.status).toBe('NOT_READY');
      // The creation's status event first, then the two transitions.
      const statusEvents = (await eventsOf(`prefect.work-pool.${id}`))
        .filter((e) => !/\.(created|updated|deleted)$/.test(String(e.event)))
        .slice(1);
      expect(statusEvents.map((e) => e.event)).toEqual([
        'prefect.work-pool.paused',
        'prefect.work-pool.not-ready',
      ]);
      // The second follows the first (under 10 minutes apart) and is the one the pool points at.
      expect(statusEvents[1]!.follows).toBe(statusEvents[0]!.id);
      const [{ last_status_event_id }] = (await db.dataSource.query(
        `SELECT last_status_event_id FROM work_pool WHERE id = $1`,
        [id],
      )) as [{ last_status_event_id: string }];
      expect(last_status_event_id).toBe(statusEvents[1]!.id);
      expect(
        (await call('PATCH', '/api/work_pools/nope', '/work_pools/{name}', { is_paused: true })).status,
      ).toBe(404);
    });

    it('deletes with 204 (queues cascade), 404 when missing, 403 for reserved names', async () => {
      await call('POST', '/api/work_pools/', '/work_pools/', { name: 'doomed' });
      expect((await call('DELETE', '/api/work_pools/doomed', '/work_pools/{name}')).status).toBe(204);
      expect((await call('DELETE', '/api/work_pools/doomed', '/work_pools/{name}')).status).toBe(404);
      expect((await call('DELETE', '/api/work_pools/prefect-x', '/work_pools/{name}')).status).toBe(403);
      expect(
        (await call('PATCH', '/api/work_pools/prefect-x', '/work_pools/{name}', { description: 'no' }))
          .status,
      ).toBe(403);
    });
  });

  describe('queues of a pool', () => {
    it('creates queues with priorities (first free, explicit shifts), 409 on a taken name, 404 on a missing pool', async () => {
      await call('POST', '/api/work_pools/', '/work_pools/', { name: 'qpool', type: 'process' });
      const q = (name: string, body: Record<string, unknown> = {}) =>
        call('POST', '/api/work_pools/qpool/queues', '/work_pools/{work_pool_name}/queues', {
          name,
          ...body,
        });
      const low = await q('low');
      expect(low.status).toBe(201);
      expect(low.body).toMatchObject({
        name: 'low',
        priority: 2,
        status: 'NOT_READY',
        work_pool_name: 'qpool',
      });
      expect((await q('high', { priority: 1, concurrency_limit: 2 })).body).toMatchObject({
        priority: 1,
        concurrency_limit: 2,
        active_slots: 0,
      });
      expect(await q('low')).toEqual({
        status: 409,
        body: { detail: 'A work queue with this name already exists in work pool {work_pool_name!r}.' },
      });
      expect(
        (
          await call('POST', '/api/work_pools/none/queues', '/work_pools/{work_pool_name}/queues', {
            name: 'x',
          })
        ).status,
      ).toBe(404);
      const listed = await call(
        'POST',
        '/api/work_pools/qpool/queues/filter',
        '/work_pools/{work_pool_name}/queues/filter',
        {},
      );
      expect(
        (listed.body as unknown as Array<{ name: string; priority: number }>).map((x) => [
          x.name,
          x.priority,
        ]),
      ).toEqual([
        ['high', 1],
        ['default', 2],
        ['low', 3],
      ]);
      const startsWith = await call(
        'POST',
        '/api/work_pools/qpool/queues/filter',
        '/work_pools/{work_pool_name}/queues/filter',
        { work_queues: { name: { startswith_: ['hi'] } } },
      );
      expect((startsWith.body as unknown as unknown[]).length).toBe(1);
    });

    it('reads, PATCHes (pause → PAUSED with an event, priority reorders) and deletes queues; the default queue stays', async () => {
      const read = await call(
        'GET',
        '/api/work_pools/qpool/queues/low',
        '/work_pools/{work_pool_name}/queues/{name}',
      );
      expect(read.body.name).toBe('low');
      expect(
        await call('GET', '/api/work_pools/qpool/queues/nope', '/work_pools/{work_pool_name}/queues/{name}'),
      ).toEqual({ status: 404, body: { detail: "Work pool queue 'qpool/nope' not found." } });
      const patch = await call(
        'PATCH',
        '/api/work_pools/qpool/queues/low',
        '/work_pools/{work_pool_name}/queues/{name}',
        {
          is_paused: true,
          priority: 1,
          description: 'slow lane',
        },
      );
      expect(patch.status).toBe(204);
      const after = await call(
        'GET',
        '/api/work_pools/qpool/queues/low',
        '/work_pools/{work_pool_name}/queues/{name}',
      );
      expect(after.body).toMatchObject({
        is_paused: true,
        status: 'PAUSED',
        priority: 1,
        description: 'slow lane',
      });
      const events = await eventsOf(`prefect.work-queue.${String(after.body.id)}`);
      // The status event and the update commit together (their order within the write is not defined).
      expect(events.map((e) => e.event).sort()).toEqual([
        'prefect.work-queue.created',
        'prefect.work-queue.paused',
        'prefect.work-queue.updated',
      ]);
      await call('PATCH', '/api/work_pools/qpool/queues/low', '/work_pools/{work_pool_name}/queues/{name}', {
        is_paused: false,
      });
      expect(
        (await call('GET', '/api/work_pools/qpool/queues/low', '/work_pools/{work_pool_name}/queues/{name}'))
          .body.status,
      ).toBe('NOT_READY');
      const deleteDefault = await call(
        'DELETE',
        '/api/work_pools/qpool/queues/default',
        '/work_pools/{work_pool_name}/queues/{name}',
      );
      expect(deleteDefault.status).toBe(400);
      expect(
        (
          await call(
            'DELETE',
            '/api/work_pools/qpool/queues/low',
            '/work_pools/{work_pool_name}/queues/{name}',
          )
        ).status,
      ).toBe(204);
      expect(
        (
          await call(
            'DELETE',
            '/api/work_pools/qpool/queues/low',
            '/work_pools/{work_pool_name}/queues/{name}',
          )
        ).status,
      ).toBe(404);
    });
  });

  describe('workers', () => {
    it('heartbeats with 204 (worker ONLINE, pool NOT_READY → READY once), filters and deletes workers', async () => {
      await call('POST', '/api/work_pools/', '/work_pools/', { name: 'wpool', type: 'process' });
      const beat = () =>
        call(
          'POST',
          '/api/work_pools/wpool/workers/heartbeat',
          '/work_pools/{work_pool_name}/workers/heartbeat',
          {
            name: 'w1',
            heartbeat_interval_seconds: 30,
            return_id: true,
          },
        );
      expect((await beat()).status).toBe(204);
      expect((await beat()).status).toBe(204);
      const pool = (await call('GET', '/api/work_pools/wpool', '/work_pools/{name}')).body;
      expect(pool.status).toBe('READY');
      const events = await eventsOf(`prefect.work-pool.${String(pool.id)}`);
      expect(events.map((e) => e.event).sort()).toEqual([
        'prefect.work-pool.created',
        'prefect.work-pool.not-ready',
        'prefect.work-pool.ready',
      ]);
      expect(events.find((e) => e.event === 'prefect.work-pool.ready')!.resource).toMatchObject({
        'prefect.resource.name': 'wpool',
        'prefect.work-pool.type': 'process',
      });
      const workers = await call(
        'POST',
        '/api/work_pools/wpool/workers/filter',
        '/work_pools/{work_pool_name}/workers/filter',
        {
          workers: { status: { any_: ['ONLINE'] } },
          offset: null,
          limit: null,
        },
      );
      expect(workers.body).toEqual([
        expect.objectContaining({
          name: 'w1',
          status: 'ONLINE',
          heartbeat_interval_seconds: 30,
          work_pool_id: pool.id,
        }),
      ]);
      expect(
        (
          await call(
            'POST',
            '/api/work_pools/none/workers/heartbeat',
            '/work_pools/{work_pool_name}/workers/heartbeat',
            {
              name: 'w',
            },
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await call(
            'DELETE',
            '/api/work_pools/wpool/workers/w1',
            '/work_pools/{work_pool_name}/workers/{name}',
          )
        ).status,
      ).toBe(204);
      expect(
        await call(
          'DELETE',
          '/api/work_pools/wpool/workers/w1',
          '/work_pools/{work_pool_name}/workers/{name}',
        ),
      ).toEqual({ status: 404, body: { detail: 'Worker not found.' } });
    });

    it('keeps a paused pool PAUSED on heartbeat, and unpausing with an online worker gives READY', async () => {
      await call('POST', '/api/work_pools/', '/work_pools/', {
        name: 'wpaused',
        type: 'process',
        is_paused: true,
      });
      await call(
        'POST',
        '/api/work_pools/wpaused/workers/heartbeat',
        '/work_pools/{work_pool_name}/workers/heartbeat',
        {
          name: 'w',
        },
      );
      expect((await call('GET', '/api/work_pools/wpaused', '/work_pools/{name}')).body.status).toBe('PAUSED');
      await call('PATCH', '/api/work_pools/wpaused', '/work_pools/{name}', { is_paused: false });
      expect((await call('GET', '/api/work_pools/wpaused', '/work_pools/{name}')).body.status).toBe('READY');
    });
  });

  describe('legacy /work_queues', () => {
    it('creates queues in default-agent-pool, reads by id and name, filters, patches, reports status, deletes', async () => {
      const created = await call('POST', '/api/work_queues/', '/work_queues/', {
        name: 'legacy',
        concurrency_limit: 1,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'legacy',
        work_pool_name: 'default-agent-pool',
        active_slots: 0,
      });
      expect((await call('POST', '/api/work_queues/', '/work_queues/', { name: 'legacy' })).status).toBe(409);
      const id = String(created.body.id);
      expect((await call('GET', `/api/work_queues/${id}`, '/work_queues/{id}')).body.name).toBe('legacy');
      expect((await call('GET', '/api/work_queues/name/legacy', '/work_queues/name/{name}')).body.id).toBe(
        id,
      );
      expect(await call('GET', '/api/work_queues/name/none', '/work_queues/name/{name}')).toEqual({
        status: 404,
        body: { detail: 'work queue not found' },
      });
      expect(
        await call('PATCH', '/api/work_queues/00000000-0000-4000-8000-000000000000', '/work_queues/{id}', {}),
      ).toEqual({ status: 404, body: { detail: 'Work Queue <built-in function id> not found' } });
      expect(
        (await call('GET', '/api/work_queues/00000000-0000-4000-8000-000000000000', '/work_queues/{id}'))
          .status,
      ).toBe(404);
      const pool = (await call('GET', '/api/work_pools/default-agent-pool', '/work_pools/{name}')).body;
      expect(pool).toMatchObject({ type: 'prefect-agent', status: null });
      const filtered = await call('POST', '/api/work_queues/filter', '/work_queues/filter', {
        work_queues: { name: { any_: ['legacy'] } },
      });
      expect((filtered.body as unknown as unknown[]).length).toBe(1);
      expect(
        (await call('PATCH', `/api/work_queues/${id}`, '/work_queues/{id}', { concurrency_limit: 5 })).status,
      ).toBe(204);
      const status = await call('GET', `/api/work_queues/${id}/status`, '/work_queues/{id}/status');
      expect(status.body).toEqual({
        healthy: false,
        late_runs_count: 0,
        last_polled: null,
        health_check_policy: { maximum_late_runs: 0, maximum_seconds_since_last_polled: 60 },
      });
      // The UI's peek (x-prefect-ui: true) is not a poll.
      const peek = await app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'POST',
          url: `/api/work_queues/${id}/get_runs`,
          headers: { 'content-type': 'application/json', 'x-prefect-ui': 'true' },
          payload: '{}',
        });
      expect(peek.statusCode).toBe(200);
      expect((await call('GET', `/api/work_queues/${id}`, '/work_queues/{id}')).body.last_polled).toBeNull();
      const runs = await call('POST', `/api/work_queues/${id}/get_runs`, '/work_queues/{id}/get_runs', {});
      expect(runs).toEqual({ status: 200, body: [] });
      // The poll's bookkeeping runs right after the response (upstream: a background task).
      await waitFor(
        async () =>
          (await call('GET', `/api/work_queues/${id}`, '/work_queues/{id}')).body.status === 'READY',
        { what: 'the polled queue READY' },
      );
      const polled = await call('GET', `/api/work_queues/${id}/status`, '/work_queues/{id}/status');
      expect(polled.body.healthy).toBe(true);
      expect((await call('DELETE', `/api/work_queues/${id}`, '/work_queues/{id}')).status).toBe(204);
      expect((await call('DELETE', `/api/work_queues/${id}`, '/work_queues/{id}')).status).toBe(404);
    });
  });
});
