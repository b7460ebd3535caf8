import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisStreamsBus, waitForTopicDrained } from '@orrery/bus';
import { Instant, uuid7 } from '@orrery/domain';
import {
  createTestDatabase,
  orreryEnv,
  PrivateRedis,
  REPO_ROOT,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';

const MAIN = join(REPO_ROOT, 'dist', 'apps', 'event-persister', 'src', 'main.js');
const TOTAL = 20_000;

/** One `node dist/apps/event-persister/src/main.js` process (run `npm run build` first). */
class PersisterProcess {
  private out = '';
  readonly exited: Promise<void>;
  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.out += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }
  static start(env: Record<string, string>): PersisterProcess {
    return new PersisterProcess(
      spawn(process.execPath, [MAIN], { env: orreryEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  }
  async ready(): Promise<void> {
    await waitFor(
      () => {
        if (this.child.exitCode !== null) throw new Error(`persister exited:\n${this.out}`);
        return /orrery: ready \(.*event-persister/.test(this.out);
      },
      { timeoutMs: 30_000, what: `the persister to be ready:\n${this.out}` },
    );
  }
  async stop(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}

describe('event-persister process: kill -9 during a burst loses and duplicates nothing', () => {
  // The topic name is fixed (`events`), so this suite runs a Redis of its own.
  let db: TestDatabase;
  let redis: PrivateRedis;
  let redisUrl: string;
  let home: string;
  const processes: PersisterProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    redis = await PrivateRedis.start();
    redisUrl = redis.url();
    home = mkdtempSync(join(tmpdir(), 'orrery-persister-'));
  });
  afterAll(async () => {
    for (const p of processes) await p.stop('SIGKILL');
    await redis?.dispose();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  it('persists every event exactly once after a SIGKILL and a restart', async () => {
    const env = {
      PREFECT_HOME: home,
      PREFECT_API_DATABASE_CONNECTION_URL: db.url,
      PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
      PREFECT_REDIS_MESSAGING_URL: redisUrl,
      PREFECT_SERVER_DOCKET_URL: redisUrl,
      PREFECT_REDIS_MESSAGING_CONSUMER_MIN_IDLE_TIME: '2',
      PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE: '50',
      PREFECT_SERVER_SERVICES_EVENT_PERSISTER_FLUSH_INTERVAL: '0.2',
    };
    const first = PersisterProcess.start(env);
    processes.push(first);
    await first.ready();

    const bus = new RedisStreamsBus({ redis: { url: redisUrl } });
    const ids: string[] = [];
    const stored = async (): Promise<number> =>
      Number(((await db.dataSource.query('SELECT count(*) AS n FROM events')) as { n: string }[])[0]?.n);
    try {
      let killed = false;
      for (let sent = 0; sent < TOTAL; sent += 100) {
        const batch = Array.from({ length: 100 }, () => {
          const id = uuid7();
          ids.push(id);
          return {
            data: {
              id,
              occurred: Instant.now().toISOString(),
              event: 'prefect.flow-run.heartbeat',
              resource: { 'prefect.resource.id': `prefect.flow-run.${id}` },
              related: [{ 'prefect.resource.id': 'prefect.flow.f', 'prefect.resource.role': 'flow' }],
              payload: {},
              follows: null,
              received: Instant.now().toISOString(),
            },
            attributes: { id, event: 'prefect.flow-run.heartbeat' },
          };
        });
        await bus.publishMany('events', batch, { dedupeBy: 'id' });
        // Kill mid-burst, once part of it is stored (so batches are in flight, some committed).
        if (!killed && sent >= TOTAL / 4) {
          await waitFor(async () => (await stored()) > 0, { timeoutMs: 20_000, what: 'some events stored' });
          await first.stop('SIGKILL');
          killed = true;
        }
      }
      expect(killed).toBe(true);
      const before = await stored();
      expect(before).toBeLessThan(TOTAL);

      const second = PersisterProcess.start(env);
      processes.push(second);
      await second.ready();
      await waitFor(async () => (await stored()) >= TOTAL, {
        timeoutMs: 90_000,
        intervalMs: 250,
        what: 'every event stored',
      });
      // Entries the killed process held are reclaimed after min idle and handled again: once the
      // group has nothing pending or unread, no late duplicate can still arrive.
      await waitForTopicDrained(bus, 'events', { groups: ['event-persister'], timeoutMs: 30_000 });

      const rows = (await db.dataSource.query('SELECT id FROM events ORDER BY id')) as { id: string }[];
      expect(rows.map((r) => r.id)).toEqual([...ids].sort());
      const perEvent = (await db.dataSource.query(
        `SELECT count(*) AS n, count(DISTINCT (event_id, resource_role)) AS d FROM event_resources`,
      )) as { n: string; d: string }[];
      expect(perEvent[0]).toEqual({ n: String(TOTAL * 2), d: String(TOTAL * 2) });
      await second.stop('SIGTERM');
    } finally {
      await bus.close();
    }
  }, 170_000);

  it('with two replicas, the survivor of a SIGKILL takes over the pending batches (no restart)', async () => {
    await db.dataSource.query('DELETE FROM event_resources');
    await db.dataSource.query('DELETE FROM events');
    await db.dataSource.query('DELETE FROM event_counts');
    const env = {
      PREFECT_HOME: home,
      PREFECT_API_DATABASE_CONNECTION_URL: db.url,
      PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
      PREFECT_REDIS_MESSAGING_URL: redisUrl,
      PREFECT_SERVER_DOCKET_URL: redisUrl,
      PREFECT_REDIS_MESSAGING_CONSUMER_MIN_IDLE_TIME: '2',
      PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE: '50',
      PREFECT_SERVER_SERVICES_EVENT_PERSISTER_FLUSH_INTERVAL: '0.2',
    };
    const [a, b] = [PersisterProcess.start(env), PersisterProcess.start(env)];
    processes.push(a, b);
    await Promise.all([a.ready(), b.ready()]);
    const bus = new RedisStreamsBus({ redis: { url: redisUrl } });
    const ids: string[] = [];
    const stored = async (): Promise<number> =>
      Number(((await db.dataSource.query('SELECT count(*) AS n FROM events')) as { n: string }[])[0]?.n);
    try {
      for (let sent = 0; sent < TOTAL / 2; sent += 100) {
        const batch = Array.from({ length: 100 }, () => {
          const id = uuid7();
          ids.push(id);
          const now = Instant.now().toISOString();
          return {
            data: {
              id,
              occurred: now,
              event: 'prefect.worker.started',
              resource: { 'prefect.resource.id': `prefect.worker.${id}` },
              related: [],
              payload: {},
              follows: null,
              received: now,
            },
            attributes: { id, event: 'prefect.worker.started' },
          };
        });
        await bus.publishMany('events', batch, { dedupeBy: 'id' });
        if (sent === TOTAL / 8) await a.stop('SIGKILL');
      }
      await waitFor(async () => (await stored()) >= ids.length, {
        timeoutMs: 90_000,
        intervalMs: 250,
        what: 'every event stored by the survivor',
      });
      await waitForTopicDrained(bus, 'events', { groups: ['event-persister'], timeoutMs: 30_000 });
      const rows = (await db.dataSource.query('SELECT id FROM events ORDER BY id')) as { id: string }[];
      expect(rows.map((r) => r.id)).toEqual([...ids].sort());
      expect(
        Number(
          ((await db.dataSource.query('SELECT count(*) AS n FROM event_resources')) as { n: string }[])[0]?.n,
        ),
      ).toBe(ids.length);
      await b.stop('SIGTERM');
    } finally {
      await bus.close();
    }
  }, 170_000);
});
