import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuid7 } from '@orrery/domain';
import {
  AppProcess,
  createTestDatabase,
  type OrreryProcess,
  postgresRedisEnv,
  PrivateRedis,
  runOrrery,
  startOrreryServer,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import Redis from 'ioredis';
import WebSocket from 'ws';

type Json = Record<string, unknown>;

async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

const event = (name: string, resource = 'e2e.resource', occurred = new Date()): Json => ({
  id: uuid7(),
  occurred: occurred.toISOString(),
  event: name,
  resource: { 'prefect.resource.id': resource },
  related: [],
  payload: {},
});
const postEvents = (base: string, events: Json[]) => api(base, 'POST', '/events', events);
const reactive = (expect: string, extra: Json = {}): Json => ({
  posture: 'Reactive',
  expect: [expect],
  ...extra,
});
const createAutomation = (base: string, name: string, trigger: Json) =>
  api<{ id: string }>(base, 'POST', '/automations/', { name, trigger, actions: [{ type: 'do-nothing' }] });

/** `prefect.automation.triggered` events seen live on `WS /api/events/out`. */
async function watchTriggered(base: string): Promise<{ events: Json[]; close(): void }> {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/events/out`, ['prefect']);
  const events: Json[] = [];
  let subscribed = false;
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as Json;
    if (frame.type === 'auth_success') subscribed = true;
    if (frame.type === 'event') events.push(frame.event as Json);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'auth', token: null }));
  socket.send(
    JSON.stringify({
      type: 'filter',
      filter: { event: { name: ['prefect.automation.triggered'] } },
      backfill: false,
    }),
  );
  await waitFor(() => subscribed, { what: 'the events/out subscription' });
  return { events, close: () => socket.close() };
}

/**
 * Sends `events` as the Prefect SDK's events client does: one socket on `WS /api/events/in`, an
 * `auth` frame answered by `auth_success`, then one frame per event, back to back.
 */
async function emitOverSocket(base: string, events: Json[]): Promise<void> {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/events/in`, ['prefect']);
  let authenticated = false;
  socket.on('message', (data: Buffer) => {
    if ((JSON.parse(data.toString()) as Json).type === 'auth_success') authenticated = true;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'auth', token: null }));
  await waitFor(() => authenticated, { what: 'auth_success on events/in' });
  for (const e of events) socket.send(JSON.stringify(e));
  await new Promise<void>((resolve, reject) => {
    socket.once('close', () => resolve());
    socket.once('error', reject);
    socket.close(1000);
  });
}

const firingsOf = (seen: Json[], automationId: string) =>
  seen.filter((e) => (e.resource as Json)['prefect.resource.id'] === `prefect.automation.${automationId}`);

/**
 * Fires as soon as a marker automation's event has been handled: events are evaluated in about the
 * order they arrive, so waiting for the marker's firing is waiting for what was posted before it.
 */
async function barrier(base: string, seen: Json[], marker: { id: string; name: string }): Promise<void> {
  const before = firingsOf(seen, marker.id).length;
  await postEvents(base, [event(marker.name)]);
  await waitFor(() => firingsOf(seen, marker.id).length > before, { what: 'the marker firing' });
}

