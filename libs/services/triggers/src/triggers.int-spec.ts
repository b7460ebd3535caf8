import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import {
  type AutomationWrite,
  parseTriggeredAction,
  type Trigger,
  type TriggeredAction,
  type TriggeringEvent,
} from '@orrery/automations';
import { BusModule, MessageBus } from '@orrery/bus';
import { loadSettings, SettingsModule } from '@orrery/config';
import { uuid7 } from '@orrery/domain';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule, OutboxPublisher } from '@orrery/outbox';
import {
  AutomationBucketRepository,
  AutomationRepository,
  type DatabaseOptions,
  DATA_SOURCE,
  PersistenceModule,
} from '@orrery/persistence';
import { createPgliteTestDatabase, createTestDatabase, waitFor } from '@orrery/testing';
import type { DataSource } from 'typeorm';
import { AutomationCache } from './automation-cache';
import { DbTriggerStore } from './db-trigger-store';
import { fire } from './evaluation';
import { loadTriggers } from './automation-cache';
import { TriggersModule } from './triggers.module';
import type { OrderingStore } from './causal-ordering';
import { ORDERING_STORE, TriggersService } from './triggers.service';

const eventTrigger = (expect: string, over: Record<string, unknown> = {}) => ({
  type: 'event' as const,
  id: uuid7(),
  match: {},
  match_related: [],
  after: [],
  expect: [expect],
  for_each: [],
  posture: 'Reactive' as const,
  threshold: 1,
  within: 0,
  ...over,
});
const automation = (name: string, trigger: Trigger): AutomationWrite => ({
  name,
  description: '',
  enabled: true,
  tags: [],
  trigger,
  actions: [{ type: 'do-nothing' }],
  actionsOnTrigger: [],
  actionsOnResolve: [],
});
const event = (name: string, resource = 'r.1'): TriggeringEvent => {
  const now = new Date().toISOString();
  return {
    id: uuid7(),
    occurred: now,
    received: now,
    event: name,
    resource: { 'prefect.resource.id': resource },
    related: [],
    payload: {},
    follows: null,
  };
};

