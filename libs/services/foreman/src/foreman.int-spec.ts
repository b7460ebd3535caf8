import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type BusMessage, BusModule, MessageBus } from '@orrery/bus';
import { loadSettings, SettingsModule } from '@orrery/config';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { PersistenceModule } from '@orrery/persistence';
import {
  ContractValidator,
  createTestDatabase,
  startTestApi,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import { ForemanModule } from './foreman.module';
import { ForemanService } from './foreman.service';

type Json = Record<string, unknown>;

interface SeenEvent {
  id: string;
  event: string;
  follows: string | null;
  resource: Record<string, string>;
  related: Record<string, string>[];
}

/*
 * The foreman on PostgreSQL. The fleet is built through the real API (heartbeats, polls), then the
 * clock is moved by ageing the stored timestamps, so every tick is deterministic: the test calls
 * the tick itself (the periodic job is set to an hour so it never interferes).
 */
describe('foreman on PostgreSQL', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let api: NestFastifyApplication;
  // A database per test: each one counts what a tick changes across the whole fleet.
  beforeEach(async () => {
    db = await createTestDatabase({ migrate: true });
    api = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
  }, 60_000);
  afterEach(async () => {
    await api.close();
    await db.drop();
  });

  async function call(method: string, url: string, path: string, body?: unknown) {
    const response = await api
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
    return { status: response.statusCode, body: parsed as Json };
  }
  const heartbeat = (pool: string, name: string, interval: number | null) =>
    call(
      'POST',
      `/api/work_pools/${pool}/workers/heartbeat`,
      '/work_pools/{work_pool_name}/workers/heartbeat',
      {
        name,
        heartbeat_interval_seconds: interval,
      },
    );
  const poll = (pool: string) =>
    call(
      'POST',
      `/api/work_pools/${pool}/get_scheduled_flow_runs`,
      '/work_pools/{name}/get_scheduled_flow_runs',
      {},
    );
  const one = async <T>(sql: string, params: unknown[]): Promise<T> =>
    ((await db.dataSource.query(sql, params)) as T[])[0]!;

  async function startForeman(env: Record<string, string> = {}) {
    @Module({
      imports: [
        SettingsModule.forRoot(
          loadSettings({
            PREFECT_HOME: '/tmp',
            PREFECT_SERVER_SERVICES_FOREMAN_LOOP_SECONDS: '3600',
            ...env,
          }),
        ),
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 3 }),
        BusModule.forRoot({ driver: 'memory' }),
        JobsModule.forRoot({ driver: 'in-process' }),
        OutboxModule.forRoot(),
        ForemanModule,
      ],
    })
    class Root {}
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
    const events: SeenEvent[] = [];
    const consumer = app.get(MessageBus).consume<SeenEvent>({
      kind: 'single',
      topic: 'events',
      group: 'test',
      handle: (m: BusMessage<SeenEvent>) => {
        events.push(m.data);
      },
    });
    return {
      foreman: app.get(ForemanService),
      events,
      close: async () => {
        await consumer.stop();
        await app.close();
      },
    };
  }

  it('marks silent workers OFFLINE, their pools, stale deployments and queues NOT_READY, each once with its event', async () => {
    // Pool "quiet": one worker that goes silent; its default queue and deployment get polled.
    expect(
      (await call('POST', '/api/work_pools/', '/work_pools/', { name: 'quiet', type: 'process' })).status,
    ).toBe(201);
    expect((await heartbeat('quiet', 'w-silent', 10)).status).toBe(204);
    // Pool "busy": one worker silent, one alive: the pool stays READY.
    await call('POST', '/api/work_pools/', '/work_pools/', { name: 'busy', type: 'process' });
    await heartbeat('busy', 'w-old', null);
    await heartbeat('busy', 'w-alive', 10);
    // Pool "paused": PAUSED is not READY, the foreman leaves it alone.
    await call('POST', '/api/work_pools/', '/work_pools/', {
      name: 'paused',
      type: 'process',
      is_paused: true,
    });
    await heartbeat('paused', 'w-paused', 10);

    const flow = (await call('POST', '/api/flows/', '/flows/', { name: 'foreman-flow' })).body;
    const deploy = async (name: string, pool: string) =>
      (
        await call('POST', '/api/deployments/', '/deployments/', {
          name,
          flow_id: flow.id,
          work_pool_name: pool,
        })
      ).body;
    const stale = await deploy('stale', 'quiet');
    const queueFresh = await deploy('queue-fresh', 'busy');
    const neverPolled = await deploy('never-polled', 'paused');
    expect((await poll('quiet')).status).toBe(200);
    expect((await poll('busy')).status).toBe(200);
    await waitFor(
      async () =>
        (
          (await db.dataSource.query(`SELECT count(*)::int AS n FROM work_queue WHERE status = 'READY'`)) as {
            n: number;
          }[]
        )[0]!.n === 2,
      { what: 'the two polled queues READY' },
    );

    const pool = (name: string) =>
      one<{ id: string; status: string; last_status_event_id: string; default_queue_id: string }>(
        `SELECT id, status, last_status_event_id, default_queue_id FROM work_pool WHERE name = $1`,
        [name],
      );
    const quiet = await pool('quiet');
    const busy = await pool('busy');
    expect([quiet.status, busy.status, (await pool('paused')).status]).toEqual(['READY', 'READY', 'PAUSED']);
    const deploymentRow = (id: unknown) =>
      one<{ status: string; updated: string }>(
        `SELECT status, updated::text AS updated FROM deployment WHERE id = $1`,
        [id],
      );
    expect((await deploymentRow(stale.id)).status).toBe('READY');
    const staleUpdated = (await deploymentRow(stale.id)).updated;

    // The clock moves: w-silent (10 s × 3) and w-old (fallback 30 s × 3) are past their deadlines;
    // w-alive only 20 s old. Deployment "stale" and its queue last polled 2 min ago; deployment
    // "queue-fresh" too, but its queue (busy/default) was polled just now.
    await db.dataSource.query(
      `UPDATE worker SET last_heartbeat_time = now() - interval '31 seconds' WHERE name = 'w-silent'`,
    );
    await db.dataSource.query(
      `UPDATE worker SET last_heartbeat_time = now() - interval '91 seconds' WHERE name = 'w-old'`,
    );
    await db.dataSource.query(
      `UPDATE worker SET last_heartbeat_time = now() - interval '20 seconds' WHERE name IN ('w-alive', 'w-paused')`,
    );
    await db.dataSource.query(
      `UPDATE deployment SET last_polled = now() - interval '2 minutes' WHERE id = ANY($1::uuid[])`,
      [[stale.id, queueFresh.id]],
    );
    await db.dataSource.query(
      `UPDATE work_queue SET last_polled = now() - interval '2 minutes' WHERE id = $1`,
      [quiet.default_queue_id],
    );

    const { foreman, events, close } = await startForeman();
    try {
      expect(await foreman.monitorWorkerHealth()).toEqual({
        workersOffline: 2,
        poolsNotReady: 1,
        deploymentsNotReady: 1,
        queuesNotReady: 1,
      });
      const workers = (await db.dataSource.query(`SELECT name, status FROM worker ORDER BY name`)) as Json[];
      expect(workers).toEqual([
        { name: 'w-alive', status: 'ONLINE' },
        { name: 'w-old', status: 'OFFLINE' },
        { name: 'w-paused', status: 'ONLINE' },
        { name: 'w-silent', status: 'OFFLINE' },
      ]);
      const quietAfter = await pool('quiet');
      expect(quietAfter.status).toBe('NOT_READY');
      expect((await pool('busy')).status).toBe('READY');
      expect((await pool('paused')).status).toBe('PAUSED');
      expect(await deploymentRow(stale.id)).toEqual({ status: 'NOT_READY', updated: staleUpdated });
      expect((await deploymentRow(queueFresh.id)).status).toBe('READY');
      expect((await deploymentRow(neverPolled.id)).status).toBe('NOT_READY');
      const queueStatus = (id: string) =>
        one<{ status: string }>(`SELECT status FROM work_queue WHERE id = $1`, [id]);
      expect((await queueStatus(quiet.default_queue_id)).status).toBe('NOT_READY');
      expect((await queueStatus(busy.default_queue_id)).status).toBe('READY');

      await waitFor(() => events.length >= 3, { what: 'three status events' });
      const byName = (name: string) => events.filter((e) => e.event === name);
      const [poolEvent] = byName('prefect.work-pool.not-ready');
      expect(byName('prefect.work-pool.not-ready')).toHaveLength(1);
      expect(poolEvent).toMatchObject({
        // The pre-allocated id is the one stored, and it follows the heartbeat's `ready` event.
        id: quietAfter.last_status_event_id,
        follows: quiet.last_status_event_id,
        resource: {
          'prefect.resource.id': `prefect.work-pool.${quiet.id}`,
          'prefect.resource.name': 'quiet',
          'prefect.work-pool.type': 'process',
        },
      });
      expect(byName('prefect.deployment.not-ready')).toEqual([
        expect.objectContaining({
          resource: {
            'prefect.resource.id': `prefect.deployment.${String(stale.id)}`,
            'prefect.resource.name': 'stale',
          },
          related: expect.arrayContaining([
            expect.objectContaining({
              'prefect.resource.role': 'flow',
              'prefect.resource.id': `prefect.flow.${String(flow.id)}`,
            }),
            expect.objectContaining({
              'prefect.resource.role': 'work-pool',
              'prefect.resource.name': 'quiet',
            }),
            expect.objectContaining({
              'prefect.resource.role': 'work-queue',
              'prefect.resource.id': `prefect.work-queue.${quiet.default_queue_id}`,
            }),
          ]) as unknown,
        }),
      ]);
      expect(byName('prefect.work-queue.not-ready')).toEqual([
        expect.objectContaining({
          resource: {
            'prefect.resource.id': `prefect.work-queue.${quiet.default_queue_id}`,
            'prefect.resource.name': 'default',
          },
          related: [
            {
              'prefect.resource.id': `prefect.work-pool.${quiet.id}`,
              'prefect.resource.name': 'quiet',
              'prefect.work-pool.type': 'process',
              'prefect.resource.role': 'work-pool',
            },
          ],
        }),
      ]);

      // A second tick finds nothing left to do and says nothing.
      expect(await foreman.monitorWorkerHealth()).toEqual({
        workersOffline: 0,
        poolsNotReady: 0,
        deploymentsNotReady: 0,
        queuesNotReady: 0,
      });
      expect(events).toHaveLength(3);

      // The way back is in the API: a heartbeat makes the worker ONLINE and the pool READY, a poll
      // the queue and the deployment.
      await heartbeat('quiet', 'w-silent', 10);
      expect((await pool('quiet')).status).toBe('READY');
      await poll('quiet');
      // The poll's bookkeeping runs right after the response (upstream: a background task).
      await waitFor(
        async () =>
          (await deploymentRow(stale.id)).status === 'READY' &&
          (await queueStatus(quiet.default_queue_id)).status === 'READY',
        { what: 'the deployment and the queue READY again' },
      );
      const listed = await call(
        'POST',
        '/api/work_pools/quiet/workers/filter',
        '/work_pools/{work_pool_name}/workers/filter',
        {},
      );
      expect((listed.body as unknown as Json[]).map((w) => w.status)).toEqual(['ONLINE']);
    } finally {
      await close();
    }
  });

  it('honours the settings: multiple, fallback interval and poll timeouts', async () => {
    await call('POST', '/api/work_pools/', '/work_pools/', { name: 'tuned', type: 'process' });
    await heartbeat('tuned', 'w-default', null);
    const flow = (await call('POST', '/api/flows/', '/flows/', { name: 'tuned-flow' })).body;
    const deployment = (
      await call('POST', '/api/deployments/', '/deployments/', {
        name: 'tuned',
        flow_id: flow.id,
        work_pool_name: 'tuned',
      })
    ).body;
    await poll('tuned');
    await waitFor(
      async () =>
        (
          (await db.dataSource.query(`SELECT status FROM deployment WHERE id = $1`, [deployment.id])) as {
            status: string;
          }[]
        )[0]!.status === 'READY',
      { what: 'the polled deployment READY' },
    );
    // 12 s of silence: past 2 × 5 s (fallback × multiple), and past the 10 s poll timeouts.
    await db.dataSource.query(
      `UPDATE worker SET last_heartbeat_time = now() - interval '12 seconds' WHERE name = 'w-default'`,
    );
    await db.dataSource.query(
      `UPDATE deployment SET last_polled = now() - interval '12 seconds' WHERE id = $1`,
      [deployment.id],
    );
    await db.dataSource.query(
      `UPDATE work_queue SET last_polled = now() - interval '12 seconds'
       WHERE work_pool_id = (SELECT id FROM work_pool WHERE name = 'tuned')`,
    );
    const defaults = await startForeman();
    try {
      expect(await defaults.foreman.monitorWorkerHealth()).toEqual({
        workersOffline: 0,
        poolsNotReady: 0,
        deploymentsNotReady: 0,
        queuesNotReady: 0,
      });
    } finally {
      await defaults.close();
    }
    const tuned = await startForeman({
      PREFECT_SERVER_SERVICES_FOREMAN_INACTIVITY_HEARTBEAT_MULTIPLE: '2',
      PREFECT_SERVER_SERVICES_FOREMAN_FALLBACK_HEARTBEAT_INTERVAL_SECONDS: '5',
      PREFECT_SERVER_SERVICES_FOREMAN_DEPLOYMENT_LAST_POLLED_TIMEOUT_SECONDS: '10',
      PREFECT_SERVER_SERVICES_FOREMAN_WORK_QUEUE_LAST_POLLED_TIMEOUT_SECONDS: '10',
    });
    try {
      expect(await tuned.foreman.monitorWorkerHealth()).toEqual({
        workersOffline: 1,
        poolsNotReady: 1,
        deploymentsNotReady: 1,
        queuesNotReady: 1,
      });
    } finally {
      await tuned.close();
    }
  });
});