describe('triggers end to end on the embedded default', () => {
  let home: string;
  let server: OrreryProcess;
  let base: string;
  let watch: { events: Json[]; close(): void };
  let marker: { id: string; name: string };
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'orrery-triggers-e2e-'));
    const started = await startOrreryServer({ PREFECT_HOME: home });
    server = started.process;
    base = started.url;
    watch = await watchTriggered(base);
    const name = `e2e.marker.${run}`;
    marker = { id: (await createAutomation(base, name, reactive(name))).id, name };
  }, 90_000);
  afterAll(async () => {
    watch?.close();
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('fires an automation created through the API for the next event', async () => {
    const name = `e2e.created.${run}`;
    const createdAt = Date.now();
    const { id } = await createAutomation(base, name, reactive(name));
    const e = event(name);
    await postEvents(base, [e]);
    const [fired] = await waitFor(
      () => firingsOf(watch.events, id).length > 0 && firingsOf(watch.events, id),
      {
        what: 'the firing',
      },
    );
    console.log(`embedded: automation created → fired on the first event in ${Date.now() - createdAt} ms`);
    expect((fired!.related as Json[])[0]).toEqual({
      'prefect.resource.id': `prefect.event.${String(e.id)}`,
      'prefect.resource.role': 'triggering-event',
    });
  });

  it("counts a burst of events sent one by one exactly (threshold 5), as Prefect's own assessment test does", async () => {
    const name = `e2e.burst.${run}`;
    const { id } = await createAutomation(base, name, reactive(name, { threshold: 5, within: 60 }));
    // Five separate messages on the bus, so the service's consume loops may take them at once.
    await Promise.all(Array.from({ length: 5 }, () => postEvents(base, [event(name)])));
    await barrier(base, watch.events, marker);
    await waitFor(() => firingsOf(watch.events, id).length > 0, { what: 'the threshold-5 firing' });
    expect(firingsOf(watch.events, id)).toHaveLength(1);
  });

  it('counts a burst of five events sent over WS /api/events/in back to back (threshold 5), as the SDK does', async () => {
    // Prefect's integration-tests/test_automation_assessments.py::test_reactive_automation: the
    // burst lands on the bus together, and the consume loops evaluated it in interleaved
    // transactions on PGlite's one session, each counting from the same bucket count.
    const name = `e2e.ws-burst.${run}`;
    const resource = `integration:reactive:${randomUUID()}`;
    const { id } = await createAutomation(
      base,
      name,
      reactive(name, { match: { 'prefect.resource.id': resource }, threshold: 5, within: 60 }),
    );
    const burst = Array.from({ length: 5 }, (_, i) => ({
      ...event(name, resource),
      payload: { iteration: i },
    }));
    await emitOverSocket(base, burst);
    await waitFor(
      async () =>
        (
          await api<{ total: number }>(base, 'POST', '/events/filter', {
            filter: { resource: { id: [resource] } },
          })
        ).total === 5,
      { what: 'the five events stored' },
    );
    await barrier(base, watch.events, marker);
    await waitFor(() => firingsOf(watch.events, id).length > 0, { what: 'the threshold-5 firing' });
    expect(firingsOf(watch.events, id)).toHaveLength(1);
  });

  it('fires compound `all` only once every child fired', async () => {
    const [a, b] = [`e2e.all.a.${run}`, `e2e.all.b.${run}`];
    const { id } = await createAutomation(base, `all-${run}`, {
      type: 'compound',
      require: 'all',
      within: 3600,
      triggers: [reactive(a), reactive(b)],
    });
    await postEvents(base, [event(a), event(a)]);
    await barrier(base, watch.events, marker);
    expect(firingsOf(watch.events, id)).toHaveLength(0);
    await postEvents(base, [event(b)]);
    await waitFor(() => firingsOf(watch.events, id).length === 1, { what: 'the compound firing' });
    await barrier(base, watch.events, marker);
    expect(firingsOf(watch.events, id)).toHaveLength(1);
  });

  it('fires a sequence only for its children in order', async () => {
    const [first, second] = [`e2e.seq.1.${run}`, `e2e.seq.2.${run}`];
    const { id } = await createAutomation(base, `seq-${run}`, {
      type: 'sequence',
      within: 3600,
      triggers: [reactive(first), reactive(second)],
    });
    await postEvents(base, [event(second)]);
    await barrier(base, watch.events, marker);
    await postEvents(base, [event(first)]);
    await barrier(base, watch.events, marker);
    expect(firingsOf(watch.events, id)).toHaveLength(0); // second, then first: out of order
    await postEvents(base, [event(second)]);
    await waitFor(() => firingsOf(watch.events, id).length === 1, { what: 'the sequence firing' });
  });

  it('fires a proactive heartbeat trigger once when the heartbeats stop, never while they arrive', async () => {
    const beat = `e2e.heartbeat.${run}`;
    const { id } = await createAutomation(base, `heartbeat-${run}`, {
      posture: 'Proactive',
      expect: [beat],
      after: [beat],
      for_each: ['prefect.resource.id'],
      threshold: 1,
      within: 10,
    });
    // 15 s of heartbeats every 2 s: longer than the 10 s window, so a missing check would fire.
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      await postEvents(base, [event(beat, 'e2e.worker')]);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    expect(firingsOf(watch.events, id)).toHaveLength(0);
    const stopped = Date.now();
    await waitFor(() => firingsOf(watch.events, id).length === 1, {
      timeoutMs: 30_000,
      what: 'the heartbeat alarm',
    });
    console.log(`embedded: heartbeat alarm ${Date.now() - stopped} ms after the last beat (window 10 s)`);
    expect((firingsOf(watch.events, id)[0]!.payload as Json).triggering_labels).toEqual({
      'prefect.resource.id': 'e2e.worker',
    });
    // Two more proactive windows: it stays one firing (the bucket went with the alarm).
    const later = Date.now() + 22_000;
    await waitFor(() => Date.now() > later || firingsOf(watch.events, id).length > 1, { timeoutMs: 30_000 });
    expect(firingsOf(watch.events, id)).toHaveLength(1);
  }, 120_000);

  it('explains it: `orrery automation test` prints when it would have fired', async () => {
    const name = `e2e.explained.${run}`;
    await createAutomation(base, `explained-${run}`, reactive(name, { threshold: 2, within: 3600 }));
    await postEvents(base, [event(name), event(name)]);
    // The event-persister stores events in batches; replay once they are there.
    const result = await waitFor(
      async () => {
        const r = await runOrrery(['automation', 'test', `explained-${run}`, '--since', '1h'], {
          PREFECT_HOME: home,
          PREFECT_API_URL: base,
        });
        return r.stdout.includes('It would have fired 1 time(s)') && r;
      },
      { timeoutMs: 30_000, intervalMs: 1000, what: 'the explanation' },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('count 1');
  }, 60_000);
});

describe('triggers end to end on PostgreSQL + Redis, three replicas', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  let client: Redis;
  let home: string;
  let server: OrreryProcess;
  let base: string;
  let env: Record<string, string>;
  const replicas: AppProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    redis = await PrivateRedis.start();
    client = new Redis(redis.url());
    home = mkdtempSync(join(tmpdir(), 'orrery-triggers-ha-'));
    env = {
      ...postgresRedisEnv(db.url, redis.url()),
      PREFECT_MESSAGING_CACHE: 'prefect_redis.messaging',
      PREFECT_SERVER_EVENTS_CAUSAL_ORDERING: 'prefect_redis.ordering',
      PREFECT_HOME: home,
    };
    // The server runs the API and every service (one triggers replica); two triggers-only replicas join.
    const started = await startOrreryServer(env);
    server = started.process;
    base = started.url;
    for (let i = 0; i < 2; i++) replicas.push(AppProcess.start('triggers', env));
    await Promise.all(replicas.map((r) => r.ready()));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop('SIGTERM')));
    await server?.stop();
    client?.disconnect();
    await redis?.stop();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  /** Every TriggeredAction read from the `actions` stream so far, in stream order. */
  const actionsRead: { id: string; automation: string }[] = [];
  let readUpTo = '-';
  /**
   * TriggeredActions published on the `actions` stream, by automation. Remembered once read: the
   * actions service trims what its group consumed a minute ago, so a slow run would count fewer.
   */
  async function actionsOf(
    automationIds: ReadonlySet<string>,
  ): Promise<{ id: string; automation: string }[]> {
    const entries = (await client.xrange('actions', readUpTo, '+')) as [string, string[]][];
    for (const [streamId, fields] of entries) {
      const data = JSON.parse(fields[fields.indexOf('data') + 1]!) as {
        id: string;
        automation: { id: string };
      };
      actionsRead.push({ id: data.id, automation: data.automation.id });
      readUpTo = `(${streamId}`;
    }
    return actionsRead.filter((a) => automationIds.has(a.automation));
  }

  /** Every `reactive-triggers` entry delivered and acknowledged. */
  async function drained(): Promise<boolean> {
    const groups = (await client.call('XINFO', 'GROUPS', 'events')) as unknown[][];
    const group = groups
      .map((g) =>
        Object.fromEntries(Array.from({ length: g.length / 2 }, (_, i) => [g[2 * i], g[2 * i + 1]])),
      )
      .find((g) => g.name === 'reactive-triggers');
    return group !== undefined && Number(group.pending) === 0 && Number(group.lag) === 0;
  }

  it('fires an automation created through the API on every replica', async () => {
    const name = `ha.created.${randomUUID()}`;
    const createdAt = Date.now();
    const { id } = await createAutomation(base, name, reactive(name));
    // Several events, so each replica very likely evaluates one: every replica must know the automation.
    await postEvents(
      base,
      Array.from({ length: 6 }, () => event(name)),
    );
    await waitFor(async () => (await actionsOf(new Set([id]))).length === 6, {
      what: 'six TriggeredActions',
    });
    console.log(`PostgreSQL+Redis: created → 6 firings published in ${Date.now() - createdAt} ms`);
    // `services ls` sees the three live replicas and the reactive-triggers group.
    const ls = await runOrrery(['server', 'services', 'ls', '-o', 'json'], env);
    const triggers = (JSON.parse(ls.stdout) as Json[]).find((r) => r.name === 'triggers')!;
    expect(triggers.replicas).toHaveLength(3);
    expect(triggers.consumer_group).toMatchObject({ consumers: 3 });
  });

  it('publishes each firing’s action exactly once under a burst, with a replica killed -9 mid-burst', async () => {
    const run = randomUUID().slice(0, 8);
    const AUTOMATIONS = 10;
    const EVENTS = 2000;
    const MATCHING_EVERY = 10; // 200 expected firings
    const names = Array.from({ length: AUTOMATIONS }, (_, i) => `ha.burst.${run}.${i}`);
    const ids = new Set<string>();
    for (const name of names) ids.add((await createAutomation(base, name, reactive(name))).id);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // NOTIFY delivery to every replica
    const events = Array.from({ length: EVENTS }, (_, i) =>
      event(i % MATCHING_EVERY === 0 ? names[(i / MATCHING_EVERY) % AUTOMATIONS]! : `ha.noise.${run}`),
    );
    const expected = EVENTS / MATCHING_EVERY;
    const posting = (async () => {
      for (let i = 0; i < events.length; i += 100) await postEvents(base, events.slice(i, i + 100));
    })();
    await waitFor(async () => (await actionsOf(ids)).length >= expected / 4, { what: 'the burst under way' });
    await replicas[0]!.stop('SIGKILL');
    const killedAt = Date.now();
    await posting;
    let seen = 0;
    await waitFor(async () => (seen = (await actionsOf(ids)).length) >= expected, {
      timeoutMs: 60_000,
      what: `${expected} TriggeredActions`,
    }).catch(async (error: unknown) => {
      // An event the triggers group dead-lettered is a firing lost (the bus keeps per-group counts).
      const deadLettered = (await client.hget('events:dead-letter:counts', 'reactive-triggers')) ?? 0;
      throw new Error(
        `${String(error)} (saw ${seen}; ${deadLettered} event(s) dead-lettered by the triggers)`,
      );
    });
    const allPublishedAfterKillMs = Date.now() - killedAt;
    // Let the survivors reclaim and finish the killed replica's pending events before counting.
    await waitFor(drained, { timeoutMs: 60_000, intervalMs: 250, what: 'the group drained' });
    const published = await actionsOf(ids);
    const distinct = new Set(published.map((a) => a.id));
    // Firings recomputed (an event evaluated again after the kill): same ids, dropped at publish.
    const [outbox] = (await db.dataSource.query(
      `SELECT count(*)::int AS rows, count(DISTINCT data->>'id')::int AS ids FROM outbox
       WHERE topic = 'actions' AND data->'automation'->>'id' = ANY($1::text[])`,
      [[...ids]],
    )) as { rows: number; ids: number }[];
    console.log(
      `PostgreSQL+Redis burst: ${EVENTS} events, ${expected} expected firings, ${published.length} published, ` +
        `${distinct.size} distinct (all published ${allPublishedAfterKillMs} ms after the kill); ` +
        `${outbox!.rows - outbox!.ids} firing(s) recomputed after the kill and dropped as duplicates`,
    );
    expect(distinct.size).toBe(expected);
    expect(published).toHaveLength(expected);
  }, 180_000);
});
