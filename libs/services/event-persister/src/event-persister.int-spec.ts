import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusModule, type BusMessage, MessageBus, waitForTopicDrained } from '@orrery/bus';
import { Instant, uuid7 } from '@orrery/domain';
import { EventPublisher, EventsModule, EventValidator, type ReceivedEvent } from '@orrery/events';
import { PersistenceModule } from '@orrery/persistence';
import {
  createTestDatabase,
  failInserts,
  pendingDeliveryCounts,
  PrivateRedis,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import { EVENT_PERSISTER_GROUP, EventPersisterConsumer } from './event-persister.consumer';
import { EventPersisterModule, eventPersisterOptionsFrom } from './event-persister.module';

function receivedEvent(overrides: Partial<ReceivedEvent> = {}): ReceivedEvent {
  return EventValidator.receive({
    id: uuid7(),
    occurred: '2026-11-22T10:13:02.735792Z',
    event: 'prefect.task-run.Completed',
    resource: {
      'prefect.resource.id': 'prefect.task-run.t1',
      'prefect.resource.name': 'add-485',
      'prefect.state-type': 'COMPLETED',
    },
    related: [
      {
        'prefect.resource.id': 'prefect.flow-run.f1',
        'prefect.resource.role': 'flow-run',
        'prefect.resource.name': 'elite-sloth',
      },
      { 'prefect.resource.id': 'prefect.tag.db', 'prefect.resource.role': 'tag' },
    ],
    payload: { intended: { from: 'RUNNING', to: 'COMPLETED' } },
    follows: null,
    ...overrides,
  });
}

function message(data: ReceivedEvent, id = '1-0'): BusMessage<ReceivedEvent> {
  return {
    id,
    topic: 'events',
    data,
    attributes: { id: data.id, event: data.event },
    deliveryCount: 1,
    publishedAt: Instant.now(),
  };
}

describe('event-persister on PostgreSQL and Redis Streams', () => {
  // The topic name is fixed (`events`), so this suite runs a Redis of its own.
  let db: TestDatabase;
  let redis: PrivateRedis;
  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;
  const q = (sql: string, params: unknown[] = []) =>
    db.dataSource.query(sql, params) as Promise<Record<string, unknown>[]>;
  const count = async (table: string, where = 'true', params: unknown[] = []): Promise<number> =>
    Number((await q(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params))[0]?.n);

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    redis = await PrivateRedis.start();
    @Module({
      imports: [
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 2 }),
        BusModule.forRoot({
          driver: 'redis',
          redis: { url: redis.url() },
          // Many deliveries before a dead letter: the ack-after-commit test holds a message failing.
          consumer: { blockMs: 50, minIdleMs: 1000, maxDeliveries: 50 },
        }),
        EventsModule,
        EventPersisterModule.forRoot({ ...eventPersisterOptionsFrom(undefined), flushIntervalSeconds: 0.05 }),
      ],
    })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await redis?.dispose();
    await db?.drop();
  });
  beforeEach(async () => {
    await q('DELETE FROM event_resources');
    await q('DELETE FROM events');
    await q('DELETE FROM event_counts');
  });

  it('writes the event and one event_resources row per resource (labels minus id and role)', async () => {
    const e = receivedEvent({ follows: uuid7() });
    await app.get(EventPublisher).publish([e]);
    await waitFor(async () => (await count('events')) === 1, { what: 'the stored event' });
    const [row] = await q(
      `SELECT id, occurred::text, event, resource_id, resource, related_resource_ids, related, payload, received::text, recorded, follows FROM events`,
    );
    expect(row).toMatchObject({
      id: e.id,
      occurred: '2026-11-22 10:13:02.735792+00',
      event: e.event,
      resource_id: 'prefect.task-run.t1',
      resource: e.resource,
      related_resource_ids: ['prefect.flow-run.f1', 'prefect.tag.db'],
      related: e.related,
      payload: e.payload,
      follows: e.follows,
    });
    expect(row?.recorded).not.toBeNull();
    const resources = await q(
      `SELECT occurred::text, resource_id, resource_role, resource, event_id FROM event_resources ORDER BY resource_role`,
    );
    expect(resources).toEqual([
      {
        occurred: '2026-11-22 10:13:02.735792+00',
        resource_id: 'prefect.task-run.t1',
        resource_role: '',
        resource: { 'prefect.resource.name': 'add-485', 'prefect.state-type': 'COMPLETED' },
        event_id: e.id,
      },
      {
        occurred: '2026-11-22 10:13:02.735792+00',
        resource_id: 'prefect.flow-run.f1',
        resource_role: 'flow-run',
        resource: { 'prefect.resource.name': 'elite-sloth' },
        event_id: e.id,
      },
      {
        occurred: '2026-11-22 10:13:02.735792+00',
        resource_id: 'prefect.tag.db',
        resource_role: 'tag',
        resource: {},
        event_id: e.id,
      },
    ]);
  });

  it('stores an event published twice (past the publisher cache) exactly once', async () => {
    const bus = app.get(MessageBus);
    const e = receivedEvent();
    const other = receivedEvent();
    // Same id in one read and across reads: the primary key is the second de-dup layer.
    await bus.publishMany('events', [{ data: e }, { data: e }, { data: other }]);
    await waitForTopicDrained(bus, 'events');
    await bus.publish('events', e);
    await waitForTopicDrained(bus, 'events');
    expect(await count('events')).toBe(2);
    expect(await count('event_resources', 'event_id = $1', [e.id])).toBe(3);
    expect(await count('event_resources')).toBe(6);
  });

  it('a redelivered batch changes nothing', async () => {
    const consumer = app.get(EventPersisterConsumer);
    const batch = [receivedEvent(), receivedEvent(), receivedEvent({ related: [] })].map((e) => message(e));
    await consumer.persist(batch);
    await consumer.persist(batch);
    await consumer.persist([batch[2]!, message(receivedEvent())]);
    expect(await count('events')).toBe(4);
    expect(await count('event_resources')).toBe(3 + 3 + 1 + 3);
  });

  it('dead-letters a message that is not a received event, without blocking the rest', async () => {
    const bus = app.get(MessageBus);
    const good = receivedEvent();
    await bus.publishMany('events', [{ data: { id: uuid7(), event: 'x' } }, { data: good }]);
    await waitForTopicDrained(bus, 'events');
    expect(await count('events', 'id = $1', [good.id])).toBe(1);
    expect((await bus.deadLetters('events')).length).toBe(1);
  });

  it('stores server-side events published without `received` (the outbox), stamping it', async () => {
    const bus = app.get(MessageBus);
    const { received: _received, ...serverSide } = receivedEvent();
    await bus.publish('events', serverSide, { id: serverSide.id, event: serverSide.event });
    await waitForTopicDrained(bus, 'events');
    const [row] = await q(
      `SELECT received > now() - interval '1 minute' AS recent FROM events WHERE id = $1`,
      [serverSide.id],
    );
    expect(row).toEqual({ recent: true });
  });

  it('acks only after the commit: a failing write leaves the message pending, and it is redelivered', async () => {
    const bus = app.get(MessageBus);
    const e = receivedEvent();
    const deliveries = () => pendingDeliveryCounts(redis.url(), 'events', EVENT_PERSISTER_GROUP);
    const deadBefore = (await bus.deadLetters('events')).length;
    const failure = await failInserts(db.dataSource, 'events');
    try {
      await bus.publish('events', e, { id: e.id, event: e.event });
      // Handled, failed, not acknowledged, and handed out again after min idle (1 s here).
      await waitFor(async () => (await deliveries()).some((n) => n >= 2), {
        timeoutMs: 20_000,
        what: 'the failed message redelivered',
      });
      expect(await count('events', 'id = $1', [e.id])).toBe(0);
      expect(await deliveries()).toHaveLength(1);
      expect(await bus.deadLetters('events')).toHaveLength(deadBefore);
      await failure.lift();
      await waitForTopicDrained(bus, 'events', { groups: [EVENT_PERSISTER_GROUP], timeoutMs: 20_000 });
      expect(await count('events', 'id = $1', [e.id])).toBe(1);
    } finally {
      await failure.remove();
    }
  });

  it('chunks a large batch under the bind-parameter limit, in one transaction', async () => {
    const consumer = app.get(EventPersisterConsumer);
    const related = Array.from({ length: 3 }, (_, i) => ({
      'prefect.resource.id': `prefect.tag.${i}`,
      'prefect.resource.role': 'tag',
    }));
    const batch = Array.from({ length: 7000 }, () => message(receivedEvent({ related })));
    await consumer.persist(batch);
    expect(await count('events')).toBe(7000);
    expect(await count('event_resources')).toBe(28_000);
  });
});
