// End-to-end: a server (API + every service) on a Redis and a PostgreSQL of this suite's own, which
// it stops and starts again (issue 12 item 1). While a dependency is down, routes that need it answer
// 503 + Retry-After in Prefect's shape (never 500), liveness stays true and readiness is 503; once it
// is back, everything recovers without a restart: connection pools, bus consumers, the job runner
// (BullMQ), the outbox relay and a websocket opened before the outage.
import {
  freePort,
  OrreryProcess,
  postgresRedisEnv,
  PrivatePostgres,
  PrivateRedis,
  runOrrery,
  waitFor,
} from '@orrery/testing';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import WebSocket from 'ws';

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: unknown;
}

async function call(url: string, method = 'GET', body?: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: text === '' ? null : (JSON.parse(text) as unknown),
  };
}

const UNAVAILABLE = { exception_message: 'Service Unavailable' };

function event(resource: string, name = 'orrery.test.outage'): Record<string, unknown> {
  return {
    id: randomUUID(),
    occurred: new Date().toISOString(),
    event: name,
    resource: { 'prefect.resource.id': resource },
  };
}

describe('dependency outages on a running server (private Redis and PostgreSQL)', () => {
  let redis: PrivateRedis;
  let postgres: PrivatePostgres;
  let db: Client;
  let probe: Redis;
  let server: OrreryProcess;
  let api: string;
  let home: string;
  const resource = `orrery.outage.${randomUUID()}`;

  const persisted = async (id: string): Promise<boolean> =>
    (await db.query('SELECT 1 FROM events WHERE id = $1', [id])).rowCount === 1;

  beforeAll(async () => {
    [redis, postgres] = await Promise.all([PrivateRedis.start(), PrivatePostgres.start()]);
    const databaseUrl = await postgres.createDatabase('orrery_outage_test');
    home = mkdtempSync(join(tmpdir(), 'orrery-outage-'));
    const port = await freePort();
    server = OrreryProcess.start(['server', 'start', '--port', String(port)], {
      ...postgresRedisEnv(databaseUrl, redis.url()),
      PREFECT_HOME: home,
      // A failed delivery would go to dead letters on the second try after 1 s idle: a dependency
      // outage must not count as one (the consumer retries in place).
      PREFECT_REDIS_MESSAGING_CONSUMER_MIN_IDLE_TIME: '1',
      PREFECT_REDIS_MESSAGING_CONSUMER_MAX_RETRIES: '1',
    });
    await server.waitForOutput(/orrery: ready/, 60_000);
    api = `http://127.0.0.1:${port}/api`;
    db = new Client({ connectionString: databaseUrl });
    db.on('error', () => undefined); // cut off by the PostgreSQL outage; reconnected below
    await db.connect();
    probe = new Redis(redis.url(), { maxRetriesPerRequest: 1 });
    probe.on('error', () => undefined);
  }, 90_000);

  afterAll(async () => {
    if (server !== undefined) {
      const code = await server.stop('SIGTERM');
      if (code !== 0) console.log(server.output().slice(-4000));
    }
    probe?.disconnect();
    await db?.end().catch(() => undefined);
    await Promise.all([redis?.dispose(), postgres?.dispose()]);
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
  }, 30_000);

  it('prints one line naming host:port when Redis is unreachable at start-up, like the database', async () => {
    const deadPort = await freePort();
    const result = await runOrrery(['server', 'start', '--port', String(await freePort())], {
      ...postgresRedisEnv(postgres.url('orrery_outage_test'), `redis://127.0.0.1:${deadPort}/0`),
      PREFECT_HOME: home,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `orrery: cannot connect to Redis at 127.0.0.1:${deadPort}: connection refused`,
    ]);
    // --workers 2: said once by the supervisor, before any worker is forked.
    const workers = await runOrrery(
      ['server', 'start', '--workers', '2', '--port', String(await freePort())],
      {
        ...postgresRedisEnv(postgres.url('orrery_outage_test'), `redis://127.0.0.1:${deadPort}/0`),
        PREFECT_HOME: home,
        PREFECT_MESSAGING_CACHE: 'prefect_redis.messaging',
        PREFECT_SERVER_EVENTS_CAUSAL_ORDERING: 'prefect_redis.ordering',
        PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE: 'prefect_redis.lease_storage',
        PREFECT_SERVER_WORKER_CHANNEL_CLEANUP_QUEUE_STORAGE: 'prefect_redis.cleanup_queue',
        PREFECT_REDIS_WORKER_CLEANUP_QUEUE_URL: `redis://127.0.0.1:${deadPort}/0`,
      },
    );
    expect(workers.code).toBe(1);
    expect(workers.stderr.trim().split('\n')).toEqual([
      `orrery: cannot connect to Redis at 127.0.0.1:${deadPort}: connection refused`,
    ]);
  });

  it('answers 503 + Retry-After while Redis is down, keeps PostgreSQL-only routes working, and recovers without a restart', async () => {
    const before = event(resource);
    expect((await call(`${api}/events`, 'POST', [before])).status).toBe(204);
    await waitFor(() => persisted(before.id as string), {
      timeoutMs: 20_000,
      what: 'the first event stored',
    });
    const flow = (await call(`${api}/flows/`, 'POST', { name: `outage-${randomUUID()}` })).body as {
      id: string;
    };

    // A live subscriber from before the outage.
    const received: string[] = [];
    const socket = new WebSocket(`${api.replace('http', 'ws')}/events/out`, ['prefect']);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; event?: { id: string } };
      if (message.type === 'event' && message.event !== undefined) received.push(message.event.id);
    });
    socket.send(JSON.stringify({ type: 'auth', token: null }));
    socket.send(
      JSON.stringify({ type: 'filter', filter: { event: { prefix: ['orrery.test.'] } }, backfill: false }),
    );
    await waitFor(
      async () => {
        const ping = event(resource, 'orrery.test.ping');
        await call(`${api}/events`, 'POST', [ping]);
        await new Promise((r) => setTimeout(r, 200));
        return received.includes(ping.id as string);
      },
      { timeoutMs: 20_000, what: 'the websocket subscription to be live' },
    );

    await redis.stop();
    const during = await call(`${api}/events`, 'POST', [event(resource)]);
    expect(during).toMatchObject({ status: 503, body: UNAVAILABLE });
    expect(Number(during.retryAfter)).toBeGreaterThan(0);
    expect(await call(`${api}/health`)).toMatchObject({ status: 200, body: true });
    expect(await call(`${api}/ready`)).toMatchObject({
      status: 503,
      body: { message: 'Messaging broker is not available' },
    });
    // Orchestration needs only PostgreSQL: its events wait in the outbox.
    const run = await call(`${api}/flow_runs/`, 'POST', { flow_id: flow.id, state: { type: 'PENDING' } });
    expect(run.status).toBe(201);
    const runId = (run.body as { id: string }).id;
    const running = await call(`${api}/flow_runs/${runId}/set_state`, 'POST', { state: { type: 'RUNNING' } });
    expect(running.status).toBe(201);
    // Creating a deployment asks the scheduler (a job) for its runs: best effort, it must not hang.
    const deployment = await call(`${api}/deployments/`, 'POST', { name: 'outage', flow_id: flow.id });
    expect(deployment.status).toBe(201);

    const outageEnded = Date.now();
    await redis.launch();
    await waitFor(async () => (await call(`${api}/ready`)).status === 200, {
      timeoutMs: 20_000,
      what: 'readiness after Redis is back',
    });
    const after = event(resource);
    await waitFor(async () => (await call(`${api}/events`, 'POST', [after])).status === 204, {
      timeoutMs: 20_000,
      what: 'POST /api/events to succeed again',
    });
    // Consumers: the event posted after the outage is stored, and the websocket got it live.
    await waitFor(() => persisted(after.id as string), { timeoutMs: 30_000, what: 'the event persister' });
    await waitFor(() => received.includes(after.id as string), { timeoutMs: 30_000, what: 'the websocket' });
    // The outbox relay (a BullMQ periodic job) published the Running event the outage held back.
    await waitFor(
      async () =>
        (
          await db.query(
            `SELECT 1 FROM events WHERE event = 'prefect.flow-run.Running' AND resource_id = $1`,
            [`prefect.flow-run.${runId}`],
          )
        ).rowCount === 1,
      { timeoutMs: 40_000, intervalMs: 250, what: 'the outbox relay to publish the held-back event' },
    );
    console.log(`Redis outage: everything recovered ${Date.now() - outageEnded} ms after Redis was back`);
    socket.close();
  }, 120_000);

  it('answers 503 + Retry-After while PostgreSQL is down, keeps liveness, loses no event, and recovers without a restart', async () => {
    const name = `pg-outage-${randomUUID()}`;
    await postgres.stop();
    const create = await call(`${api}/flows/`, 'POST', { name });
    expect(create).toMatchObject({ status: 503, body: UNAVAILABLE });
    expect(Number(create.retryAfter)).toBeGreaterThan(0);
    expect(await call(`${api}/flows/name/${name}`)).toMatchObject({ status: 503, body: UNAVAILABLE });
    expect(await call(`${api}/health`)).toMatchObject({ status: 200, body: true });
    expect(await call(`${api}/ready`)).toMatchObject({
      status: 503,
      body: { message: 'Database is not available' },
    });
    // Events only need Redis; the persister holds them until PostgreSQL is back (never dead-letters).
    const held = event(resource);
    expect((await call(`${api}/events`, 'POST', [held])).status).toBe(204);
    // Longer than two deliveries at a 1 s idle time would take to dead-letter it.
    await new Promise((r) => setTimeout(r, 4000));

    const outageEnded = Date.now();
    await postgres.launch();
    await waitFor(async () => (await call(`${api}/flows/`, 'POST', { name })).status === 201, {
      timeoutMs: 20_000,
      what: 'POST /api/flows/ to succeed again',
    });
    expect(await call(`${api}/ready`)).toMatchObject({ status: 200 });
    await db.end().catch(() => undefined);
    db = new Client({ connectionString: postgres.url('orrery_outage_test') });
    await db.connect();
    await waitFor(() => persisted(held.id as string), {
      timeoutMs: 30_000,
      what: 'the event held during the outage to be stored',
    });
    console.log(`PostgreSQL outage: everything recovered ${Date.now() - outageEnded} ms after it was back`);
    expect(await probe.xlen('events:dead-letter')).toBe(0);
  }, 120_000);
});
