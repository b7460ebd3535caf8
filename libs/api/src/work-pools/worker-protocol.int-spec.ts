import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Instant } from '@orrery/domain';
import {
  ContractValidator,
  contractDirectory,
  createTestDatabase,
  startTestApi,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import { WebSocket } from 'ws';

interface TranscriptEntry {
  seq: number;
  kind: string;
  method?: string;
  path: string;
  req_body?: unknown;
  status?: number;
  res_body?: unknown;
}

type Json = Record<string, unknown>;

/** The worker's calls in the process-worker transcript (spec-api-orchestration §6.2). */
function transcript(): TranscriptEntry[] {
  return readFileSync(join(contractDirectory(), 'transcripts', 'process-worker-deployment.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TranscriptEntry);
}

describe('worker protocol (REST mode) and the get_scheduled_flow_runs selection rules', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    await app.listen(0, '127.0.0.1');
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  async function call(method: string, url: string, path: string | null, body?: unknown) {
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
    if (path !== null) contract.assert({ method, path, status: response.statusCode, body: parsed });
    return { status: response.statusCode, body: parsed as Json };
  }

  const poll = (pool: string, body: Json) =>
    call(
      'POST',
      `/api/work_pools/${pool}/get_scheduled_flow_runs`,
      '/work_pools/{name}/get_scheduled_flow_runs',
      body,
    );

  /** `str(datetime)` as the worker sends it: a space separator and `+00:00`. */
  const pythonTime = (at: Instant) => at.toISOString().replace('T', ' ').replace('Z', '+00:00');

  it('replays the worker of the transcript: pool sync, create, queues, heartbeat, poll, workers, queue READY', async () => {
    const entries = transcript();
    const create = entries.find((e) => e.method === 'POST' && e.path === '/api/work_pools/')!;
    expect(await call('GET', '/api/work_pools/p', '/work_pools/{name}')).toEqual({
      status: 404,
      body: { detail: 'Work pool "p" not found.' },
    });
    const created = await call('POST', '/api/work_pools/', '/work_pools/', create.req_body);
    expect(created.status).toBe(create.status);
    const expected = create.res_body as Json;
    for (const key of [
      'name',
      'type',
      'base_job_template',
      'is_paused',
      'concurrency_limit',
      'status',
      'active_slots',
    ])
      expect(created.body[key]).toEqual(expected[key]);
    expect(created.body.storage_configuration).toEqual(expected.storage_configuration);

    const queues = entries.find((e) => e.path === '/api/work_pools/p/queues/filter')!;
    const listed = await call(
      'POST',
      '/api/work_pools/p/queues/filter',
      '/work_pools/{work_pool_name}/queues/filter',
      queues.req_body,
    );
    const [recorded] = queues.res_body as Json[];
    const [queue] = listed.body as unknown as Json[];
    for (const key of [
      'name',
      'description',
      'is_paused',
      'concurrency_limit',
      'priority',
      'filter',
      'last_polled',
      'work_pool_name',
      'status',
      'active_slots',
    ])
      expect(queue![key]).toEqual(recorded![key]);

    // The websocket channel is refused with a plain 404, so the worker stays on REST.
    const address = app.getHttpServer().address() as { port: number };
    const socket = new WebSocket(`ws://127.0.0.1:${address.port}/api/work_pools/p/workers/connect`, [
      'prefect',
    ]);
    const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
    expect(error.message).toMatch(/404/);

    const workerName = 'ProcessWorker 0d76c383-697f-4433-ac3c-28bda5132b95';
    const beat = await call(
      'POST',
      '/api/work_pools/p/workers/heartbeat',
      '/work_pools/{work_pool_name}/workers/heartbeat',
      {
        name: workerName,
        heartbeat_interval_seconds: 30,
      },
    );
    expect(beat.status).toBe(204);
    expect((await call('GET', '/api/work_pools/p', '/work_pools/{name}')).body.status).toBe('READY');

    const polled = entries.find((e) => e.path === '/api/work_pools/p/get_scheduled_flow_runs')!;
    expect(polled.req_body).toMatchObject({ work_queue_names: [] });
    const scheduled = await poll('p', {
      ...(polled.req_body as Json),
      scheduled_before: pythonTime(Instant.now().plusSeconds(10)),
    });
    expect(scheduled).toEqual({ status: 200, body: [] });

    const workers = entries.find((e) => e.path === '/api/work_pools/p/workers/filter')!;
    const online = await call(
      'POST',
      '/api/work_pools/p/workers/filter',
      '/work_pools/{work_pool_name}/workers/filter',
      workers.req_body,
    );
    expect(online.body).toEqual([
      expect.objectContaining({
        name: workerName,
        status: 'ONLINE',
        heartbeat_interval_seconds: 30,
        work_pool_id: created.body.id,
      }),
    ]);

    // The poll marks the default queue polled and READY right after its response (read back the
    // way the worker does).
    const byId = await waitFor(
      async () => {
        const read = await call('GET', `/api/work_queues/${String(queue!.id)}`, '/work_queues/{id}');
        return read.body.status === 'READY' ? read : undefined;
      },
      { what: 'the polled queue to be READY' },
    );
    expect(byId.body).toMatchObject({ status: 'READY', work_pool_name: 'p' });
    expect(byId.body.last_polled).not.toBeNull();
  });

  describe('selection', () => {
    let flowId: string;
    const ids: Record<string, string> = {};

    async function run(name: string, queue: string | null, state: Json, extra: Json = {}): Promise<string> {
      const created = await call('POST', '/api/flow_runs/', '/flow_runs/', {
        flow_id: flowId,
        name,
        work_pool_name: 'sel',
        work_queue_name: queue,
        state,
        ...extra,
      });
      expect(created.status).toBe(201);
      ids[name] = String(created.body.id);
      return ids[name];
    }
    const scheduledIn = (seconds: number): Json => ({
      type: 'SCHEDULED',
      state_details: { scheduled_time: Instant.now().plusSeconds(seconds).toISOString() },
    });
    const names = (body: Json): string[] =>
      (body as unknown as Array<{ flow_run: { name: string } }>).map((r) => r.flow_run.name);
    const soon = () => pythonTime(Instant.now().plusSeconds(10));

    beforeAll(async () => {
      flowId = String((await call('POST', '/api/flows/', '/flows/', { name: 'selection-flow' })).body.id);
      await call('POST', '/api/work_pools/', '/work_pools/', { name: 'sel', type: 'process' });
      const queue = (body: Json) =>
        call('POST', '/api/work_pools/sel/queues', '/work_pools/{work_pool_name}/queues', body);
      await queue({ name: 'fast', priority: 1 }); // default moves to 2
      await queue({ name: 'capped', concurrency_limit: 1 });
      await queue({ name: 'paused', is_paused: true });
      await run('default-late', null, scheduledIn(-60));
      await run('default-early', null, scheduledIn(-120));
      await run('default-future', null, scheduledIn(3600));
      await run('default-in-process-retry', null, scheduledIn(-30), {
        empirical_policy: { retry_type: 'in_process', retries: 1 },
      });
      await run('fast-1', 'fast', scheduledIn(-10));
      await run('capped-running', 'capped', { type: 'RUNNING' });
      await run('capped-waiting', 'capped', scheduledIn(-300));
      await run('paused-1', 'paused', scheduledIn(-300));
    });

    it('takes queue priority first, then the earliest start; skips paused and full queues, in-process retries and later runs', async () => {
      const response = await poll('sel', { work_queue_names: [], scheduled_before: soon() });
      expect(response.status).toBe(200);
      expect(names(response.body)).toEqual(['fast-1', 'default-early', 'default-late']);
      const [first] = response.body as unknown as Json[];
      const fast = (
        await call('GET', '/api/work_pools/sel/queues/fast', '/work_pools/{work_pool_name}/queues/{name}')
      ).body;
      expect(first).toMatchObject({ work_pool_id: fast.work_pool_id, work_queue_id: fast.id });
      expect(first!.flow_run).toMatchObject({ id: ids['fast-1'], state_type: 'SCHEDULED' });
      expect(first!.flow_run).not.toHaveProperty('work_pool_name');
      // Without an upper bound the future run comes last.
      expect(names((await poll('sel', {})).body)).toEqual([
        'fast-1',
        'default-early',
        'default-late',
        'default-future',
      ]);
    });

    it('honours the named queues, the time window and the limit; a missing queue is a 404', async () => {
      expect(
        names((await poll('sel', { work_queue_names: ['default'], scheduled_before: soon() })).body),
      ).toEqual(['default-early', 'default-late']);
      expect(names((await poll('sel', { work_queue_names: ['capped', 'paused'] })).body)).toEqual([]);
      const after = pythonTime(Instant.now().minusSeconds(90));
      expect(names((await poll('sel', { scheduled_after: after, scheduled_before: soon() })).body)).toEqual([
        'fast-1',
        'default-late',
      ]);
      expect(names((await poll('sel', { limit: 2 })).body)).toEqual(['fast-1', 'default-early']);
      expect(await poll('sel', { work_queue_names: ['nope'] })).toEqual({
        status: 404,
        body: { detail: "Work pool queue 'sel/nope' not found." },
      });
      expect((await poll('none', {})).status).toBe(404);
      expect((await poll('sel', { limit: 201 })).status).toBe(422);
    });

    it('frees a queue slot when its running run finishes', async () => {
      await call('POST', `/api/flow_runs/${ids['capped-running']!}/set_state`, '/flow_runs/{id}/set_state', {
        state: { type: 'COMPLETED' },
        force: true,
      });
      expect(names((await poll('sel', { work_queue_names: ['capped'] })).body)).toEqual(['capped-waiting']);
    });

    it('caps the pool by its PENDING/RUNNING runs across queues, and a paused pool hands out nothing', async () => {
      await call('POST', `/api/flow_runs/${ids['fast-1']!}/set_state`, '/flow_runs/{id}/set_state', {
        state: { type: 'PENDING' },
      });
      await call('PATCH', '/api/work_pools/sel', '/work_pools/{name}', { concurrency_limit: 2 });
      expect((await call('GET', '/api/work_pools/sel', '/work_pools/{name}')).body.active_slots).toBe(1);
      // One free pool slot goes to the best queue by priority (default = 2, ahead of capped = 3).
      expect(names((await poll('sel', { scheduled_before: soon() })).body)).toEqual(['default-early']);
      await call('PATCH', '/api/work_pools/sel', '/work_pools/{name}', { concurrency_limit: 1 });
      expect(names((await poll('sel', {})).body)).toEqual([]);
      await call('PATCH', '/api/work_pools/sel', '/work_pools/{name}', {
        concurrency_limit: null,
        is_paused: true,
      });
      expect(names((await poll('sel', {})).body)).toEqual([]);
      await call('PATCH', '/api/work_pools/sel', '/work_pools/{name}', { is_paused: false });
      expect(
        names((await poll('sel', { work_queue_names: ['default'], scheduled_before: soon() })).body),
      ).toEqual(['default-early', 'default-late']);
    });

    it('reports who holds the slots of the pool and of a queue', async () => {
      const status = await call(
        'POST',
        '/api/work_pools/sel/concurrency_status',
        '/work_pools/{name}/concurrency_status',
        { page: 1, limit: 2, flow_run_limit: 5 },
      );
      expect(status.body).toMatchObject({ active_slots: 1, count: 4, limit: 2, pages: 2, page: 1 });
      const [fast, defaultQueue] = status.body.queues as Json[];
      expect(fast).toMatchObject({ queue_name: 'fast', active_slots: 1, flow_run_count: 1 });
      expect(fast!.flow_runs).toEqual([
        expect.objectContaining({
          id: ids['fast-1'],
          name: 'fast-1',
          state_type: 'PENDING',
          state_name: 'Pending',
        }),
      ]);
      expect(defaultQueue).toMatchObject({ queue_name: 'default', active_slots: 0, flow_runs: [] });
      const queue = await call(
        'POST',
        `/api/work_queues/${String(fast!.queue_id)}/concurrency_status`,
        '/work_queues/{id}/concurrency_status',
        {},
      );
      expect(queue.body).toMatchObject({
        active_slots: 1,
        count: 1,
        pages: 1,
        page: 1,
        concurrency_limit: null,
      });
      expect((queue.body.flow_runs as Json[])[0]!.time_in_current_state).toEqual(expect.any(Number));
    });

    it('marks polled queues READY (paused ones keep PAUSED) and their deployments READY without touching updated', async () => {
      const deployment = await call('POST', '/api/deployments/', null, {
        flow_id: flowId,
        name: 'sel-deployment',
        work_pool_name: 'sel',
        work_queue_name: 'capped',
      });
      expect(deployment.status).toBe(201);
      const id = String(deployment.body.id);
      const before = (await db.dataSource.query(
        `SELECT status, updated, last_polled FROM deployment WHERE id = $1`,
        [id],
      )) as Json[];
      expect(before[0]).toMatchObject({ status: 'NOT_READY', last_polled: null });
      await poll('sel', { work_queue_names: [] });
      // The poll's bookkeeping runs right after the response (upstream: a background task).
      const after = await waitFor(
        async () => {
          const rows = (await db.dataSource.query(
            `SELECT status, updated, last_polled FROM deployment WHERE id = $1`,
            [id],
          )) as Json[];
          return rows[0]!.status === 'READY' ? rows : undefined;
        },
        { what: 'the deployment READY' },
      );
      expect(after[0]!.last_polled).not.toBeNull();
      expect(after[0]!.updated).toEqual(before[0]!.updated);
      const queue = (name: string) =>
        call('GET', `/api/work_pools/sel/queues/${name}`, '/work_pools/{work_pool_name}/queues/{name}');
      expect((await queue('capped')).body.status).toBe('READY');
      // Created paused, a queue starts NOT_READY (upstream) and a poll does not make a paused queue READY.
      expect((await queue('paused')).body).toMatchObject({ status: 'NOT_READY', is_paused: true });
      const events = (await db.dataSource.query(
        `SELECT data->>'event' AS event FROM outbox WHERE data->'resource'->>'prefect.resource.id' = $1`,
        [`prefect.deployment.${id}`],
      )) as Array<{ event: string }>;
      expect(events.map((e) => e.event)).toContain('prefect.deployment.ready');
    });
  });

  it('legacy get_runs counts CANCELLING runs against the queue limit and returns FlowRunResponse', async () => {
    const flowId = String((await call('POST', '/api/flows/', '/flows/', { name: 'legacy-flow' })).body.id);
    const queue = await call('POST', '/api/work_queues/', '/work_queues/', {
      name: 'legacy-runs',
      concurrency_limit: 1,
    });
    const queueId = String(queue.body.id);
    const runIn = async (name: string, state: Json) =>
      String(
        (
          await call('POST', '/api/flow_runs/', '/flow_runs/', {
            flow_id: flowId,
            name,
            work_pool_name: 'default-agent-pool',
            work_queue_name: 'legacy-runs',
            state,
          })
        ).body.id,
      );
    const cancelling = await runIn('legacy-cancelling', { type: 'CANCELLING' });
    await runIn('legacy-waiting', {
      type: 'SCHEDULED',
      state_details: { scheduled_time: Instant.now().minusSeconds(5).toISOString() },
    });
    const getRuns = () =>
      call('POST', `/api/work_queues/${queueId}/get_runs`, '/work_queues/{id}/get_runs', {});
    expect((await getRuns()).body).toEqual([]);
    await call('POST', `/api/flow_runs/${cancelling}/set_state`, '/flow_runs/{id}/set_state', {
      state: { type: 'CANCELLED' },
      force: true,
    });
    const runs = (await getRuns()).body as unknown as Json[];
    expect(runs.map((r) => r.name)).toEqual(['legacy-waiting']);
    expect(runs[0]).toMatchObject({ work_queue_name: 'legacy-runs', work_pool_name: 'default-agent-pool' });
  });
});
