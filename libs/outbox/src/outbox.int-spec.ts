import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type BusMessage, BusModule, MessageBus } from '@orrery/bus';
import { uuid4, uuid7 } from '@orrery/domain';
import { JobsModule } from '@orrery/jobs';
import { PersistenceModule } from '@orrery/persistence';
import { createTestDatabase, REPO_ROOT, type TestDatabase, waitFor } from '@orrery/testing';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { OutboxModule } from './outbox.module';
import { OutboxPublisher } from './outbox.publisher';

const REDIS_URL = process.env.ORRERY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const FIXTURE = join(REPO_ROOT, 'dist', 'libs', 'outbox', 'test-fixtures', 'die-before-publish.fixture.js');

describe('the transactional outbox (PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
  });
  afterAll(() => db.drop());

  async function startApp() {
    @Module({
      imports: [
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 3 }),
        BusModule.forRoot({ driver: 'redis', redis: { url: REDIS_URL } }),
        JobsModule.forRoot({ driver: 'in-process' }),
        OutboxModule.forRoot({ sweepEverySeconds: 0.5, minAgeSeconds: 0 }),
      ],
    })
    class Root {}
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
    return app;
  }

  /** Collects what arrives on `topic` (a fresh group reads the stream from its start). */
  function collect(bus: MessageBus, topic: string): { ids: string[]; stop(): Promise<void> } {
    const ids: string[] = [];
    const handle = bus.consume<{ id: string }>({
      kind: 'single',
      topic,
      group: `check-${uuid4().slice(0, 8)}`,
      handle: (message: BusMessage<{ id: string }>) => {
        ids.push(message.data.id);
      },
      tuning: { blockMs: 100 },
    });
    return { ids, stop: () => handle.stop() };
  }

  it('publishes after commit, and nothing for a rolled-back transaction', async () => {
    const app = await startApp();
    const topic = `outbox-test-${uuid4().slice(0, 8)}`;
    const bus = app.get(MessageBus);
    const seen = collect(bus, topic);
    try {
      const publisher = app.get(OutboxPublisher);
      const committed = [uuid7(), uuid7()];
      await publisher.transaction(async (_m, emit) => {
        for (const id of committed) emit({ topic, data: { id }, attributes: { id } });
        return Promise.resolve();
      });
      const rolledBack = uuid7();
      await expect(
        publisher.transaction(async (_m, emit) => {
          emit({ topic, data: { id: rolledBack }, attributes: { id: rolledBack } });
          return Promise.reject(new Error('the business write failed'));
        }),
      ).rejects.toThrow('the business write failed');
      await waitFor(() => seen.ids.length >= 2, { what: 'the committed messages' });
      // The fast path marks rows published a moment after publishing (batched): wait for the marks.
      const rows = await waitFor(
        async () => {
          const found = (await db.dataSource.query(
            `SELECT data->>'id' AS id, published_at IS NOT NULL AS published FROM outbox WHERE topic = $1`,
            [topic],
          )) as { id: string; published: boolean }[];
          return found.every((r) => r.published) ? found : undefined;
        },
        { what: 'the outbox rows marked published' },
      );
      expect(rows.map((r) => r.id).sort()).toEqual([...committed].sort());
      expect(seen.ids.sort()).toEqual([...committed].sort());
    } finally {
      await seen.stop();
      await app.close();
    }
  });

  it('loses nothing when the writer is killed between commit and publish', async () => {
    const topic = `outbox-test-${uuid4().slice(0, 8)}`;
    const count = 25;
    const child = spawn(process.execPath, [FIXTURE, db.url, REDIS_URL, topic, String(count)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, s) => resolve(s)),
    );
    expect(signal).toBe('SIGKILL');
    expect(output).toContain('committed');
    const [{ n }] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE topic = $1 AND published_at IS NULL`,
      [topic],
    )) as [{ n: number }];
    expect(n).toBe(count);

    const app = await startApp();
    const seen = collect(app.get(MessageBus), topic);
    try {
      await waitFor(() => seen.ids.length >= count, { timeoutMs: 15_000, what: `${count} relayed messages` });
      expect(new Set(seen.ids).size).toBe(count);
      await waitFor(
        async () =>
          (
            (await db.dataSource.query(
              `SELECT count(*)::int AS n FROM outbox WHERE topic = $1 AND published_at IS NULL`,
              [topic],
            )) as [{ n: number }]
          )[0].n === 0,
        { what: 'rows marked published' },
      );
    } finally {
      await seen.stop();
      await app.close();
    }
  });
});
