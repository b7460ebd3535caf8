import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusModule } from '@orrery/bus';
import { loadSettings, SettingsModule } from '@orrery/config';
import { JobsModule } from '@orrery/jobs';
import {
  type ConcurrencyLeaseStorage,
  LEASE_STORAGE,
  LeaseStorageModule,
  type LeaseStorageOptions,
} from '@orrery/lease-storage';
import { OutboxModule } from '@orrery/outbox';
import { PersistenceModule } from '@orrery/persistence';
import { createTestDatabase, type TestDatabase, TestRedis, waitFor } from '@orrery/testing';
import { RepossessorModule } from './repossessor.module';

const DRIVERS: [string, () => TestRedis | null][] = [
  ['in-process', () => null],
  ['Redis', () => TestRedis.open('repossessor')],
];

describe.each(DRIVERS)('repossessor with the %s lease store, on PostgreSQL', (_driver, openRedis) => {
  let db: TestDatabase;
  let redis: TestRedis | null;
  let app: INestApplicationContext;
  let leases: ConcurrencyLeaseStorage;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    redis = openRedis();
    const leaseOptions: LeaseStorageOptions =
      redis === null ? { driver: 'memory' } : { driver: 'redis', url: redis.url, prefix: redis.prefix };
    @Module({
      imports: [
        SettingsModule.forRoot(
          loadSettings({ PREFECT_HOME: '/tmp', PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS: '0.2' }),
        ),
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 3 }),
        BusModule.forRoot({ driver: 'memory' }),
        JobsModule.forRoot({ driver: 'in-process' }),
        LeaseStorageModule.forRoot(leaseOptions),
        OutboxModule.forRoot(),
        RepossessorModule,
      ],
    })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
    leases = app.get(LEASE_STORAGE);
  });

  afterAll(async () => {
    await app?.close();
    await redis?.close();
    await db.drop();
  });

  async function limitWithSlots(name: string, active: number): Promise<string> {
    const [row] = (await db.dataSource.query(
      `INSERT INTO concurrency_limit_v2 (name, "limit", active_slots) VALUES ($1, 5, $2) RETURNING id`,
      [name, active],
    )) as { id: string }[];
    return row!.id;
  }

  async function activeSlots(id: string): Promise<number> {
    const [row] = (await db.dataSource.query(`SELECT active_slots FROM concurrency_limit_v2 WHERE id = $1`, [
      id,
    ])) as { active_slots: number }[];
    return row!.active_slots;
  }

  it('reclaims an expired lease: its slots go back on every limit and the lease is revoked', async () => {
    const a = await limitWithSlots('reclaim-a', 3);
    const b = await limitWithSlots('reclaim-b', 2);
    const held = await leases.createLease({ resourceIds: [a, b], ttlSeconds: 60, slots: 2, holder: null });
    const expiring = await leases.createLease({
      resourceIds: [a, b],
      ttlSeconds: 0.3,
      slots: 1,
      holder: { type: 'task_run', id: '00000000-0000-4000-8000-000000000001' },
    });
    await waitFor(async () => (await leases.readLease(expiring.id)) === null, {
      timeoutMs: 20_000,
      what: 'the expired lease to be revoked',
    });
    expect(await activeSlots(a)).toBe(2);
    expect(await activeSlots(b)).toBe(1);
    expect(await leases.readExpiredLeaseIds(10)).toEqual([]);
    // the unexpired lease is untouched
    expect((await leases.readLease(held.id))?.slots).toBe(2);
    await leases.revokeLease(held.id);
  });

  it('reclaims a lease on an idle limit without taking its slots below zero', async () => {
    const c = await limitWithSlots('reclaim-c', 0);
    const lease = await leases.createLease({ resourceIds: [c], ttlSeconds: 0.2, slots: 1, holder: null });
    await waitFor(
      async () =>
        (await leases.readExpiredLeaseIds(10)).length === 0 && (await leases.readLease(lease.id)) === null,
      {
        timeoutMs: 20_000,
        what: 'the lease to be reclaimed',
      },
    );
    expect(await activeSlots(c)).toBe(0);
  });
});
