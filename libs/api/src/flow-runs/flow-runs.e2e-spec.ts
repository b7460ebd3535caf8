import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BusMessage, type ConsumerHandle, RedisStreamsBus } from '@orrery/bus';
import {
  createTestDatabase,
  freePort,
  OrreryProcess,
  PrivateRedis,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';

type Json = Record<string, unknown>;

/**
 * Two API replicas (`orrery server start --no-services`, built from dist/) on one PostgreSQL and one
 * Redis: a run's state changes may arrive at either replica, racing claims are decided by the run
 * row lock whichever replica serves them, and every state event reaches the shared `events` stream
 * once, with the new state's id.
 */
describe('flow-run orchestration across two API replicas', () => {
  // Stream names are fixed (`events`), so this suite runs a Redis of its own.
  let db: TestDatabase;
  let redis: PrivateRedis;
  let home: string;
  let replicas: { process: OrreryProcess; url: string }[] = [];
  let bus: RedisStreamsBus;
  let consumer: ConsumerHandle;
  const events: Json[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    redis = await PrivateRedis.start();
    const redisUrl = redis.url();
    home = mkdtempSync(join(tmpdir(), 'orrery-runs-e2e-'));
    bus = new RedisStreamsBus({ redis: { url: redisUrl } });
    consumer = bus.consume<Json>({
      kind: 'single',
      topic: 'events',
      group: 'flow-runs-e2e',
      handle: (message: BusMessage<Json>) => {
        events.push(message.data);
      },
    });
    replicas = await Promise.all(
      [1, 2].map(async () => {
        const port = await freePort();
        const process = OrreryProcess.start(['server', 'start', '--no-services', '--port', String(port)], {
          PREFECT_HOME: home,
          PREFECT_API_DATABASE_CONNECTION_URL: db.url,
          PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
          PREFECT_REDIS_MESSAGING_URL: redisUrl,
          PREFECT_SERVER_DOCKET_URL: redisUrl,
        });
        return { process, url: `http://127.0.0.1:${port}/api` };
      }),
    );
    await Promise.all(replicas.map((r) => r.process.waitForOutput(/orrery: ready/)));
  }, 60_000);

  afterAll(async () => {
    await consumer?.stop();
    await bus?.close();
    for (const replica of replicas) await replica.process.stop();
    await redis?.dispose();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  async function call(replica: number, method: string, path: string, body?: unknown) {
    const response = await fetch(`${replicas[replica]!.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-prefect-api-version': '0.8.4' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }

  it('serves one run from both replicas: one claim wins, counts and times add up, events reach Redis once', async () => {
    const flow = (await call(0, 'POST', '/flows/', { name: 'e2e-flow' })).body;
    const run = (await call(1, 'POST', '/flow_runs/', { flow_id: flow.id, state: { type: 'SCHEDULED' } }))
      .body;
    const path = `/flow_runs/${String(run.id)}/set_state`;

    const claims = await Promise.all(
      [0, 1, 0, 1, 0, 1].map((replica) => call(replica, 'POST', path, { state: { type: 'PENDING' } })),
    );
    expect(claims.map((c) => c.body.status).sort()).toEqual([
      'ABORT',
      'ABORT',
      'ABORT',
      'ABORT',
      'ABORT',
      'ACCEPT',
    ]);

    const running = await call(1, 'POST', path, { state: { type: 'RUNNING' } });
    expect(running).toMatchObject({ status: 201, body: { status: 'ACCEPT' } });
    const completed = await call(0, 'POST', path, { state: { type: 'COMPLETED' } });
    expect(completed).toMatchObject({ status: 201, body: { status: 'ACCEPT' } });

    const final = (await call(1, 'GET', `/flow_runs/${String(run.id)}`)).body;
    expect(final).toMatchObject({
      state_type: 'COMPLETED',
      run_count: 1,
      start_time: (running.body.state as Json).timestamp,
      end_time: (completed.body.state as Json).timestamp,
    });

    const states = (await call(0, 'GET', `/flow_run_states/?flow_run_id=${String(run.id)}`))
      .body as unknown as Json[];
    expect(states.map((s) => s.type)).toEqual(['SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED']);
    const mine = await waitFor(
      () => {
        const found = events.filter(
          (e) => (e.resource as Json)['prefect.resource.id'] === `prefect.flow-run.${String(run.id)}`,
        );
        return found.length >= 4 ? found : undefined;
      },
      { timeoutMs: 15_000, what: 'four flow-run events on Redis' },
    );
    expect(mine.map((e) => e.id)).toEqual(states.map((s) => s.id));
    expect(mine.map((e) => e.event)).toEqual([
      'prefect.flow-run.Scheduled',
      'prefect.flow-run.Pending',
      'prefect.flow-run.Running',
      'prefect.flow-run.Completed',
    ]);
  });
});
