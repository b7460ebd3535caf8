import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppProcess,
  createTestDatabase,
  type OrreryProcess,
  postgresRedisEnv,
  PrivateRedis,
  startOrreryServer,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import Redis from 'ioredis';
import { HttpReceiver } from '../test-fixtures/actions-fixtures';
import { api, automation, blockDocument, live } from '../test-fixtures/chain-fixtures';

// The whole chain in HA: one API (`server start --no-services`), 3 triggers and 3 actions processes
// (their own apps) on PostgreSQL + a private Redis. A burst of events fires call-webhook actions to a
// local receiver, which counts the Idempotency-Key of every call.

const TRIGGERS = 3;
const ACTIONS = 3;
const EVENTS = 5000;
const MATCHING_EVERY = 10; // → 500 firings, one call-webhook each
const AUTOMATIONS = 10;
/** Consume loops per actions process (ACTIONS_CONCURRENCY): the most a kill can leave in flight. */
const IN_FLIGHT_PER_PROCESS = 4;

type Json = Record<string, unknown>;

describe('the automations chain in HA: 3 triggers + 3 actions processes, one API (PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  let client: Redis;
  let receiver: HttpReceiver;
  let home: string;
  let server: OrreryProcess;
  let base: string;
  let env: Record<string, string>;
  const triggers: AppProcess[] = [];
  const actions: AppProcess[] = [];

  beforeAll(async () => {
    [db, redis, receiver] = await Promise.all([
      createTestDatabase({ migrate: true, poolSize: 1 }),
      PrivateRedis.start(),
      // The kill run's endpoint answers after 100 ms, so calls are in flight when a process dies.
      HttpReceiver.start((url) => (url.startsWith('/kill') ? 100 : 0)),
    ]);
    client = new Redis(redis.url());
    home = mkdtempSync(join(tmpdir(), 'orrery-chain-ha-'));
    env = {
      ...postgresRedisEnv(db.url, redis.url()),
      PREFECT_HOME: home,
      PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'false',
      PREFECT_MESSAGING_CACHE: 'prefect_redis.messaging',
      PREFECT_SERVER_EVENTS_CAUSAL_ORDERING: 'prefect_redis.ordering',
      // Reclaim a dead consumer's messages after 10 s: long enough that a live one's slow action (the
      // machine is shared) is not taken from it and sent twice, short enough for the kill run.
      PREFECT_REDIS_MESSAGING_CONSUMER_MIN_IDLE_TIME: '10',
      PREFECT_SERVER_SERVICES_TRIGGERS_READ_BATCH_SIZE: '50',
      PREFECT_LOGGING_SERVER_LEVEL: 'WARNING',
    };
    const started = await startOrreryServer(env, ['--no-services'], 90_000);
    server = started.process;
    base = started.url;
    for (let i = 0; i < TRIGGERS; i++) triggers.push(AppProcess.start('triggers', env));
    for (let i = 0; i < ACTIONS; i++) actions.push(AppProcess.start('actions', env));
    await Promise.all([...triggers, ...actions].map((p) => p.ready(120_000)));
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...triggers, ...actions].map((p) => p.stop('SIGTERM')));
    await server?.stop();
    client?.disconnect();
    await receiver?.close();
    await redis?.stop();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  /** A consumer group with nothing undelivered or pending. */
  async function drained(stream: string, name: string): Promise<boolean> {
    const groups = (await client.call('XINFO', 'GROUPS', stream)) as unknown[][];
    const group = groups
      .map((g) =>
        Object.fromEntries(Array.from({ length: g.length / 2 }, (_, i) => [g[2 * i], g[2 * i + 1]])),
      )
      .find((g) => g.name === name);
    return group !== undefined && Number(group.pending) === 0 && Number(group.lag) === 0;
  }

  /** `AUTOMATIONS` automations with a call-webhook to `/<tag>`, live on the triggers; their event names. */
  async function automations(tag: string): Promise<string[]> {
    const hook = await blockDocument(base, 'webhook', {
      url: `${receiver.url}/${tag}`,
      method: 'POST',
      headers: {},
    });
    const names = Array.from({ length: AUTOMATIONS }, (_, i) => `ha.${tag}.${i}`);
    for (const name of names) {
      await automation(base, {
        name,
        trigger: { posture: 'Reactive', expect: [name], threshold: 1, within: 0 },
        actions: [{ type: 'call-webhook', block_document_id: hook, payload: '{"event": "{{ event.id }}"}' }],
      });
    }
    await live(base, receiver);
    return names;
  }

  /** The burst's events (every MATCHING_EVERY-th one fires an automation) and the ids that should act. */
  function burstEvents(tag: string, names: readonly string[]): { events: Json[]; matching: Set<string> } {
    const matching = new Set<string>();
    const events = Array.from({ length: EVENTS }, (_, i) => {
      const id = randomUUID();
      const fires = i % MATCHING_EVERY === 0;
      if (fires) matching.add(id);
      return {
        id,
        occurred: new Date().toISOString(),
        event: fires ? names[(i / MATCHING_EVERY) % AUTOMATIONS]! : `ha.${tag}.noise`,
        resource: { 'prefect.resource.id': `ha.resource.${i % 7}` },
        related: [],
        payload: {},
      };
    });
    return { events, matching };
  }

  async function post(events: readonly Json[]): Promise<void> {
    for (let i = 0; i < events.length; i += 100) await api(base, 'POST', '/events', events.slice(i, i + 100));
  }

  /** Calls to `/<tag>`: total, per idempotency key, and the events they carried per key. */
  function received(tag: string): {
    total: number;
    perKey: Map<string, number>;
    events: Map<string, string>;
  } {
    const perKey = new Map<string, number>();
    const events = new Map<string, string>();
    const mine = receiver.requests.filter((r) => r.url === `/${tag}`);
    for (const r of mine) {
      const key = String(r.headers['idempotency-key']);
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
      events.set(key, (JSON.parse(r.body) as { event: string }).event);
    }
    return { total: mine.length, perKey, events };
  }

  /** Waits for every expected call and both groups drained (nothing left to re-send). */
  async function settled(tag: string, expected: number): Promise<void> {
    try {
      await waitFor(() => received(tag).perKey.size >= expected, {
        timeoutMs: 120_000,
        intervalMs: 250,
        what: `${expected} distinct idempotency keys`,
      });
      await waitFor(
        async () => (await drained('events', 'reactive-triggers')) && (await drained('actions', 'actions')),
        { timeoutMs: 60_000, intervalMs: 250, what: 'the events and actions groups drained' },
      );
    } catch (error) {
      console.log(`HA chain ${tag}: stuck — ${await diagnosis(tag)}`);
      throw error;
    }
  }

  /** Where the chain stands: calls, groups, ledger, outbox, dead letters. */
  async function diagnosis(tag: string): Promise<string> {
    const { total, perKey } = received(tag);
    const groups = async (stream: string): Promise<string> =>
      JSON.stringify(await client.call('XINFO', 'GROUPS', stream));
    const ledger = await db.dataSource.query(
      `SELECT state, count(*)::int AS n FROM automation_action GROUP BY state`,
    );
    const outbox = await db.dataSource
      .query(`SELECT topic, count(*)::int AS n FROM outbox WHERE published_at IS NULL GROUP BY topic`)
      .catch((e: Error) => e.message);
    const dead = await client.xlen('actions:dead-letter');
    return (
      `${total} calls, ${perKey.size} keys; events groups ${await groups('events')}; actions groups ` +
      `${await groups('actions')}; ledger ${JSON.stringify(ledger)}; unpublished outbox ${JSON.stringify(outbox)}; ` +
      `dead letters ${dead}; processes alive: triggers ${triggers.map((p) => p.child.exitCode === null && p.child.signalCode === null)}, ` +
      `actions ${actions.map((p) => p.child.exitCode === null && p.child.signalCode === null)}`
    );
  }

  /** Every matching event acted on once: one key per event, no event missing, none with two keys. */
  function expectEachEventOnce(tag: string, matching: ReadonlySet<string>): void {
    const { events } = received(tag);
    const acted = [...events.values()];
    expect(new Set(acted).size).toBe(acted.length); // no event under two keys: no firing doubled
    expect([...acted].sort()).toEqual([...matching].sort()); // none missing, none extra
  }

  it(`${EVENTS} events fire ${EVENTS / MATCHING_EVERY} call-webhooks: exactly that many calls, distinct keys, 0 duplicates`, async () => {
    const tag = `steady-${randomUUID().slice(0, 8)}`;
    const names = await automations(tag);
    const { events, matching } = burstEvents(tag, names);
    const started = Date.now();
    await post(events);
    await settled(tag, matching.size);
    const { total, perKey } = received(tag);
    console.log(
      `HA chain: ${EVENTS} events → ${total} webhook calls, ${perKey.size} distinct keys in ${Date.now() - started} ms`,
    );
    expect(total).toBe(matching.size);
    expect(perKey.size).toBe(matching.size);
    expectEachEventOnce(tag, matching);
  }, 300_000);

  it(`kill -9 of one triggers and one actions process mid-burst: ${EVENTS / MATCHING_EVERY} distinct keys, none missing; re-sends only for actions in flight`, async () => {
    const tag = `kill-${randomUUID().slice(0, 8)}`;
    const names = await automations(tag);
    const { events, matching } = burstEvents(tag, names);
    const posting = post(events);
    await waitFor(() => received(tag).total >= matching.size / 4, {
      timeoutMs: 120_000,
      intervalMs: 50,
      what: 'a quarter of the burst acted on',
    });
    await Promise.all([triggers[0]!.stop('SIGKILL'), actions[0]!.stop('SIGKILL')]);
    await posting;
    await settled(tag, matching.size);
    const { total, perKey } = received(tag);
    const resent = [...perKey.entries()].filter(([, n]) => n > 1).map(([key]) => key);
    console.log(
      `HA chain kill -9 mid-burst: ${total} webhook calls, ${perKey.size} distinct keys, ` +
        `${total - perKey.size} re-send(s) of ${resent.length} action(s) in flight at the kill`,
    );
    expect(perKey.size).toBe(matching.size);
    expectEachEventOnce(tag, matching);
    // A re-sent key is an action the ledger saw start more than once: one in flight at the kill.
    if (resent.length > 0) {
      const [row] = (await db.dataSource.query(
        `SELECT count(*)::int AS n FROM automation_action WHERE id = ANY($1::uuid[]) AND attempts > 1`,
        [resent],
      )) as { n: number }[];
      expect(row!.n).toBe(resent.length);
    }
    expect(resent.length).toBeLessThanOrEqual(IN_FLIGHT_PER_PROCESS);
    // Every action of the burst is final in the ledger: nothing left half done.
    const [open] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM automation_action WHERE id = ANY($1::uuid[]) AND state = 'STARTED'`,
      [[...perKey.keys()]],
    )) as { n: number }[];
    expect(open!.n).toBe(0);
  }, 300_000);
});