describe.each([
  ['PostgreSQL', 'postgres'],
  ['PGlite', 'pglite'],
] as const)('the triggers service on %s', (_label, kind) => {
  let app: INestApplicationContext;
  let drop: () => Promise<void>;
  const actions: TriggeredAction[] = [];

  beforeAll(async () => {
    let database: DatabaseOptions;
    if (kind === 'postgres') {
      const db = await createTestDatabase({ migrate: true, poolSize: 1 });
      await db.dataSource.destroy();
      drop = () => db.drop();
      database = { kind: 'postgres', url: db.url, poolSize: 4 };
    } else {
      const db = await createPgliteTestDatabase({ migrate: true });
      await db.dataSource.destroy();
      drop = () => db.drop();
      database = { kind: 'pglite', dataDir: db.dataDir };
    }
    @Module({
      imports: [
        SettingsModule.forRoot(loadSettings({ PREFECT_HOME: '/tmp' })),
        PersistenceModule.forRoot(database),
        BusModule.forRoot({ driver: 'memory' }),
        JobsModule.forRoot({ driver: 'in-process' }),
        OutboxModule.forRoot(),
        TriggersModule,
      ],
    })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: ['error', 'warn'] });
    await app.init();
    app.get(MessageBus).consume({
      kind: 'single',
      topic: 'actions',
      group: 'test',
      handle: (m) => void actions.push(parseTriggeredAction(m.data as Record<string, unknown>)),
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  const create = (write: AutomationWrite) =>
    app.get(OutboxPublisher).transaction((manager) => app.get(AutomationRepository).create(manager, write));
  /** Creates an automation and waits until this replica's cache has loaded it. */
  const createLoaded = async (write: AutomationWrite) => {
    const created = await create(write);
    const cache = app.get(AutomationCache);
    await waitFor(() => cache.all().some((l) => l.automation.id === created.id), {
      what: 'the automation in the cache',
    });
    return created;
  };
  const publish = (e: TriggeringEvent) =>
    app.get(MessageBus).publish('events', e, { id: e.id, event: e.event });
  const firedFor = (automationId: string) => actions.filter((a) => a.automation.id === automationId);

  it('loads a new automation from its NOTIFY, then fires it with one TriggeredAction per action', async () => {
    const cache = app.get(AutomationCache);
    const name = `new-${kind}`;
    const created = await create(automation(name, eventTrigger(name)));
    // The listener, not the 5-second reconcile: loaded as soon as the NOTIFY arrives.
    await waitFor(() => cache.all().some((l) => l.automation.id === created.id), {
      what: 'the automation in the cache',
      timeoutMs: 4000,
    });
    const e = event(name);
    await publish(e);
    const [action] = await waitFor(() => firedFor(created.id).length > 0 && firedFor(created.id), {
      what: 'the TriggeredAction',
    });
    expect(action!.action).toEqual({ type: 'do-nothing' });
    expect(action!.triggering_event?.id).toBe(e.id);
    expect(action!.firing?.trigger.id).toBe(created.trigger.id);
  });

  it('evaluates an event a killed replica held once its claim is gone, instead of refusing it', async () => {
    const name = `held-${kind}`;
    const created = await createLoaded(automation(name, eventTrigger(name)));
    const e = event(name);
    const ordering = app.get<OrderingStore>(ORDERING_STORE);
    expect(await ordering.claim(e.id)).toBe(true); // the killed replica's claim
    const refused = jest.spyOn(ordering, 'claim');
    // Refused, the delivery was retried until it went to dead letters, its firing lost.
    const handled = app.get(TriggersService).handle(e);
    await waitFor(() => refused.mock.calls.length > 0, { what: 'a refused claim' });
    refused.mockRestore();
    await ordering.release(e.id); // as its TTL would
    await handled;
    await waitFor(() => firedFor(created.id).length === 1, { what: 'the firing' });
    expect(firedFor(created.id)[0]!.triggering_event?.id).toBe(e.id);
  });

  it('counts events in a bucket and fires at the threshold, within the window', async () => {
    const name = `threshold-${kind}`;
    const created = await createLoaded(automation(name, eventTrigger(name, { threshold: 2, within: 60 })));
    await publish(event(name));
    const buckets = app.get(AutomationBucketRepository);
    await waitFor(async () => (await buckets.ofAutomation(created.id))[0]?.count === 1, {
      what: 'the bucket to count 1',
    });
    expect(firedFor(created.id)).toHaveLength(0);
    await publish(event(name));
    await waitFor(() => firedFor(created.id).length === 1, { what: 'the firing' });
    // Fired: the next window starts where this one ends, empty.
    const [next] = await buckets.ofAutomation(created.id);
    expect(next?.count).toBe(0);
  });

  it('counts an event evaluated again after a crash once: no firing one event early', async () => {
    const name = `again-${kind}`;
    const created = await createLoaded(automation(name, eventTrigger(name, { threshold: 2, within: 60 })));
    const service = app.get(TriggersService);
    const buckets = app.get(AutomationBucketRepository);
    const first = event(name);
    // A replica evaluated it and committed, then died before marking it seen and acknowledging it.
    await service.evaluateEvent(first);
    expect(await app.get<OrderingStore>(ORDERING_STORE).seen(first.id)).toBe(false);
    expect((await buckets.ofAutomation(created.id))[0]?.count).toBe(1);
    // A survivor gets the delivery again.
    await service.handle(first);
    expect((await buckets.ofAutomation(created.id))[0]?.count).toBe(1);
    expect(firedFor(created.id)).toHaveLength(0);
    const second = event(name);
    await service.handle(second);
    await waitFor(() => firedFor(created.id).length === 1, { what: 'the firing' });
    expect(firedFor(created.id)[0]!.triggering_event?.id).toBe(second.id);
  });

  it('for_each keeps one bucket per key', async () => {
    const name = `for-each-${kind}`;
    const created = await createLoaded(
      automation(name, eventTrigger(name, { threshold: 2, within: 60, for_each: ['prefect.resource.id'] })),
    );
    await publish(event(name, 'a'));
    await publish(event(name, 'b'));
    await waitFor(
      async () => (await app.get(AutomationBucketRepository).ofAutomation(created.id)).length === 2,
      {
        what: 'two buckets',
      },
    );
    expect(firedFor(created.id)).toHaveLength(0);
    await publish(event(name, 'a'));
    await waitFor(() => firedFor(created.id).length === 1);
    expect(firedFor(created.id)[0]!.triggering_labels).toEqual({ 'prefect.resource.id': 'a' });
  });

  it('drops a disabled automation from the cache', async () => {
    const name = `disabled-${kind}`;
    const created = await create(automation(name, eventTrigger(name)));
    const cache = app.get(AutomationCache);
    await waitFor(() => cache.all().some((l) => l.automation.id === created.id));
    await app
      .get(OutboxPublisher)
      .transaction((manager) => app.get(AutomationRepository).setEnabled(manager, created.id, false));
    await waitFor(() => !cache.all().some((l) => l.automation.id === created.id), { what: 'the drop' });
  });

  it('reconciles a change nobody NOTIFYed from the snapshot, and sweeps closed buckets', async () => {
    const name = `silent-${kind}`;
    const created = await create(automation(name, eventTrigger(name, { threshold: 5, within: 60 })));
    const cache = app.get(AutomationCache);
    await waitFor(() => cache.all().some((l) => l.automation.id === created.id));
    const dataSource = app.get<DataSource>(DATA_SOURCE);
    // Disabled behind the API's back: no NOTIFY; the snapshot (max(updated), count) moved.
    await dataSource.query(`UPDATE automation SET enabled = false, updated = now() WHERE id = $1`, [
      created.id,
    ]);
    await app.get(TriggersService).runHousekeeping();
    expect(cache.all().some((l) => l.automation.id === created.id)).toBe(false);
    // A bucket whose window closed long ago is swept; an open one stays.
    const buckets = app.get(AutomationBucketRepository);
    await dataSource.transaction(async (manager) => {
      const closed = Date.now() - 3600_000;
      await buckets.ensure(
        manager,
        { automationId: created.id, triggerId: created.trigger.id, key: ['old'] },
        {
          start: closed - 60_000,
          end: closed,
          count: 1,
          lastEvent: null,
        },
      );
      await buckets.ensure(
        manager,
        { automationId: created.id, triggerId: created.trigger.id, key: ['open'] },
        {
          start: Date.now(),
          end: Date.now() + 3600_000,
          count: 1,
          lastEvent: null,
        },
      );
    });
    // So is the record of an evaluated event once it expired; a live one stays.
    const evaluated = `INSERT INTO automation_event_evaluated (event_id, trigger_id, automation_id, expires)
      VALUES ($1, $2, $3, now() + $4 * interval '1 second')`;
    const [expired, live] = [uuid7(), uuid7()];
    await dataSource.query(evaluated, [expired, created.trigger.id, created.id, -1]);
    await dataSource.query(evaluated, [live, created.trigger.id, created.id, 3600]);
    await app.get(TriggersService).runHousekeeping();
    expect((await buckets.ofAutomation(created.id)).map((b) => b.key)).toEqual([['open']]);
    const kept = (await dataSource.query(
      `SELECT event_id FROM automation_event_evaluated WHERE automation_id = $1`,
      [created.id],
    )) as { event_id: string }[];
    expect(kept.map((r) => r.event_id)).toEqual([live]);
  });

  it('lets exactly one of two concurrent child firings fire a compound parent', async () => {
    const a = eventTrigger('A');
    const b = eventTrigger('B');
    const created = await create(
      automation(`race-${kind}`, {
        type: 'compound',
        id: uuid7(),
        require: 'all',
        within: null,
        triggers: [a, b],
      }),
    );
    const loaded = loadTriggers(created)[0]!;
    const dataSource = app.get<DataSource>(DATA_SOURCE);
    const buckets = app.get(AutomationBucketRepository);
    const parents: string[] = [];
    const childFiring = (trigger: typeof a) => ({
      id: uuid7(),
      trigger,
      trigger_states: ['Triggered' as const],
      triggered: new Date().toISOString(),
      triggering_labels: {},
      triggering_firings: [],
      triggering_event: null,
      triggering_value: null,
    });
    await Promise.all(
      [a, b].map((child) =>
        dataSource.transaction((manager) =>
          fire(
            new DbTriggerStore(manager, buckets),
            loaded,
            childFiring(child),
            (_x, f) => void parents.push(f.id),
          ),
        ),
      ),
    );
    expect(parents).toHaveLength(1);
  });

  // Last: it stops the service.
  it('stops at once while a consume loop waits for a claim another replica holds, the event left pending', async () => {
    const name = `stopping-${kind}`;
    const created = await createLoaded(automation(name, eventTrigger(name)));
    const e = event(name);
    const ordering = app.get<OrderingStore>(ORDERING_STORE);
    expect(await ordering.claim(e.id)).toBe(true); // another replica's, for up to 16 s
    const refused = jest.spyOn(ordering, 'claim');
    await publish(e);
    await waitFor(() => refused.mock.calls.some(([id]) => id === e.id), { what: 'the consume loop waiting' });
    refused.mockRestore();
    // Within the test's timeout, while the claim is still held: the wait ended, nothing evaluated.
    await app.get(TriggersService).onApplicationShutdown();
    expect(await ordering.processing(e.id)).toBe(true);
    expect(await ordering.seen(e.id)).toBe(false);
    expect(await app.get(AutomationBucketRepository).ofAutomation(created.id)).toEqual([]);
    expect(firedFor(created.id)).toHaveLength(0);
  });
});
