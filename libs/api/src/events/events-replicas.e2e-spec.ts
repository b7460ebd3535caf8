import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ContractValidator,
  createTestDatabase,
  freePort,
  OrreryProcess,
  PrivateRedis,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import WebSocket from 'ws';

type Json = Record<string, unknown>;

const contract = new ContractValidator();

function event(name: string, n: number): Json {
  return {
    id: randomUUID(),
    occurred: new Date().toISOString(),
    event: name,
    resource: { 'prefect.resource.id': `prefect.flow-run.${randomUUID()}` },
    related: [],
    payload: { n },
  };
}

async function postEvents(api: string, events: Json[]): Promise<void> {
  const response = await fetch(`${api}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  const text = await response.text();
  contract.assert({
    method: 'post',
    path: '/events',
    status: response.status,
    body: text === '' ? null : (JSON.parse(text) as unknown),
  });
  expect(response.status).toBe(204);
}

describe('WS /api/events/out across two API processes (PostgreSQL, Redis bus)', () => {
  // The topic name is fixed (`events`), so this suite runs a Redis of its own.
  let db: TestDatabase;
  let redis: PrivateRedis;
  let home: string;
  const servers: OrreryProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    redis = await PrivateRedis.start();
    home = mkdtempSync(join(tmpdir(), 'orrery-events-replicas-'));
  });
  afterAll(async () => {
    for (const server of servers) await server.stop('SIGTERM');
    await redis?.dispose();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  it('a subscriber on process A receives, in order, the events POSTed to process B', async () => {
    const env = (name: string): Record<string, string> => ({
      PREFECT_HOME: join(home, name),
      PREFECT_API_DATABASE_CONNECTION_URL: db.url,
      PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'false',
      PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
      PREFECT_MESSAGING_CACHE: 'prefect_redis.messaging',
      PREFECT_REDIS_MESSAGING_URL: redis.url(),
      PREFECT_SERVER_DOCKET_URL: redis.url(),
    });
    const [portA, portB] = [await freePort(), await freePort()];
    const start = (name: string, port: number): OrreryProcess =>
      OrreryProcess.start(
        ['server', 'start', '--no-services', '--host', '127.0.0.1', '--port', String(port)],
        env(name),
      );
    const a = start('a', portA);
    const b = start('b', portB);
    servers.push(a, b);
    await Promise.all([a.waitForOutput(/orrery: ready/, 60_000), b.waitForOutput(/orrery: ready/, 60_000)]);
    const apiB = `http://127.0.0.1:${portB}/api`;

    const socket = new WebSocket(`ws://127.0.0.1:${portA}/api/events/out`, ['prefect']);
    const frames: Json[] = [];
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as Json));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const name = `test.replicas.${randomUUID()}`;
    socket.send(JSON.stringify({ type: 'auth', token: null }));
    socket.send(JSON.stringify({ type: 'filter', filter: { event: { prefix: [name] } }, backfill: false }));
    await waitFor(() => frames.length >= 1, { what: 'auth_success' });
    expect(frames.shift()).toEqual({ type: 'auth_success' });

    // A's subscription is live once it has read the filter: probe through B until one arrives.
    await waitFor(
      async () => {
        await postEvents(apiB, [event(`${name}.probe`, -1)]);
        await new Promise((r) => setTimeout(r, 100));
        return frames.length > 0;
      },
      { timeoutMs: 20_000, what: 'a probe event through B to reach A' },
    );
    const probes = frames.length;

    const sent: Json[] = [];
    for (let post = 0; post < 10; post++) {
      const batch = Array.from({ length: 20 }, (_, i) => event(`${name}.ordered`, post * 20 + i));
      sent.push(...batch);
      await postEvents(apiB, batch);
    }
    // A sentinel after the burst: once it is on A, a duplicate or a stray of the burst would be too.
    const sentinel = event(`${name}.sentinel`, -2);
    await postEvents(apiB, [sentinel]);
    await waitFor(() => frames.some((f) => (f.event as Json).id === sentinel.id), {
      timeoutMs: 20_000,
      what: `${sent.length} events and the sentinel on A`,
    });
    const live = frames.slice(probes, -1);
    expect((frames[frames.length - 1]!.event as Json).id).toBe(sentinel.id);
    expect(live.map((f) => (f.event as Json).id)).toEqual(sent.map((e) => e.id));
    expect(live[0]).toEqual({
      type: 'event',
      event: {
        ...sent[0],
        // Normalised to microseconds, as Prefect's pydantic datetimes serialise.
        occurred: String(sent[0]!.occurred).replace(/Z$/, '000Z'),
        follows: null,
        received: expect.stringMatching(/Z$/),
      },
    });
    socket.close();
  }, 150_000);
});
